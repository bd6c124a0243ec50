// Issue 11 "Honest verdicts" against a real callsim-bot: start-time rejections that do not look
// like the default immediate close 1013.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "verdict_run.h"

namespace callsim::test {
namespace {

// The README's burst example with a silent server: --hold equal to --reject-window. Before, a
// coin flip of microseconds between the window's end and our hang-up decided each call's
// admission time, and full_admission failed nearly every burst of a correct server.
TEST(HonestVerdicts, SilentServerAtHoldEqualToRejectWindowPasses) {
  constexpr int kBursts = 3;
  std::vector<std::string> args = burst_args(kBursts, "2s");
  args.insert(args.end(), {"--reject-window", "2s"});
  VerdictRun run = run_callsim_against_bot({"--admission", "lua", "--silent"}, args);
  EXPECT_TRUE(run.bot_survived) << run.describe();
  EXPECT_TRUE(every_check_passed(run, kBursts)) << run.describe();
}

// "All agents are busy", a mark, then close 1013: before, the audio made each of these an
// admitted call that closed early, and admitted_within_cap and full_admission failed.
TEST(HonestVerdicts, BusyPromptThenCapacityCloseIsARejection) {
  VerdictRun run = run_callsim_against_bot({"--reject-with", "busy-prompt"}, burst_args(1, "3s"));
  EXPECT_TRUE(run.bot_survived) << run.describe();
  EXPECT_TRUE(every_check_passed(run, 1)) << run.describe();
  EXPECT_EQ(run.reject_kinds, (std::map<std::string, int>{{"closed_after_start", 10}}))
      << run.describe();
}

// The old reading, forced by taking 1013 off the capacity codes: the busy prompts count as
// admitted calls that closed early, over the cap.
TEST(HonestVerdicts, BusyPromptWithoutItsCapacityCodeIsAnAdmission) {
  std::vector<std::string> args = burst_args(1, "3s");
  args.insert(args.end(), {"--reject-close-codes", "4000"});
  VerdictRun run = run_callsim_against_bot({"--reject-with", "busy-prompt"}, args);
  EXPECT_EQ(run.exit_code, 1) << run.describe();
  EXPECT_EQ(run.check("admitted_within_cap").total, "FAIL") << run.describe();
  EXPECT_TRUE(run.reject_kinds.empty()) << run.describe();
}

}  // namespace
}  // namespace callsim::test
