#include "core/load_plan.h"

#include <gtest/gtest.h>

#include <set>

#include "core/options.h"

namespace callsim {
namespace {

using namespace std::chrono_literals;

TEST(LoadPlan, DealsEveryCallToExactlyOneWorker) {
  LoadPlan plan(7, 23, 0s, 0, 3);
  std::set<int64_t> seen;
  int64_t initial = 0;
  for (int w = 0; w < 3; ++w) {
    for (int64_t k = 0; k < plan.calls_for(w); ++k) {
      int64_t g = plan.call_index(w, k);
      EXPECT_EQ(g % 3, w);
      EXPECT_TRUE(seen.insert(g).second);
    }
    initial += plan.initial_calls_for(w);
  }
  EXPECT_EQ(seen.size(), 23u);
  EXPECT_EQ(*seen.rbegin(), 22);
  EXPECT_EQ(initial, 7);
}

TEST(LoadPlan, ClosedModelBurstStartsTogetherAndReplacementsWait) {
  LoadPlan plan(60, 100, 0s, 0, 2);
  for (int64_t g = 0; g < 60; ++g) EXPECT_EQ(plan.scheduled_offset(g), Nanos(0));
  EXPECT_FALSE(plan.scheduled_offset(60).has_value());
  EXPECT_EQ(plan.calls_for(0) + plan.calls_for(1), 100);
}

TEST(LoadPlan, RampSpreadsStartsEvenlyWithoutRoundingDrift) {
  LoadPlan plan(3, 3, 1s, 0, 1);
  EXPECT_EQ(*plan.scheduled_offset(0), 0ns);
  EXPECT_EQ(*plan.scheduled_offset(1), Nanos(333'333'333));
  EXPECT_EQ(*plan.scheduled_offset(2), Nanos(666'666'666));
}

TEST(LoadPlan, OpenModelSchedulesEveryCallByRate) {
  LoadPlan plan(10, 50, 0s, 20.0, 4);
  EXPECT_TRUE(plan.open_model());
  EXPECT_EQ(plan.initial_calls_for(1), plan.calls_for(1));
  EXPECT_EQ(*plan.scheduled_offset(0), 0ns);
  EXPECT_EQ(*plan.scheduled_offset(49), 2450ms);
}

TEST(LoadPlan, TotalNeverBelowConcurrency) {
  LoadPlan plan(10, 0, 0s, 0, 4);
  EXPECT_EQ(plan.total_calls(), 10);
  EXPECT_EQ(plan.calls_for(0), 3);
  EXPECT_EQ(plan.calls_for(3), 2);
}

TEST(LoadPlan, RateAndDurationScheduleEveryArrivalNotJustConcurrentOnes) {
  // --rate 20 --duration 5s -c 10 once placed only 10 calls.
  Options o;
  o.rate = 20;
  o.duration = 5s;
  o.concurrent = 10;
  EXPECT_EQ(o.total_calls(), 100);
  LoadPlan plan(o.concurrent, o.total_calls(), 0s, o.rate, 3);
  EXPECT_EQ(plan.total_calls(), 100);
  EXPECT_EQ(plan.calls_for(0) + plan.calls_for(1) + plan.calls_for(2), 100);
  EXPECT_EQ(*plan.scheduled_offset(99), 4950ms);
}

TEST(LoadPlan, ArrivalsWithinCountsOnlyStartsBeforeTheEnd) {
  EXPECT_EQ(LoadPlan::arrivals_within(20, 2s), 40);
  EXPECT_EQ(LoadPlan::arrivals_within(3, 1s), 3);
  EXPECT_EQ(LoadPlan::arrivals_within(2.5, 1s), 3);  // at 0, 0.4 and 0.8 s
  EXPECT_EQ(LoadPlan::arrivals_within(0.5, 1s), 1);
  EXPECT_EQ(LoadPlan::arrivals_within(10, 0s), 0);
}

TEST(LoadPlan, OpenModelWithFewerCallsThanConcurrentPlacesOnlyThoseCalls) {
  LoadPlan plan(10, 4, 0s, 5.0, 2);
  EXPECT_EQ(plan.total_calls(), 4);
  EXPECT_EQ(plan.calls_for(0) + plan.calls_for(1), 4);
}

TEST(LoadPlan, InFlightLimitIsSplitExactlyAcrossWorkers) {
  LoadPlan plan(5, 40, 0s, 20.0, 2);
  EXPECT_EQ(plan.in_flight_limit_for(0), 3);
  EXPECT_EQ(plan.in_flight_limit_for(1), 2);
  EXPECT_TRUE(plan.starts_arrival(1, 1));
  EXPECT_FALSE(plan.starts_arrival(1, 2));
  EXPECT_TRUE(plan.starts_arrival(0, 2));
  EXPECT_FALSE(plan.starts_arrival(0, 3));
  LoadPlan closed(5, 40, 0s, 0, 2);
  EXPECT_TRUE(closed.starts_arrival(0, 100));
}

}  // namespace
}  // namespace callsim
