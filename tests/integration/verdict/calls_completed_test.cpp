// calls_completed and the uniform-failure diagnosis against a real callsim-bot.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "verdict_run.h"

namespace callsim::test {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

// Before calls_completed this run said `outcomes: closed_early 20` and PASSed with exit 0.
TEST(CallsCompleted, ServerKilledMidHoldFails) {
  VerdictRun run = run_callsim_against_bot(
      {}, {"--concurrent", "20", "--hold", "5s", "--settle", "1s"}, {}, 1500ms);
  EXPECT_EQ(run.check("calls_completed").total, "FAIL") << run.describe();
  EXPECT_EQ(run.exit_code, 1) << run.describe();
  EXPECT_THAT(run.callsim_output,
              HasSubstr("20 of 20 admitted calls did not run to their planned end"))
      << run.describe();
}

TEST(CallsCompleted, QuietOnChurnAndDeliberateDrops) {
  VerdictRun run = run_callsim_against_bot(
      {}, {"--concurrent", "10", "--calls", "30", "--hold", "500ms", "--drop-ratio", "0.3"});
  EXPECT_EQ(run.check("calls_completed").total, "PASS") << run.describe();
}

// Before: every upgrade's 404 counted as a rejection, `full_admission FAIL ... false
// rejections`, exit 1, and "404" nowhere on screen.
TEST(UniformFailure, WrongUrlPathSaysSoAndExits3) {
  VerdictRun run = run_callsim_against_bot({}, {"--url", "@bot-wrong-path"});
  EXPECT_EQ(run.exit_code, 3) << run.describe();
  EXPECT_THAT(run.callsim_output,
              HasSubstr("all 60 calls failed before admission: upgrade answered HTTP 404"))
      << run.describe();
  EXPECT_THAT(run.callsim_output, HasSubstr("check the --url path")) << run.describe();
}

}  // namespace
}  // namespace callsim::test
