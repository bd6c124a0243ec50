// The gauge lost mid-run (Redis killed or frozen), a key nothing touches, and churn: what the
// gauge checks can still judge.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "scenario.h"

namespace callsim {
namespace {

using test::check;
using test::ms;
using test::Scenario;
using ::testing::HasSubstr;
using ::testing::Not;

// Redis killed 5 s into a 20 s hold: MONITOR broke, sampling failed from then on.
Scenario gauge_lost_mid_run(std::optional<Nanos> back_at) {
  Scenario s;
  s.trace.exact = false;
  s.trace.not_exact_reason = "MONITOR connection lost: Connection reset by peer";
  for (int i = 0; i < 60; ++i) {
    if (i < 50)
      s.admit(0, ms(i), ms(10 + i), std::chrono::seconds(20));
    else
      s.reject(0, ms(i), ms(70));
  }
  for (int t = 0; t < 50; ++t) s.sample(ms(100 * t), t == 0 ? 0 : 50);
  GaugeLoss monitor{"MONITOR trace", s.t0 + ms(5000), "Connection reset by peer", std::nullopt};
  GaugeLoss sampling{"sampling", s.t0 + ms(4900), "Connection refused", std::nullopt};
  if (back_at) {
    sampling.back_at = s.t0 + *back_at;
    for (Nanos t = *back_at; t < std::chrono::seconds(22); t += ms(100)) {
      s.sample(t, t < std::chrono::seconds(20) + ms(50) ? 50 : 0);
    }
  }
  s.trace.losses = {monitor, sampling};
  return s;
}

TEST(GaugeLoss, ARedisLostMidRunLeavesTheGaugeChecksUnjudged) {
  Scenario s = gauge_lost_mid_run(std::nullopt);
  Verification v = s.run();
  // The old verifier: no_leak SKIP (not incomplete), the rest PASS on the first 5 s, PASS.
  EXPECT_EQ(v.verdict, "INCOMPLETE");
  for (const char* name : {"gauge_within_cap", "gauge_consistent", "no_leak", "never_negative"}) {
    const CheckResult& r = check(v, name);
    EXPECT_EQ(r.verdict, Verdict::kSkip) << name << ": " << r.summary;
    EXPECT_TRUE(r.incomplete) << name;
  }
  EXPECT_THAT(check(v, "gauge_consistent").summary,
              HasSubstr("the gauge's sampling was lost at +4.900000s (Connection refused)"));
  EXPECT_THAT(v.gauge, HasSubstr("MONITOR trace lost at +5.000000s (Connection reset by peer); "
                                 "sampling lost at +4.900000s (Connection refused); "));
  EXPECT_THAT(v.verdict_line,
              HasSubstr("VERDICT: INCOMPLETE: gauge_within_cap, gauge_consistent, no_leak, "
                        "never_negative could not be judged: the gauge's"));
  EXPECT_EQ(check(v, "admitted_within_cap").verdict, Verdict::kPass);
}

TEST(GaugeLoss, AGaugeThatComesBackStillCannotVouchForTheGap) {
  Scenario s = gauge_lost_mid_run(ms(8000));
  Verification v = s.run();
  EXPECT_EQ(check(v, "gauge_consistent").verdict, Verdict::kSkip);
  EXPECT_THAT(check(v, "gauge_consistent").summary, HasSubstr("back at +8.000000s"));
  EXPECT_EQ(v.verdict, "INCOMPLETE");
}

TEST(GaugeLoss, AFailureSeenOnRealEvidenceStillFails) {
  Scenario s = gauge_lost_mid_run(ms(8000));
  s.sample(ms(9050), 47);  // after the gauge came back: three slots missing while steady
  Verification v = s.run();
  EXPECT_EQ(check(v, "gauge_consistent").verdict, Verdict::kFail);
  EXPECT_EQ(v.verdict, "FAIL");
}

TEST(GaugeLoss, ASamplingStallUnderAnExactTraceBlindsNothing) {
  Scenario s;
  s.healthy_burst(0, ms(0), 60, std::chrono::seconds(20), ms(100));
  s.trace.losses = {{"sampling", s.t0 + ms(3000), "no sample succeeded for 1.0s", s.t0 + ms(4000)}};
  Verification v = s.run();
  EXPECT_EQ(v.verdict, "PASS") << v.verdict_line;
}

TEST(Checks, AGaugeKeyNothingTouchesSaysSo) {
  // --gauge calls:active_cnt: the key stays 0 while 50 calls are live.
  Scenario s;
  s.trace.source = "get:calls:active_cnt";
  s.trace.commands_on_key = 0;
  for (int i = 0; i < 50; ++i) s.admit(0, ms(i), ms(10 + i), std::chrono::seconds(20));
  s.event(ms(0), 0, EventOrigin::kSnapshot);
  s.sample(std::chrono::seconds(21), 0);
  Verification v = s.run();
  const CheckResult& r = check(v, "gauge_consistent");
  ASSERT_EQ(r.verdict, Verdict::kFail);
  EXPECT_THAT(r.summary, HasSubstr("no command touched get:calls:active_cnt during the run: is "
                                   "--gauge the key the server counts in?"));
  ASSERT_EQ(r.warnings.size(), 1u);
}

TEST(Checks, AGaugeThatMovesGetsNoKeyHint) {
  Scenario s;
  s.healthy_burst(0, ms(0), 50, std::chrono::seconds(20), ms(0));
  s.event(ms(1000), 47);  // three slots lost: a real bug, the key is right
  Verification v = s.run();
  const CheckResult& r = check(v, "gauge_consistent");
  ASSERT_EQ(r.verdict, Verdict::kFail);
  EXPECT_THAT(r.summary, Not(HasSubstr("is --gauge the key")));
  EXPECT_TRUE(r.warnings.empty());
}

TEST(Checks, ChurnIsJudgedInEveryStableInterval) {
  // The first call ended before the last admission (churn). Before issue 11 this SKIPped ("the
  // first call ended 5.94s before the last call was decided"); now both stable stretches with a
  // call live are judged, and so is the idle stretch between them.
  Scenario s;
  s.admit(0, ms(0), ms(10), ms(100));
  s.admit(0, ms(5000), ms(6040), ms(9000));
  s.event(ms(0), 0, EventOrigin::kSnapshot);
  s.event(ms(9), 1);
  s.event(ms(101), 0);
  s.event(ms(6039), 1);
  s.event(ms(9001), 0);
  s.sample(ms(9200), 0);
  Verification v = s.run();
  const CheckResult& r = check(v, "gauge_consistent");
  EXPECT_EQ(r.verdict, Verdict::kPass) << r.summary;
  // Call A's 90 ms, the idle stretch between the calls and call B's 3 s: the gauge follows within
  // 1 ms, so even 90 ms is far longer than what is uncertain.
  EXPECT_EQ(r.value("intervals_judged"), 3);
  EXPECT_THAT(r.summary, Not(HasSubstr("-")));
}

}  // namespace
}  // namespace callsim
