// A caller script (--script FILE): any bytes either parse into steps that keep the parser's
// promises or fail with one InputError line naming the file.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/call_conversation.h"
#include "core/caller_script.h"
#include "core/errors.h"
#include "fuzz_input.h"

namespace {

// Walks a call's cursor over the script for a simulated minute against a bot that greets, answers
// each caller utterance and clears on a pattern taken from the input: every step must end, no
// frame may name an utterance or file the tables do not hold, and a hang-up is final.
void walk(const callsim::CallerScript& script, std::string_view input) {
  using namespace std::chrono_literals;
  std::vector<callsim::Utterance> utterances(3 + script.files.size());
  for (size_t i = 0; i < utterances.size(); ++i) {
    utterances[i] = callsim::Utterance{i, 0, 5 + i, 1, 3};
  }
  callsim::CallConversation::Config config;
  config.caller.mode = callsim::CallerTurns::Mode::kScript;
  config.caller.script = &script;
  config.caller.utterances = &utterances;
  config.caller.file_utterance_base = 3;
  config.caller.reply_timeout = 2s;
  callsim::AudioHistograms histograms;
  callsim::CallConversation call(config, callsim::CallRng(input.size(), 0), &histograms);
  const callsim::TimePoint t0{std::chrono::seconds(100)};
  call.on_start_sent(t0);
  bool hung_up = false;
  for (int tick = 0; tick < 3000; ++tick) {
    const callsim::TimePoint now = t0 + 20ms * tick;
    const uint8_t pattern = input.empty() ? 0 : static_cast<uint8_t>(input[tick % input.size()]);
    if (tick % 40 < 25 && (pattern & 1)) call.on_bot_audio(now, 160, pattern & 2);
    if ((pattern & 0x1c) == 0x1c) call.on_clear(now);
    const callsim::CallerFrame f = call.next_frame(now);
    FUZZ_CHECK(!hung_up || f.hang_up, input);
    hung_up = f.hang_up;
    if (f.audio == callsim::CallerFrame::Audio::kUtterance) {
      FUZZ_CHECK(f.utterance < utterances.size(), input);
      FUZZ_CHECK(f.frame < utterances[f.utterance].frame_count, input);
    }
  }
  call.finish(t0 + 60s);
  const callsim::CallAudioResult& r = call.result();
  FUZZ_CHECK(r.replies + r.no_reply_turns + r.overlapped_turns == r.turns_total, input);
  FUZZ_CHECK(r.barge_ins_cleared <= r.barge_ins, input);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  try {
    callsim::CallerScript script = callsim::parse_caller_script(input, "fuzz.yaml", "/base");
    FUZZ_CHECK(!script.steps.empty(), input);
    FUZZ_CHECK(script.steps.size() <= callsim::kMaxScriptSteps, input);
    for (size_t i = 0; i < script.steps.size(); ++i) {
      const callsim::ScriptStep& step = script.steps[i];
      FUZZ_CHECK(step.line >= 1, input);
      FUZZ_CHECK(step.duration.count() >= 0, input);
      FUZZ_CHECK(step.duration <= std::chrono::hours(24), input);
      if (step.kind == callsim::ScriptStep::Kind::kSay && step.utterance == 0) {
        FUZZ_CHECK(step.file < script.files.size(), input);
      }
      if (step.kind == callsim::ScriptStep::Kind::kDtmf) {
        FUZZ_CHECK(!step.digits.empty() && step.digits.size() <= callsim::kMaxDtmfDigits, input);
      }
      if (step.kind == callsim::ScriptStep::Kind::kBargeIn) {
        FUZZ_CHECK(i + 1 < script.steps.size() &&
                       script.steps[i + 1].kind == callsim::ScriptStep::Kind::kSay,
                   input);
      }
    }
    try {
      script.check_utterances(3);
      walk(script, input);
    } catch (const callsim::InputError& e) {
      FUZZ_CHECK(std::string_view(e.what()).rfind("fuzz.yaml:", 0) == 0, input);
    }
  } catch (const callsim::InputError& e) {
    const std::string_view what(e.what());
    FUZZ_CHECK(what.rfind("fuzz.yaml", 0) == 0, input);
    FUZZ_CHECK(what.find('\n') == std::string_view::npos, input);
  }
  return 0;
}
