// A server that reads what it is sent and answers our close leaves nothing unread: the report's
// unread counters stay 0 and the summary has no line about it (the engine and cli tests show
// the lines on servers that stop reading).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "verdict_run.h"

namespace callsim::test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(Unread, TheReferenceBotLeavesNothingUnreadAndAnswersEveryClose) {
  VerdictRun run = run_callsim_against_bot({}, {"--concurrent", "20", "--hold", "2s"});
  ASSERT_EQ(run.exit_code, 0) << run.describe();
  rapidjson::Document report;
  report.Parse(run.report.c_str());
  ASSERT_TRUE(report.IsObject()) << run.describe();
  for (const char* total : {"close_timed_out_calls", "unread_calls", "unread_bytes",
                            "unread_frames", "pongs_unsent", "mark_echoes_unsent"}) {
    EXPECT_EQ(report[total].GetUint64(), 0u) << total << "\n" << run.describe();
  }
  EXPECT_EQ(report["outcomes"]["completed"].GetUint64(), 20u);
  EXPECT_EQ(report["outcomes"]["stopped_reading"].GetUint64(), 0u);
  for (const auto& call : report["calls"].GetArray()) {
    EXPECT_FALSE(call["close_timed_out"].GetBool());
    EXPECT_EQ(call["unread_bytes"].GetUint64(), 0u);
    EXPECT_EQ(call["frames_congested"].GetUint64(), 0u);
  }
  EXPECT_THAT(run.callsim_output, Not(HasSubstr("left unread")));
  EXPECT_THAT(run.callsim_output, Not(HasSubstr("close handshake timed out")));
  EXPECT_THAT(run.callsim_output, Not(HasSubstr("stopped reading")));
}

}  // namespace
}  // namespace callsim::test
