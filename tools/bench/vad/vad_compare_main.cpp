// callsim-vad-compare [FIXTURES_DIR] [--per-fixture]: callsim's energy voicing against the WebRTC
// VAD on every fixture, clean, in white and pink noise and 20 dB quieter
// (tools/bench/vad/README.md).
#include <fmt/format.h>

#include <cmath>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "vad_compare.h"

namespace {

using namespace callsim::vadbench;

// The mean over the utterances where the timing was measurable, and how many those were.
std::optional<double> mean(const Score& score, std::optional<double> UtteranceTiming::*field,
                           size_t* n_out) {
  double sum = 0.0;
  size_t n = 0;
  for (const UtteranceTiming& t : score.utterances) {
    if (!(t.*field)) continue;
    sum += *(t.*field);
    ++n;
  }
  *n_out = n;
  if (n == 0) return std::nullopt;
  return sum / double(n);
}

std::string ms(std::optional<double> v) {
  return v ? fmt::format("{:7.1f}", *v) : "      -";
}

// callsim's reply latency runs from the caller's last voiced frame (its own clean fixture) to
// the bot's first voiced frame (the bot's audio, under each condition), so each detector biases
// it by the bot's onset delay minus the caller's offset delay.
void print_reply_latency_bias(const std::vector<LabelledSignal>& signals,
                              const std::vector<std::unique_ptr<FrameDetector>>& detectors) {
  std::vector<LabelledSignal> callers, bots;
  for (const LabelledSignal& s : signals) {
    (s.name.rfind("caller", 0) == 0 ? callers : bots).push_back(s);
  }
  const Condition clean = standard_conditions().front();
  fmt::print("reply latency bias, ms (bot onset under the condition - clean caller offset)\n");
  fmt::print("{:<12} {:<16} {:>11} {:>11} {:>7}\n", "condition", "detector", "caller (n)",
             "bot (n)", "bias");
  for (const Condition& condition : standard_conditions()) {
    for (const auto& detector : detectors) {
      size_t callers_n = 0, bots_n = 0;
      const auto caller_end = mean(run_condition(*detector, callers, clean, 1),
                                   &UtteranceTiming::offset_ms, &callers_n);
      const auto bot_onset =
          mean(run_condition(*detector, bots, condition, 1), &UtteranceTiming::onset_ms, &bots_n);
      std::optional<double> bias;
      if (caller_end && bot_onset) bias = *bot_onset - *caller_end;
      fmt::print("{:<12} {:<16} {} ({}) {} ({}) {}\n", condition.name, detector->name(),
                 ms(caller_end), callers_n, ms(bot_onset), bots_n, ms(bias));
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::string fixtures = CALLSIM_FIXTURES_DIR;
  bool per_fixture = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--per-fixture") {
      per_fixture = true;
    } else if (!arg.empty() && arg[0] != '-') {
      fixtures = arg;
    } else {
      fmt::print(stderr, "usage: callsim-vad-compare [FIXTURES_DIR] [--per-fixture]\n");
      return 2;
    }
  }
  try {
    const std::vector<LabelledSignal> signals = load_fixture_signals(fixtures);
    size_t utterances = 0, frames = 0;
    double level = 0.0;
    for (const LabelledSignal& s : signals) {
      utterances += s.utterances.size();
      frames += s.frames();
      level += speech_mean_square(s) / double(signals.size());
    }
    fmt::print(
        "{} signals, {} utterances, {} frames of 20 ms; speech at {:.1f} dBFS RMS (the S "
        "of SNR); timings in ms from the truth, at each frame's end\n\n",
        signals.size(), utterances, frames, 10.0 * std::log10(level / (32768.0 * 32768.0)));
    fmt::print("{}\n", format_header());
    auto detectors = standard_detectors();
    for (const Condition& condition : standard_conditions()) {
      for (auto& detector : detectors) {
        if (per_fixture) {
          for (const LabelledSignal& s : signals) {
            fmt::print("{}\n", format_row(condition.name, detector->name() + " " + s.name,
                                          run_condition(*detector, {s}, condition)));
          }
        }
        fmt::print("{}\n", format_row(condition.name, detector->name(),
                                      run_condition(*detector, signals, condition)));
      }
      fmt::print("\n");
    }
    print_reply_latency_bias(signals, detectors);
  } catch (const std::exception& e) {
    fmt::print(stderr, "callsim-vad-compare: {}\n", e.what());
    return 1;
  }
  return 0;
}
