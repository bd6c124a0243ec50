#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "scenario.h"

namespace callsim {
namespace {

using test::ms;
using test::Scenario;
using ::testing::HasSubstr;

const CheckResult& find_check(const Verification& v, const std::string& name) {
  const CheckResult* r = v.find(name);
  EXPECT_NE(r, nullptr) << name;
  return *r;
}

// The server died 1.5 s into a 5 s hold: every call was closed early, yet every other call
// check passed before calls_completed existed.
TEST(CallsCompleted, ServerDeathMidHoldFailsWithOutcomesAndSids) {
  Scenario s;
  s.options.cap = 50;
  for (int i = 0; i < 20; ++i) s.admit(0, ms(i), ms(10 + i), ms(1500), Outcome::kClosedEarly);
  s.calls[3].outcome = Outcome::kProtocolError;
  s.calls[3].error = "connection reset";
  Verification v = s.run();
  const CheckResult& r = find_check(v, "calls_completed");
  EXPECT_EQ(r.verdict, Verdict::kFail);
  EXPECT_EQ(r.summary,
            "20 of 20 admitted calls did not run to their planned end: "
            "closed_early 19, protocol_error 1");
  ASSERT_TRUE(r.offense.has_value());
  EXPECT_EQ(r.offense->call_sids.size(), 20u);
  EXPECT_EQ(r.offense->call_sids.front(), s.calls[0].ids.call_sid);
  EXPECT_THAT(r.offense->what, HasSubstr("closed_early"));
  EXPECT_TRUE(v.failed());
}

// Churn, rejections over the cap and calls callsim dropped on purpose are all fine.
TEST(CallsCompleted, QuietOnRejectionsChurnAndDeliberateDrops) {
  Scenario s;
  s.options.cap = 2;
  s.admit(0, ms(0), ms(10), ms(100));
  s.admit(0, ms(1), ms(11), ms(100), Outcome::kDropped);
  s.reject(0, ms(2), ms(12));
  s.reject(0, ms(3), ms(13), RejectKind::kClosedAfterStart).upgraded = s.t0 + ms(12);
  s.admit(0, ms(200), ms(210), ms(300));  // a later call in a freed slot
  Verification v = s.run();
  const CheckResult& r = find_check(v, "calls_completed");
  EXPECT_EQ(r.verdict, Verdict::kPass) << r.summary;
  EXPECT_EQ(r.summary, "all 3 admitted calls ran to their planned end");
}

// A server that stopped reading served its calls their whole hold, so they count as admitted
// (the cap checks see them), but they did not complete cleanly.
TEST(CallsCompleted, StoppedReadingCallsAreAdmittedButFail) {
  Scenario s;
  s.options.cap = 2;
  s.admit(0, ms(0), ms(10), ms(500));
  s.admit(0, ms(1), ms(11), ms(500), Outcome::kStoppedReading);
  s.admit(0, ms(2), ms(12), ms(500), Outcome::kStoppedReading);
  Verification v = s.run();
  const CheckResult& r = find_check(v, "calls_completed");
  EXPECT_EQ(r.verdict, Verdict::kFail);
  EXPECT_EQ(r.summary, "2 of 3 admitted calls did not run to their planned end: stopped_reading 2");
  // Three admitted at once against a cap of 2: the stopped_reading calls are counted.
  EXPECT_EQ(find_check(v, "admitted_within_cap").verdict, Verdict::kFail);
}

TEST(CallsCompleted, SkipsWhenNothingWasAdmitted) {
  Scenario s;
  s.reject(0, ms(0), ms(5));
  EXPECT_EQ(find_check(s.run(), "calls_completed").verdict, Verdict::kSkip);
}

}  // namespace
}  // namespace callsim

namespace callsim {
namespace {

// The gauge said 50 when the burst began (slots held by calls from before): turning all 60
// away is right, and the summary must not claim 50 slots were free.
TEST(FullAdmission, FreeSlotsCountFromTheGaugeAtTheBurstsStart) {
  Scenario s;
  s.options.cap = 50;
  s.event(ms(0), 0, EventOrigin::kSnapshot);
  s.event(ms(50), 50, EventOrigin::kClient);
  for (int i = 0; i < 60; ++i) s.reject(0, ms(100 + i), ms(110 + i));
  Verification v = s.run();
  const CheckResult& r = find_check(v, "full_admission");
  EXPECT_EQ(r.summary,
            "0 of 60 arrivals admitted with 0 slots free (cap 50 - 50 live when the burst "
            "started, by the gauge)");
  EXPECT_EQ(r.verdict, Verdict::kPass);
}

}  // namespace
}  // namespace callsim
