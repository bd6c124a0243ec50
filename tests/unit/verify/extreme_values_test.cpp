// A gauge may hold any int64 (it is whatever the server stored): the checks' arithmetic on
// baselines at the limits saturates instead of wrapping into nonsense in the verdict text.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <limits>

#include "scenario.h"
#include "verify/safe_math.h"

namespace callsim {
namespace {

using test::check;
using test::ms;
using test::Scenario;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();

TEST(SafeMath, SaturatesAtTheLimits) {
  EXPECT_EQ(saturating_add(kMax, 3), kMax);
  EXPECT_EQ(saturating_add(kMin, -3), kMin);
  EXPECT_EQ(saturating_add(kMax, -3), kMax - 3);
  EXPECT_EQ(saturating_sub(kMin, kMax), kMin);
  EXPECT_EQ(saturating_sub(kMax, kMin), kMax);
  EXPECT_EQ(saturating_sub(50, kMin), kMax);
  EXPECT_EQ(saturating_sub(5, 7), -2);
  EXPECT_EQ(saturating_abs(kMin), kMax);
  EXPECT_EQ(saturating_abs(-7), 7);
}

// Three calls admitted and held, the gauge pinned at `value` throughout, and read once more
// after the calls ended at `final_value`.
Scenario pinned_gauge(int64_t baseline, int64_t value, int64_t final_value) {
  Scenario s;
  s.baseline = baseline;
  s.event(ms(0), value, EventOrigin::kSnapshot);
  for (int i = 0; i < 3; ++i) s.admit(0, ms(i), ms(10 + i), ms(5000));
  s.event(ms(5100), final_value);
  s.sample(ms(5200), final_value);
  return s;
}

TEST(ExtremeValues, BaselinePlusLiveDoesNotWrapAround) {
  Scenario s = pinned_gauge(kMax, kMax, kMax);
  Verification v = s.run();
  const CheckResult& r = check(v, "gauge_consistent");
  EXPECT_EQ(r.value("expected"), kMax);
  EXPECT_THAT(r.summary, Not(HasSubstr("-922337203685477")));
  EXPECT_THAT(r.summary, HasSubstr("baseline 9223372036854775807 + 3"));
}

TEST(ExtremeValues, LeakBetweenTheLimitsIsCountedNotWrapped) {
  Scenario s = pinned_gauge(kMax, kMax, kMin);
  Verification v = s.run();
  const CheckResult& r = check(v, "no_leak");
  ASSERT_EQ(r.verdict, Verdict::kFail);
  EXPECT_EQ(r.value("leaked"), kMin);
  EXPECT_THAT(r.summary, HasSubstr("over-released 9223372036854775807 slot(s)"));
  ASSERT_TRUE(r.offense);
  EXPECT_THAT(r.offense->what, HasSubstr("(9223372036854775807 slot(s) over-released)"));
}

TEST(ExtremeValues, FreeSlotsWithAHugelyNegativeBaselineDoNotWrap) {
  Scenario s = pinned_gauge(kMin, kMin, kMin);
  Verification v = s.run();
  const CheckResult& r = check(v, "full_admission");
  EXPECT_EQ(r.value("free_slots"), kMax);
  EXPECT_EQ(r.verdict, Verdict::kPass) << r.summary;
  EXPECT_THAT(r.summary, HasSubstr("3 of 3 arrivals admitted with 9223372036854775807 slots free"));
}

}  // namespace
}  // namespace callsim
