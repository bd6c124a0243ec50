#include "verify/timelines.h"

#include <gtest/gtest.h>

#include "scenario.h"

namespace callsim {
namespace {

using test::ms;
using test::Scenario;

TEST(AdmittedTimeline, ASlotFreedAndTakenAtTheSameInstantIsNotTwoCalls) {
  Scenario s;
  s.admit(0, ms(0), ms(10), ms(50));
  s.admit(0, ms(0), ms(50), ms(90));  // admitted exactly when the first ended
  s.admit(0, ms(0), ms(60), ms(70));
  s.reject(0, ms(0), ms(20));
  CallRecord& open = s.add(0, ms(0));  // admitted, interrupted before it ended
  open.outcome = Outcome::kInterrupted;
  open.upgraded = s.t0 + ms(80);
  std::vector<const CallRecord*> calls;
  for (const auto& c : s.calls) calls.push_back(&c);
  AdmittedTimeline t(calls);
  EXPECT_EQ(t.live_at(s.t0 + ms(5)), 0);
  EXPECT_EQ(t.live_at(s.t0 + ms(50)), 1);
  EXPECT_EQ(t.live_at(s.t0 + ms(65)), 2);
  EXPECT_EQ(t.live_at(s.t0 + ms(85)), 2);
  EXPECT_EQ(t.live_at(s.t0 + ms(1000)), 1);  // the interrupted call never ended
  EXPECT_EQ(t.max_in(s.t0, s.t0 + ms(55)), 1);
  EXPECT_EQ(t.max_in(s.t0 + ms(55), s.t0 + ms(58)), 1);
  EXPECT_EQ(t.max_in(s.t0, s.t0 + ms(100)), 2);
  auto over = t.over_cap_admissions(1, s.t0, s.t0 + ms(100));
  ASSERT_EQ(over.size(), 2u);
  EXPECT_EQ(over[0], &s.calls[2]);
  EXPECT_EQ(over[1], &s.calls[4]);
}

TEST(GaugeTimeline, StepFunctionLookups) {
  TimePoint t0(std::chrono::seconds(5));
  auto g = GaugeTimeline::from_points({{t0 + ms(20), 2}, {t0 + ms(10), 1}, {t0 + ms(30), 0}}, true,
                                      t0 + ms(40));
  EXPECT_EQ(g.value_at(t0), std::nullopt);
  EXPECT_EQ(g.value_at(t0 + ms(10)), 1);
  EXPECT_EQ(g.value_at(t0 + ms(25)), 2);
  EXPECT_EQ(g.value_at(t0 + ms(99)), 0);
  EXPECT_EQ(g.observed_until(), t0 + ms(40));
  auto [first, last] = g.range(t0 + ms(10), t0 + ms(30));  // (10, 30]
  EXPECT_EQ(first, 1u);
  EXPECT_EQ(last, 3u);
}

TEST(GaugeTimeline, UsesEventsOnlyWhenTheTraceIsExact) {
  Scenario s;
  s.event(ms(1), 7);
  s.sample(ms(2), 8);
  EXPECT_EQ(GaugeTimeline::from_trace(s.trace).points().size(), 1u);
  EXPECT_EQ(GaugeTimeline::from_trace(s.trace).value_at(s.t0 + ms(3)), 7);
  EXPECT_EQ(GaugeTimeline::from_trace(s.trace).observed_until(), s.t0 + ms(2));
  s.trace.exact = false;
  EXPECT_EQ(GaugeTimeline::from_trace(s.trace).value_at(s.t0 + ms(3)), 8);
  EXPECT_FALSE(GaugeTimeline::from_trace(s.trace).exact());
}

}  // namespace
}  // namespace callsim

namespace callsim {
namespace {

TEST(AdmittedTimeline, ACallAdmittedAndReleasedAtOneInstantStartsBeforeItEnds) {
  CallRecord call;
  call.outcome = Outcome::kDropped;
  call.upgraded = TimePoint(std::chrono::seconds(5));
  call.admission_confirmed = call.upgraded;
  call.hung_up = call.upgraded;
  call.ended = call.upgraded;
  AdmittedTimeline timeline({&call});
  ASSERT_EQ(timeline.steps().size(), 2u);
  EXPECT_EQ(timeline.steps()[0].delta, +1);
  EXPECT_EQ(timeline.steps()[1].delta, -1);
}

}  // namespace
}  // namespace callsim
