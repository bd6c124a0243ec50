#include "core/lateness_series.h"

#include <gtest/gtest.h>

namespace callsim {
namespace {

using namespace std::chrono_literals;

TEST(LatenessSeries, P99IsTheUpperEdgeOfItsCoarseBucketAndMaxIsExact) {
  LatenessSeries s;
  for (int i = 0; i < 99; ++i) s.record(100ms, 1ms);
  s.record(200ms, 100ms);
  LatenessSeries::Summary sum = s.summarize(0ms, 250ms);
  EXPECT_EQ(sum.frames, 100u);
  // 1,000,000 ns lies in [917,504, 1,048,576): 4 sub-buckets per power of two.
  EXPECT_EQ(sum.p99, Nanos(1'048'575));
  EXPECT_EQ(sum.max, 100ms);
}

TEST(LatenessSeries, FramesFallInTheSlotOfTheirSendTime) {
  LatenessSeries s;
  s.record(0ms, 2ms);
  s.record(249ms, 2ms);
  s.record(250ms, 7ms);
  s.record(-5ms, -1ms);  // before the start, sent early: slot 0, lateness 0
  EXPECT_EQ(s.summarize(0ms, 250ms).frames, 3u);
  EXPECT_EQ(s.summarize(0ms, 250ms).max, 2ms);
  EXPECT_EQ(s.summarize(250ms, 500ms).frames, 1u);
  EXPECT_EQ(s.summarize(250ms, 500ms).p99, 7ms);  // clamped to the exact max
  EXPECT_EQ(s.summarize(500ms, 750ms).frames, 0u);
  EXPECT_EQ(s.summarize(500ms, 750ms).p99, 0ms);
  EXPECT_EQ(s.recorded_until(), 500ms);
}

TEST(LatenessSeries, ALongRunMergesNeighbouringSlotsInsteadOfGrowing) {
  LatenessSeries s;
  s.record(100ms, 1ms);
  s.record(255'900ms, 3ms);  // slot 1023, the last at 250 ms
  EXPECT_EQ(s.width(), 250ms);
  s.record(256'100ms, 5ms);  // would be slot 1024
  EXPECT_EQ(s.width(), 500ms);
  EXPECT_EQ(s.summarize(0ms, 500ms).frames, 1u);
  EXPECT_EQ(s.summarize(255'500ms, 256'000ms).max, 3ms);
  EXPECT_EQ(s.summarize(256'000ms, 256'500ms).max, 5ms);
  s.record(std::chrono::hours(1000), 9ms);
  EXPECT_GT(s.width(), 1000 * 3600s / LatenessSeries::kSlots);
  EXPECT_EQ(s.summarize(0ms, std::chrono::hours(2000)).frames, 4u);
  EXPECT_EQ(s.summarize(0ms, std::chrono::hours(2000)).max, 9ms);
}

TEST(LatenessSeries, MergeCoarsensToTheWiderOfTheTwo) {
  LatenessSeries fine, coarse;
  fine.record(300ms, 4ms);
  coarse.record(100ms, 2ms);
  coarse.record(300'000ms, 1ms);  // 500 ms slots
  ASSERT_EQ(coarse.width(), 500ms);
  fine.merge(coarse);
  EXPECT_EQ(fine.width(), 500ms);
  EXPECT_EQ(fine.summarize(0ms, 500ms).frames, 2u);
  EXPECT_EQ(fine.summarize(0ms, 500ms).max, 4ms);
  EXPECT_EQ(fine.summarize(300'000ms, 300'500ms).frames, 1u);

  LatenessSeries empty;
  empty.merge(fine);
  EXPECT_EQ(empty.width(), 500ms);
  EXPECT_EQ(empty.summarize(0ms, 1000s).frames, 3u);
}

}  // namespace
}  // namespace callsim
