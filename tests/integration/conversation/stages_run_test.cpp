// --stages against callsim-bot: the closed model ramps the calls live up and down (ending calls
// as planned hang-ups), the open model schedules the arrival rate's integral, and the summary and
// the JSON report give one block per stage.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <string>
#include <vector>

#include "child_process.h"
#include "verdict_run.h"

namespace callsim::test {
namespace {

using ::testing::HasSubstr;

struct Staged {
  VerdictRun run;
  rapidjson::Document doc;
  bool ok = false;

  const rapidjson::Value& stage(size_t number) const { return doc["stages"]["stages"][number - 1]; }
  int64_t stage_count(size_t number, const char* key) const {
    return stage(number)[key].GetInt64();
  }
  int64_t summed(const char* key) const {
    int64_t total = 0;
    for (const auto& s : doc["stages"]["stages"].GetArray()) total += s[key].GetInt64();
    return total;
  }
  size_t stages() const { return doc["stages"]["stages"].Size(); }
};

// A run with nothing turned away has no rejection to judge (rejections_clean SKIPs): the verdict
// is still PASS.
testing::AssertionResult passed_without_rejections(const VerdictRun& run) {
  if (run.exit_code == 0 && run.verdict == "PASS" &&
      run.check("rejections_clean").total == "SKIP") {
    return testing::AssertionSuccess();
  }
  return testing::AssertionFailure() << run.describe();
}

Staged run_staged(const std::vector<std::string>& bot_args,
                  const std::vector<std::string>& callsim_args) {
  Staged staged;
  staged.run = run_callsim_against_bot(bot_args, callsim_args);
  staged.doc.Parse(staged.run.report.c_str());
  staged.ok = !staged.doc.HasParseError() && staged.doc.IsObject() &&
              staged.doc.HasMember("stages") && staged.doc["stages"].IsObject();
  if (!staged.ok) ADD_FAILURE() << "no stages in the report:\n" << staged.run.describe();
  return staged;
}

// Up to 4 calls over 1 s (one every 250 ms, the fourth at 1 s), 4 for 2 s, then down to 0 over
// 1 s: four calls in all, each ended by the ramp down long before its 30 s hold, with a stop.
TEST(Stages, AClosedRampStartsHoldsAndEndsEveryCallAsPlanned) {
  const Staged s =
      run_staged({}, {"--stages", "1s:4,2s:4,1s:0", "--hold", "30s", "--caller", "loop"});
  ASSERT_TRUE(s.ok);
  EXPECT_TRUE(passed_without_rejections(s.run));
  EXPECT_STREQ(s.doc["stages"]["model"].GetString(), "closed");
  ASSERT_EQ(s.stages(), 3u);
  EXPECT_EQ(s.stage_count(1, "started"), 3);
  EXPECT_EQ(s.stage_count(2, "started"), 1);
  EXPECT_EQ(s.stage_count(3, "started"), 0);
  EXPECT_EQ(s.summed("admitted"), 4);
  EXPECT_EQ(s.stage_count(3, "admitted_live_peak"), 4);  // carried in from stage 2
  EXPECT_EQ(s.stage_count(2, "admitted_live_peak"), 4);
  EXPECT_EQ(s.stage_count(3, "completed"), 4);
  EXPECT_EQ(s.summed("rejected") + s.summed("failed"), 0);
  EXPECT_EQ(s.doc["outcomes"]["completed"].GetInt64(), 4);
  EXPECT_DOUBLE_EQ(s.stage(3)["from_ms"].GetDouble(), 3000.0);
  EXPECT_DOUBLE_EQ(s.stage(3)["target_from"].GetDouble(), 4.0);
  // The stages bound the run, not the hold.
  EXPECT_GE(s.doc["duration_ms"].GetDouble(), 4000.0);
  EXPECT_LT(s.doc["duration_ms"].GetDouble(), 20000.0);
  EXPECT_THAT(s.run.callsim_output, HasSubstr("stages (closed model, calls live):"));
  EXPECT_THAT(s.run.callsim_output, HasSubstr("2. 1.0-3.0s 4->4: started 1, admitted"));
}

// Calls of 500 ms kept at 3 for 2 s: each ending call is replaced at once, so the stage places
// about 2 s / 500 ms more calls per slot, and never more than 3 are live.
TEST(Stages, FinishedCallsAreReplacedWhileTheStageWantsThem) {
  const Staged s = run_staged({}, {"--stages", "0s:3,2s:3", "--hold", "500ms", "--caller", "loop"});
  ASSERT_TRUE(s.ok);
  EXPECT_TRUE(passed_without_rejections(s.run));
  EXPECT_EQ(s.stage_count(1, "started"), 0);  // a 0 s stage is over as it starts
  EXPECT_GE(s.stage_count(2, "started"), 9);
  EXPECT_LE(s.stage_count(2, "started"), 15);
  EXPECT_EQ(s.stage_count(2, "admitted_live_peak"), 3);
  EXPECT_EQ(s.summed("completed"), s.summed("started"));
}

// Ramping to 60 against a correct cap of 50: the 10 over it are turned away (and, closed model,
// tried again) while the cap checks hold; the same stages against a check-then-act admission
// with a race window over-admit when 30 calls arrive at once after a step down.
TEST(Stages, ACapIsJudgedUnderStagesLikeUnderABurst) {
  const Staged correct =
      run_staged({}, {"--stages", "1s:60,1s:60", "--hold", "30s", "--caller", "loop"});
  ASSERT_TRUE(correct.ok);
  EXPECT_TRUE(every_check_passed(correct.run, 1)) << correct.run.describe();
  EXPECT_GT(correct.summed("rejected"), 0);
  EXPECT_EQ(correct.stage_count(2, "admitted_live_peak"), 50);

  const std::string jumps = "0s:60,1s:60,0s:30,1s:30,0s:60,1s:60,0s:30,1s:30,0s:60,1s:60";
  const VerdictRun racy = run_callsim_against_bot(
      {"--admission", "get-incr", "--race-window-us", "2000", "--admission-threads", "8"},
      {"--stages", jumps, "--hold", "30s", "--caller", "loop"});
  EXPECT_EQ(racy.exit_code, 1) << racy.describe();
  EXPECT_EQ(racy.check("admitted_within_cap").total, "FAIL") << racy.describe();
}

// 0 -> 10/s over 1 s, 10/s for 1 s, 10 -> 0/s over 1 s: 5 + 10 + 5 arrivals.
TEST(Stages, AnOpenModelSchedulesTheRatesIntegral) {
  const Staged s = run_staged({}, {"--stages", "1s:10/s,1s:10/s,1s:0/s", "--hold", "1s",
                                   "--concurrent", "50", "--caller", "loop"});
  ASSERT_TRUE(s.ok);
  EXPECT_TRUE(passed_without_rejections(s.run));
  EXPECT_STREQ(s.doc["stages"]["model"].GetString(), "open");
  EXPECT_EQ(s.doc["arrivals_scheduled"].GetInt64(), 20);
  EXPECT_EQ(s.doc["arrivals_started"].GetInt64(), 20);
  EXPECT_EQ(s.doc["arrivals_dropped"].GetInt64(), 0);
  EXPECT_EQ(s.stage_count(1, "started"), 5);
  EXPECT_EQ(s.stage_count(2, "started"), 10);
  EXPECT_EQ(s.stage_count(3, "started"), 5);
  EXPECT_DOUBLE_EQ(s.stage(2)["target_to"].GetDouble(), 10.0);
}

// Conversing callers: what they heard is split by stage. Each call hangs up once its one turn
// is answered (about 16 s in) and is replaced, and the replacements are ended at 17 s.
TEST(Stages, EachStageReportsWhatTheCallersHeard) {
  const Staged s = run_staged({}, {"--stages", "0s:3,17s:3"});
  ASSERT_TRUE(s.ok);
  EXPECT_EQ(s.run.exit_code, 0) << s.run.describe();
  EXPECT_TRUE(s.stage(1)["ttfa_p95_ms"].IsNull());
  ASSERT_TRUE(s.stage(2)["ttfa_p95_ms"].IsNumber()) << s.run.report;
  EXPECT_GT(s.stage(2)["ttfa_p95_ms"].GetDouble(), 0.0);
  EXPECT_EQ(s.stage_count(2, "turns_replied"), 3);
  EXPECT_TRUE(s.stage(2)["reply_latency_p95_ms"].IsNumber());
  EXPECT_GT(s.stage(2)["frames_sent"].GetInt64(), 0);
}

TEST(Stages, BadStagesAreUsageErrorsBeforeAnyCall) {
  const auto usage_error = callsim_usage_error;
  EXPECT_THAT(usage_error({"--stages", "30s:5/s,1m:10"}),
              HasSubstr("callsim: --stages: stage 2 '1m:10': every target must be calls"));
  EXPECT_THAT(usage_error({"--stages", "30s:5", "--rate", "5"}),
              HasSubstr("--stages already shapes the load; drop --rate"));
  EXPECT_THAT(usage_error({"--stages", "30s:5", "--calls", "100"}),
              HasSubstr("--stages already shapes the load; drop --calls"));
}

}  // namespace
}  // namespace callsim::test
