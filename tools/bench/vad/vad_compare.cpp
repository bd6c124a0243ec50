#include "vad_compare.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "media/audio_file.h"

namespace callsim::vadbench {

namespace {

const char* const kFixtures[] = {"caller-greeting", "caller-question", "caller-long",
                                 "bot-greeting", "bot-answer"};

struct Stat {
  size_t n = 0;
  double sum = 0.0;
  double max = 0.0;
  void add(const std::optional<double>& v) {
    if (!v) return;
    max = n == 0 ? *v : std::max(max, *v);
    sum += *v;
    ++n;
  }
  std::string text() const {
    return n ? fmt::format("{:6.1f}/{:6.1f}", sum / double(n), max) : "     -/     -";
  }
};

}  // namespace

std::vector<LabelledSignal> load_fixture_signals(const std::string& fixtures_dir) {
  std::vector<LabelledSignal> out;
  for (const char* name : kFixtures) {
    out.push_back(label_clip(media::load_audio_8k(fixtures_dir + "/audio/" + name + ".wav"), name));
  }
  return out;
}

std::vector<std::unique_ptr<FrameDetector>> standard_detectors() {
  std::vector<std::unique_ptr<FrameDetector>> out;
  out.push_back(std::make_unique<EnergyDetector>());
  for (int likelihood = 0; likelihood <= 3; ++likelihood) {
    out.push_back(make_webrtc_detector(likelihood));
  }
  out.push_back(make_webrtc_raw_detector(2));
  return out;
}

Score run_condition(FrameDetector& detector, const std::vector<LabelledSignal>& signals,
                    const Condition& condition, int timing_passes) {
  Score total;
  for (const LabelledSignal& signal : signals) {
    total.add(score_detector(detector, signal, render_ulaw(signal, condition), timing_passes));
  }
  return total;
}

std::string format_header() {
  return fmt::format(
             "{:<12} {:<16} {:>6} {:>7} {:>7} {:>6} {:>5} {:>13} {:>13} {:>13} {:>13} {:>8}",
             "condition", "detector", "acc%", "missed%", "false%", "found", "early", "onset ms",
             "offset ms", "turn on ms", "turn end ms", "ns/frame") +
         "\n" +
         fmt::format(
             "{:<12} {:<16} {:>6} {:>7} {:>7} {:>6} {:>5} {:>13} {:>13} {:>13} {:>13} {:>8}", "",
             "", "", "", "", "", "", "mean/max", "mean/max", "mean/max", "mean/max", "");
}

std::string format_row(const std::string& condition, const std::string& detector,
                       const Score& score) {
  Stat onset, offset, turn_on, turn_end;
  size_t found = 0, early = 0;
  for (const UtteranceTiming& t : score.utterances) {
    onset.add(t.onset_ms);
    offset.add(t.offset_ms);
    turn_on.add(t.turn_onset_ms);
    turn_end.add(t.turn_end_ms);
    if (t.onset_ms || t.early) ++found;
    if (t.early) ++early;
  }
  const double missed =
      score.speech_frames ? 100.0 * double(score.missed) / double(score.speech_frames) : 0.0;
  const double false_speech =
      score.silence_frames ? 100.0 * double(score.false_speech) / double(score.silence_frames)
                           : 0.0;
  return fmt::format(
      "{:<12} {:<16} {:6.1f} {:7.1f} {:7.1f} {:>6} {:>5} {:>13} {:>13} {:>13} {:>13} {:8.0f}",
      condition, detector, 100.0 * score.accuracy(), missed, false_speech,
      fmt::format("{}/{}", found, score.utterances.size()), early, onset.text(), offset.text(),
      turn_on.text(), turn_end.text(), score.ns_per_frame);
}

}  // namespace callsim::vadbench
