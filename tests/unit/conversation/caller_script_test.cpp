#include "core/caller_script.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "core/errors.h"

namespace callsim {
namespace {

using namespace std::chrono_literals;
using Kind = ScriptStep::Kind;

std::string error_of(const std::string& text) {
  try {
    parse_caller_script(text, "calls/s.yaml");
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(CallerScript, ParsesEveryStep) {
  const CallerScript s = parse_caller_script(
      "# a caller\n"
      "- listen\n"
      "- say: {utterance: 1}\n"
      "- listen: {timeout: 8s}\n"
      "- listen: 3s\n"
      "- pause: 600ms\n"
      "- say: prompts/account.wav\n"
      "- dtmf: \"1234#\"\n"
      "- barge_in: {after: 300ms}\n"
      "- say: prompts/account.wav\n"
      "- hangup\n",
      "s.yaml", "/scripts");
  ASSERT_EQ(s.steps.size(), 10u);
  EXPECT_EQ(s.steps[0].kind, Kind::kListen);
  EXPECT_EQ(s.steps[0].duration, 0ns);
  EXPECT_EQ(s.steps[0].line, 2);
  EXPECT_EQ(s.steps[1].kind, Kind::kSay);
  EXPECT_EQ(s.steps[1].utterance, 1u);
  EXPECT_EQ(s.steps[2].duration, 8s);
  EXPECT_EQ(s.steps[3].duration, 3s);
  EXPECT_EQ(s.steps[4].kind, Kind::kPause);
  EXPECT_EQ(s.steps[4].duration, 600ms);
  EXPECT_EQ(s.steps[5].utterance, 0u);
  EXPECT_EQ(s.steps[5].file, 0u);
  EXPECT_EQ(s.steps[6].digits, "1234#");
  EXPECT_EQ(s.steps[7].kind, Kind::kBargeIn);
  EXPECT_EQ(s.steps[7].duration, 300ms);
  EXPECT_EQ(s.steps[8].file, 0u);  // the same file is loaded once
  EXPECT_EQ(s.steps[9].kind, Kind::kHangup);
  EXPECT_EQ(s.steps[9].line, 11);
  EXPECT_EQ(s.files, (std::vector<std::string>{"/scripts/prompts/account.wav"}));
  EXPECT_TRUE(s.has_dtmf());
  EXPECT_EQ(s.highest_utterance(), 1u);
}

TEST(CallerScript, ErrorsNameTheFileTheLineAndTheStep) {
  EXPECT_EQ(error_of("- listen\n- say: {utterance: 1}\n- shout: hello\n"),
            "calls/s.yaml:3: step 3 (shout): unknown step 'shout' (expected listen, say, pause, "
            "dtmf, barge_in, hangup)");
  EXPECT_EQ(error_of("- listen\n- pause: 5\n"),
            "calls/s.yaml:2: step 2 (pause): invalid duration '5' (expected a unit: ns, us, ms, "
            "s, m, h)");
  EXPECT_EQ(error_of("- say: {utterance: 0}\n"),
            "calls/s.yaml:1: step 1 (say): utterance '0' is not a whole number from 1");
  EXPECT_EQ(error_of("- say: {utterance: -1}\n"),
            "calls/s.yaml:1: step 1 (say): utterance '-1' is not a whole number from 1");
  EXPECT_EQ(error_of("- say: {utterence: 1}\n"),
            "calls/s.yaml:1: step 1 (say): unknown key 'utterence' (expected utterance)");
  EXPECT_EQ(error_of("- dtmf: 12x\n"),
            "calls/s.yaml:1: step 1 (dtmf): dtmf digit 'x' is not a phone key (0-9, *, #)");
  EXPECT_EQ(error_of("- dtmf: #1\n"),
            "calls/s.yaml:1: step 1 (dtmf): dtmf needs digits, e.g. dtmf: \"123#\" (quote "
            "them: # starts a comment)");
  EXPECT_EQ(error_of("- listen\n- barge_in: {after: 300ms}\n- listen\n"),
            "calls/s.yaml:2: step 2 (barge_in): must be followed by a say step (what the caller "
            "says over the bot)");
  EXPECT_EQ(error_of("- barge_in: 300ms\n- say: a.wav\n"),
            "calls/s.yaml:1: step 1 (barge_in): expected {after: ...}");
  EXPECT_EQ(error_of("- hangup: now\n"), "calls/s.yaml:1: step 1 (hangup): hangup takes nothing");
  EXPECT_EQ(error_of("- {say: a.wav, pause: 1s}\n"),
            "calls/s.yaml:1: step 1: a step is one key (listen, say, pause, dtmf, barge_in, "
            "hangup), this one has 2");
  EXPECT_EQ(error_of("- [listen]\n"),
            "calls/s.yaml:1: step 1: a step is a word or a one-key map, e.g. `- listen` or "
            "`- pause: 600ms`");
  EXPECT_EQ(error_of("- pause: 25h\n"), "calls/s.yaml:1: step 1 (pause): longer than 24h");
}

TEST(CallerScript, WholeFileErrors) {
  EXPECT_EQ(error_of(""), "calls/s.yaml: the script has no steps");
  EXPECT_EQ(error_of("[]"), "calls/s.yaml: the script has no steps");
  EXPECT_EQ(error_of("steps: 1\n"),
            "calls/s.yaml:1: a script is a list of steps (`- listen`, `- say: ...`)");
  const std::string bad_yaml = error_of("- listen\n- say: {utterance: 1\n");
  EXPECT_EQ(bad_yaml.rfind("calls/s.yaml:3:1: invalid YAML: ", 0), 0u) << bad_yaml;
  EXPECT_EQ(bad_yaml.find('\n'), std::string::npos);
  // yaml-cpp quotes the offending byte in its message: a newline there would split the line.
  const std::string quoted =
      error_of(std::string("- &a lis!str hangup\n- ? say\n  : {ut0}\x01\0\n", 40));
  EXPECT_EQ(quoted, "calls/s.yaml:4:1: invalid YAML: unknown escape character: ?");
  // A plain scalar folded over blank lines keeps newlines, and the duration error quotes it.
  EXPECT_EQ(error_of("- barge_in: {after: 300ms\n\n\n12x}\n- say: a.wav\n"),
            "calls/s.yaml:1: step 1 (barge_in): invalid duration '300ms??12x' (expected a unit: "
            "ns, us, ms, s, m, h)");
  const std::string control = error_of("- \"sh\\x01out\"\n");
  EXPECT_EQ(control.find('\x01'), std::string::npos) << control;
}

TEST(CallerScript, UtterancesAreCheckedAgainstTheFixture) {
  const CallerScript s =
      parse_caller_script("- say: {utterance: 1}\n- listen\n- say: {utterance: 3}\n", "s.yaml");
  EXPECT_NO_THROW(s.check_utterances(3));
  try {
    s.check_utterances(2);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(),
                 "s.yaml:3: step 3 (say): utterance 3 does not exist (the fixture has 2)");
  }
}

TEST(CallerScript, LoadsAFileAndResolvesSaysAgainstItsDirectory) {
  const auto dir = std::filesystem::temp_directory_path() / "callsim-script-test";
  std::filesystem::create_directories(dir);
  const auto path = dir / "call.yaml";
  std::ofstream(path) << "- say: hello.wav\n- say: /abs/bye.wav\n";
  const CallerScript s = load_caller_script(path.string());
  EXPECT_EQ(s.name, path.string());
  EXPECT_EQ(s.files, (std::vector<std::string>{(dir / "hello.wav").string(), "/abs/bye.wav"}));
  std::filesystem::remove_all(dir);
  try {
    load_caller_script(path.string());
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), "cannot read script '" + path.string() + "'");
  }
}

}  // namespace
}  // namespace callsim
