// The generator's memory per call is shown only when the calls, not callsim's own start-up
// memory, make up the peak: from 100 calls live at once, over the calls live at the peak.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <string>

#include "verdict_run.h"

namespace callsim::test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(GeneratorMemory, AFewCallsGiveNoMemoryPerCall) {
  const VerdictRun run =
      run_callsim_against_bot({}, {"--concurrent", "5", "--caller", "loop", "--hold", "1s"});
  ASSERT_EQ(run.exit_code, 0) << run.describe();
  EXPECT_THAT(run.callsim_output, Not(HasSubstr("KB per call")));
  rapidjson::Document doc;
  doc.Parse(run.report.c_str());
  EXPECT_TRUE(doc["generator"]["rss_kb_per_call"].IsNull());
  EXPECT_GT(doc["generator"]["max_rss_kb"].GetInt64(), 0);
}

TEST(GeneratorMemory, ManyCallsGiveTheMemoryPerCallLiveAtThePeak) {
  const VerdictRun run = run_callsim_against_bot(
      {"--cap", "200"}, {"--concurrent", "120", "--caller", "loop", "--hold", "1s"});
  ASSERT_EQ(run.exit_code, 0) << run.describe();
  EXPECT_THAT(run.callsim_output, HasSubstr(" KB per call at 120 live)"));
  rapidjson::Document doc;
  doc.Parse(run.report.c_str());
  ASSERT_TRUE(doc["generator"]["rss_kb_per_call"].IsNumber()) << run.report.substr(0, 2000);
  EXPECT_DOUBLE_EQ(doc["generator"]["rss_kb_per_call"].GetDouble(),
                   doc["generator"]["max_rss_kb"].GetDouble() / 120);
}

}  // namespace
}  // namespace callsim::test
