// A caller script (--script FILE): any bytes either parse into steps that keep the parser's
// promises or fail with one InputError line naming the file.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/caller_script.h"
#include "core/errors.h"
#include "fuzz_input.h"

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
