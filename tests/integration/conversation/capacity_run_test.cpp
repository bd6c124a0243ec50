// `callsim capacity` against callsim-bot, whose right answer is known from its settings: beyond
// --think-knee live calls each answer's pause grows by --think-per-call per call, so a reply
// latency limit of the unloaded p95 plus 250 ms is crossed at knee + 250 ms / per-call.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "child_process.h"
#include "verdict_run.h"

namespace callsim::test {
namespace {

using ::testing::HasSubstr;

std::string file_text(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

double unloaded_reply_p95_ms(const std::vector<std::string>& bot) {
  const VerdictRun base =
      run_callsim_against_bot(bot, {"--concurrent", "10", "--threshold", "reply_latency.p95<1h"});
  EXPECT_EQ(base.exit_code, 0) << base.describe();
  rapidjson::Document doc;
  doc.Parse(base.report.c_str());
  for (const auto& c : doc["verification"]["checks"].GetArray()) {
    if (c.HasMember("threshold")) return c["threshold"]["value"].GetDouble();
  }
  ADD_FAILURE() << "no threshold in the report";
  return 0;
}

// Knee 20, 10 ms per call: the limit (unloaded p95 + 250 ms) is crossed at 45 calls, halfway
// between the steps of 40 and 50, so the answer is 40 whatever a few milliseconds of noise do.
TEST(Capacity, FindsTheConcurrencyAtWhichTheInjectedLatencyCrossesTheLimit) {
  const std::vector<std::string> bot = {
      "--cap", "100", "--think", "0ms", "--think-per-call", "10ms", "--think-knee", "20"};
  const double base_p95 = unloaded_reply_p95_ms(bot);
  ASSERT_GT(base_p95, 0.0);
  const std::string limit = std::to_string(static_cast<int>(base_p95 + 250.0)) + "ms";
  const std::string threshold = "reply_latency.p95<" + limit;
  const VerdictRun run = run_callsim_against_bot(
      bot, {"capacity", "--from", "10", "--step", "10", "--max", "80", "--threshold", threshold});
  ASSERT_EQ(run.exit_code, 0) << run.describe();
  rapidjson::Document doc;
  doc.Parse(run.report.c_str());
  ASSERT_FALSE(doc.HasParseError()) << run.report.substr(0, 2000);
  EXPECT_STREQ(doc["kind"].GetString(), "capacity");
  EXPECT_EQ(doc["capacity"].GetInt(), 40) << run.callsim_output;
  EXPECT_STREQ(doc["stopped_by"].GetString(), "breached");
  EXPECT_EQ(doc["stopped_at"].GetInt(), 50);
  const auto& steps = doc["steps"];
  ASSERT_EQ(steps.Size(), 5u);
  for (rapidjson::SizeType i = 0; i < steps.Size(); ++i) {
    EXPECT_EQ(steps[i]["concurrent"].GetInt(), 10 * static_cast<int>(i + 1));
    EXPECT_STREQ(steps[i]["result"].GetString(), i < 4 ? "met" : "breached");
    // Each step's own run report is embedded whole.
    EXPECT_EQ(steps[i]["report"]["schema_version"].GetInt(), 1);
  }
  EXPECT_THAT(run.callsim_output,
              HasSubstr("CAPACITY: 40 calls met every threshold; at 50 " + threshold + " broke: "));
}

// A server whose cap comes first: the answer is the cap, measured by a step at the cap itself.
TEST(Capacity, ACapReachedFirstIsTheAnswer) {
  TempDir junit;
  const VerdictRun run = run_callsim_against_bot(
      {"--cap", "25"},
      {"capacity", "--from", "10", "--step", "10", "--max", "40", "--caller", "loop", "--hold",
       "2s", "--threshold", "setup.p95<5s", "--junit", junit.path() + "/capacity.xml"});
  ASSERT_EQ(run.exit_code, 0) << run.describe();
  rapidjson::Document doc;
  doc.Parse(run.report.c_str());
  EXPECT_EQ(doc["capacity"].GetInt(), 25) << run.callsim_output;
  EXPECT_STREQ(doc["stopped_by"].GetString(), "rejected");
  EXPECT_EQ(doc["stopped_at"].GetInt(), 30);
  EXPECT_THAT(run.callsim_output,
              HasSubstr("CAPACITY: 25 calls, limited by the cap at 25 (at 30 calls the server "
                        "turned 5 of 30 calls away)"));
  // --junit: one test suite per step, valid against the JUnit schema CI servers read.
  const std::string xml = file_text(junit.path() + "/capacity.xml");
  EXPECT_THAT(xml, HasSubstr("<testsuites name=\"callsim capacity\""));
  for (const char* step : {"10", "20", "25", "30"}) {
    EXPECT_THAT(xml,
                HasSubstr(std::string("<testsuite name=\"callsim capacity ") + step + " calls\""));
  }
  ChildProcess xmllint(
      {"xmllint", "--noout", "--schema", CALLSIM_JUNIT_XSD, junit.path() + "/capacity.xml"},
      junit.path() + "/xmllint.txt");
  EXPECT_EQ(xmllint.wait_for(std::chrono::seconds(30)).value_or(-1), 0) << xmllint.output();
  // --expect above what was found is exit 1.
  const VerdictRun expecting = run_callsim_against_bot(
      {"--cap", "25"}, {"capacity", "--from", "20", "--step", "10", "--max", "30", "--caller",
                        "loop", "--hold", "2s", "--expect", "30", "--threshold", "setup.p95<5s"});
  EXPECT_EQ(expecting.exit_code, 1) << expecting.describe();
}

TEST(Capacity, BadStepsAreUsageErrorsNamingTheFlag) {
  auto usage_error = [](std::vector<std::string> args) {
    args.insert(args.begin(), "capacity");
    return callsim_usage_error(args);
  };
  EXPECT_EQ(usage_error({"--from", "10", "--max", "5"}),
            "callsim: capacity: --max 5 is below --from 10\n");
  EXPECT_EQ(usage_error({"--step", "0"}), "callsim: capacity: --step must be at least 1\n");
  EXPECT_EQ(usage_error({"--step-hold", "2"}),
            "callsim: capacity: --step-hold '2': invalid duration '2' (expected a unit: ns, us, "
            "ms, s, m, h)\n");
  EXPECT_EQ(usage_error({"--csv", "x.csv"}),
            "callsim: capacity: --csv is per run; each step's whole JSON report is in "
            "capacity's --report (--junit has a test suite per step, --html a plot per "
            "threshold)\n");
  EXPECT_EQ(usage_error({"--threshold", "ttfa.p95<2"}).substr(0, 45),
            "callsim: --threshold 'ttfa.p95<2': a latency'");
}

}  // namespace
}  // namespace callsim::test
