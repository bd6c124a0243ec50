#include "core/load_stages.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "core/errors.h"
#include "core/load_plan.h"

namespace callsim {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

std::string parse_error(const std::string& text) {
  try {
    LoadStages::parse(text);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(LoadStages, AClosedRampAsksForEachCallWhenTheTargetReachesIt) {
  const LoadStages stages = LoadStages::parse("10s:10,5s:10,5s:0");
  EXPECT_FALSE(stages.open_model());
  EXPECT_EQ(stages.length(), 20s);
  EXPECT_EQ(stages.peak_calls(), 10);
  ASSERT_EQ(stages.steps().size(), 20u);
  EXPECT_EQ(stages.steps().front().at, 1s);
  EXPECT_EQ(stages.steps().front().calls, 1);
  EXPECT_EQ(stages.steps()[9].at, 10s);
  EXPECT_EQ(stages.steps()[9].calls, 10);
  // Down from 10 to 0 over 5 s: one call fewer every 500 ms, the last at the stages' end.
  EXPECT_EQ(stages.steps()[10].at, 15500ms);
  EXPECT_EQ(stages.steps()[10].calls, 9);
  EXPECT_EQ(stages.steps().back().at, 20s);
  EXPECT_EQ(stages.steps().back().calls, 0);

  EXPECT_EQ(stages.calls_wanted(-1ms), 0);
  EXPECT_EQ(stages.calls_wanted(999ms), 0);
  EXPECT_EQ(stages.calls_wanted(1s), 1);
  EXPECT_EQ(stages.calls_wanted(12s), 10);
  EXPECT_EQ(stages.calls_wanted(15600ms), 9);
  EXPECT_EQ(stages.calls_wanted(20s), 0);
  EXPECT_EQ(stages.next_step_after(0s), 1s);
  EXPECT_EQ(stages.next_step_after(10s), 15500ms);
  EXPECT_FALSE(stages.next_step_after(20s));
}

TEST(LoadStages, AJumpIsAZeroLengthStageAndANonZeroEndIsAFinalStepToZero) {
  const LoadStages stages = LoadStages::parse("0s:50, 2s:50 ,0s:5,1s:5");
  EXPECT_EQ(stages.calls_wanted(0s), 50);
  EXPECT_EQ(stages.calls_wanted(2s), 5);
  EXPECT_EQ(stages.calls_wanted(2999ms), 5);
  EXPECT_EQ(stages.calls_wanted(3s), 0);
  EXPECT_EQ(stages.steps().back().at, 3s);
  EXPECT_EQ(stages.stage_at(2s), 3u);  // the 0 s stage at 2 s is over as soon as it starts
  EXPECT_EQ(stages.stage_at(1s), 1u);
  EXPECT_EQ(stages.stage_at(5s), 3u);
}

TEST(LoadStages, OpenArrivalsFollowTheRatesIntegral) {
  // 0 -> 10/s over 2 s (10 arrivals), 10/s for 3 s (30), 10 -> 0/s over 2 s (10).
  const LoadStages stages = LoadStages::parse("2s:10/s,3s:10/s,2s:0/s");
  EXPECT_TRUE(stages.open_model());
  EXPECT_EQ(stages.arrivals(), 50);
  EXPECT_EQ(stages.arrival_offset(0), 0s);
  // During the ramp up arrivals(t) = 2.5 t², so arrival g comes at sqrt(g / 2.5).
  EXPECT_EQ(stages.arrival_offset(10), 2s);
  EXPECT_NEAR(static_cast<double>(stages.arrival_offset(5).count()), 1.41421356e9, 1e3);
  // At the steady 10/s, one every 100 ms.
  EXPECT_EQ(stages.arrival_offset(11), 2100ms);
  EXPECT_EQ(stages.arrival_offset(40), 5s);
  // Ramping down: 10 more arrivals over the last 2 s, the last ones sparser.
  EXPECT_NEAR(static_cast<double>(stages.arrival_offset(49).count()), 6.36754447e9, 1e3);
  EXPECT_LT(stages.arrival_offset(49), stages.length());
}

TEST(LoadStages, AConstantRateMatchesRate) {
  const LoadStages stages = LoadStages::parse("0s:20/s,2s:20/s");
  EXPECT_EQ(stages.arrivals(), LoadPlan::arrivals_within(20, 2s));
  for (int64_t g = 0; g < stages.arrivals(); ++g) {
    const Nanos by_rate = *LoadPlan(1, 40, 0s, 20, 1).scheduled_offset(g);
    EXPECT_NEAR(static_cast<double>(stages.arrival_offset(g).count()),
                static_cast<double>(by_rate.count()), 1.0)
        << g;
  }
}

TEST(LoadStages, ALeadingStageAtZeroRateDelaysTheFirstArrival) {
  const LoadStages stages = LoadStages::parse("10s:0/s,0s:4/s,1s:4/s");
  EXPECT_EQ(stages.arrivals(), 4);
  EXPECT_EQ(stages.arrival_offset(0), 10s);
  EXPECT_EQ(stages.arrival_offset(3), 10750ms);
}

TEST(LoadStages, BadStagesNameTheFlagAndTheStage) {
  EXPECT_THAT(parse_error(""), HasSubstr("--stages: stage 1 is empty"));
  EXPECT_THAT(parse_error("30s:10,,1m:0"), HasSubstr("--stages: stage 2 is empty"));
  EXPECT_THAT(parse_error("30s"), HasSubstr("stage 1 '30s' is not DURATION:TARGET"));
  EXPECT_THAT(parse_error("30s:10,soon:5"), HasSubstr("stage 2 'soon:5'"));
  EXPECT_THAT(parse_error("30s:ten"), HasSubstr("the target is not a number of calls"));
  EXPECT_THAT(parse_error("30s:-1"), HasSubstr("the target is not a number of calls"));
  EXPECT_THAT(parse_error("30s:2.5"), HasSubstr("a whole number of calls"));
  EXPECT_THAT(parse_error("30s:5/s,30s:10"), HasSubstr("not a mix"));
  EXPECT_THAT(parse_error("30s:x/s"), HasSubstr("not a number of arrivals per second"));
  EXPECT_THAT(parse_error("0s:10"), HasSubstr("last no time at all"));
  EXPECT_THAT(parse_error("30s:0,1m:0"), HasSubstr("every target is 0"));
  EXPECT_THAT(parse_error("30s:2000000"), HasSubstr("more than 1000000 calls"));
}

TEST(LoadPlanStages, AClosedStagedPlanDealsTheCallsWantedRoundRobin) {
  auto stages = std::make_shared<const LoadStages>(LoadStages::parse("0s:5,1s:5"));
  const LoadPlan plan(stages, 60, 2);
  EXPECT_TRUE(plan.staged_closed());
  EXPECT_FALSE(plan.open_model());
  EXPECT_EQ(plan.staged_calls_for(0, 0s), 3);
  EXPECT_EQ(plan.staged_calls_for(1, 0s), 2);
  EXPECT_EQ(plan.staged_calls_for(0, 1s), 0);
  EXPECT_EQ(plan.initial_calls_for(0), 0);
  EXPECT_FALSE(plan.scheduled_offset(0));
}

TEST(LoadPlanStages, AnOpenStagedPlanSchedulesTheArrivals) {
  auto stages = std::make_shared<const LoadStages>(LoadStages::parse("2s:10/s"));
  const LoadPlan plan(stages, 4, 2);
  EXPECT_TRUE(plan.open_model());
  EXPECT_EQ(plan.total_calls(), 10);
  EXPECT_EQ(plan.calls_for(0) + plan.calls_for(1), 10);
  EXPECT_EQ(plan.scheduled_offset(3), stages->arrival_offset(3));
  EXPECT_EQ(plan.in_flight_limit_for(0), 2);
}

}  // namespace
}  // namespace callsim
