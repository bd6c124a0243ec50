// No false alarms: against the correct admission scripts, 100 bursts of 60 at cap 50 convict
// nothing. Slow (about two minutes each), so labelled slow and run with `ctest -L slow`.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "verdict_run.h"

namespace callsim::test {
namespace {

constexpr int kBursts = 100;
const std::string kHold = "1s";

TEST(NoFalseAlarms, LuaOver100Bursts) {
  VerdictRun run = run_callsim_against_bot({"--admission", "lua"}, burst_args(kBursts, kHold));
  EXPECT_TRUE(run.bot_survived) << run.describe();
  EXPECT_TRUE(every_check_passed(run, kBursts)) << run.describe();
}

TEST(NoFalseAlarms, SetLuaOver100Bursts) {
  std::vector<std::string> args = burst_args(kBursts, kHold);
  args.insert(args.end(), {"--gauge", "scard:calls:active"});
  VerdictRun run = run_callsim_against_bot({"--admission", "set-lua"}, args);
  EXPECT_TRUE(run.bot_survived) << run.describe();
  EXPECT_TRUE(every_check_passed(run, kBursts)) << run.describe();
}

}  // namespace
}  // namespace callsim::test
