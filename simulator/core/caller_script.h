#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "clock.h"

namespace callsim {

// One step of a caller script.
struct ScriptStep {
  enum class Kind { kListen, kSay, kPause, kDtmf, kBargeIn, kHangup };
  Kind kind = Kind::kListen;
  int line = 0;  // 1-based line in the script file, for errors found after parsing
  // kListen: how long to wait for the bot to speak and finish (0: the caller's reply timeout).
  // kPause: how long to stay silent. kBargeIn: how long into the bot's speech to start talking.
  Nanos duration{0};
  // kSay: a 1-based utterance of the fixture (`say: {utterance: N}`), or 0 when a file is said.
  size_t utterance = 0;
  // kSay of a file: its index in CallerScript::files.
  size_t file = 0;
  std::string digits;  // kDtmf: 0-9, *, #
};
const char* to_string(ScriptStep::Kind kind);

// A caller script, parsed and validated once before the run and then shared read-only by every
// call; each call walks it with its own cursor (SIPp's model). Written in YAML because a script is
// a list of steps, which YAML writes without brackets, and because yaml-cpp reports the line and
// column of every node, so each error names the step's line.
//
//   - listen                      # until the bot has spoken and its audio has played out
//   - say: {utterance: 1}         # the fixture's first utterance (split by the speech detector)
//   - listen: {timeout: 8s}
//   - pause: 600ms
//   - say: prompts/account.wav    # a file, relative to the script
//   - dtmf: "1234#"
//   - barge_in: {after: 300ms}    # once the bot has talked for 300 ms...
//   - say: {utterance: 2}         # ...speak over it
//   - hangup
struct CallerScript {
  std::string name;  // the file, as errors name it
  std::vector<ScriptStep> steps;
  std::vector<std::string> files;  // distinct files `say` names, resolved against the script's dir

  bool has_dtmf() const;
  size_t highest_utterance() const;  // the largest `utterance: N`, 0 when none
  // Throws InputError naming the first step that says an utterance beyond `available`.
  void check_utterances(size_t available) const;
};

// Limits that keep a broken or hostile script from costing the run anything.
inline constexpr size_t kMaxScriptBytes = 1 << 20;
inline constexpr size_t kMaxScriptSteps = 10000;
inline constexpr size_t kMaxDtmfDigits = 64;

// Parses a script's text. `name` is the file the errors name; relative `say` files resolve
// against `base_dir` ("" leaves them as written). Throws InputError, one line:
// "NAME:LINE: step N (say): ...".
CallerScript parse_caller_script(std::string_view text, const std::string& name,
                                 const std::string& base_dir = "");
// Reads and parses a script file; InputError when it cannot be read.
CallerScript load_caller_script(const std::string& path);

}  // namespace callsim
