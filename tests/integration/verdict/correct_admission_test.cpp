// The correct admission scripts (lua: INCR and DECR back; set-lua: SCARD-check and SADD in one
// script) admit exactly the cap: every check PASSes in every one of 20 bursts of 60 at cap 50,
// wherever the bot enforces the cap.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "verdict_run.h"

namespace callsim::test {
namespace {

constexpr int kBursts = 20;
// Long enough that gauge_consistent has a steady stretch well beyond its 200 ms grace at both
// ends even when the machine is busy.
const std::string kHold = "1s";

struct CorrectServer {
  std::string name;
  std::vector<std::string> bot_args;
  std::vector<std::string> gauge_args;  // where callsim finds the strategy's gauge
};

void PrintTo(const CorrectServer& server, std::ostream* out) {
  *out << server.name;
}

class CorrectAdmission : public testing::TestWithParam<CorrectServer> {};

TEST_P(CorrectAdmission, EveryCheckPassesInEveryBurst) {
  const CorrectServer& server = GetParam();
  std::vector<std::string> args = burst_args(kBursts, kHold);
  args.insert(args.end(), server.gauge_args.begin(), server.gauge_args.end());
  VerdictRun run = run_callsim_against_bot(server.bot_args, args);
  EXPECT_TRUE(run.bot_survived) << run.describe();
  EXPECT_TRUE(every_check_passed(run, kBursts)) << run.describe();
}

// webhook admission needs callsim to play Twilio's webhook first (issue 7).
INSTANTIATE_TEST_SUITE_P(
    Verdict, CorrectAdmission,
    testing::Values(CorrectServer{"LuaAtStart", {"--admission", "lua", "--admit-at", "start"}, {}},
                    CorrectServer{
                        "LuaAtUpgrade", {"--admission", "lua", "--admit-at", "upgrade"}, {}},
                    CorrectServer{"SetLuaAtStart",
                                  {"--admission", "set-lua", "--admit-at", "start"},
                                  {"--gauge", "scard:calls:active"}}),
    [](const testing::TestParamInfo<CorrectServer>& info) { return info.param.name; });

}  // namespace
}  // namespace callsim::test
