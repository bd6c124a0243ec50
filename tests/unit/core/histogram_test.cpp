#include "core/histogram.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <tuple>
#include <vector>

namespace callsim {
namespace {

using namespace std::chrono_literals;

using Bucket = std::tuple<Nanos, Nanos, uint64_t>;

std::vector<Bucket> buckets_of(const LatencyHistogram& h) {
  std::vector<Bucket> out;
  h.for_each_bucket(
      [&](Nanos lower, Nanos upper, uint64_t n) { out.emplace_back(lower, upper, n); });
  return out;
}

// Log-uniform values from 1 ns to ~1000 s, deterministic.
std::vector<Nanos> wide_range_values(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> exponent(0.0, 12.0);
  std::vector<Nanos> values;
  for (size_t i = 0; i < n; ++i)
    values.emplace_back(static_cast<int64_t>(std::pow(10.0, exponent(rng))));
  return values;
}

TEST(LatencyHistogram, EmptyReportsZeros) {
  LatencyHistogram h;
  EXPECT_EQ(h.count(), 0u);
  EXPECT_EQ(h.min(), 0ns);
  EXPECT_EQ(h.max(), 0ns);
  EXPECT_EQ(h.mean(), 0ns);
  EXPECT_EQ(h.percentile(50), 0ns);
  EXPECT_EQ(h.percentile(100), 0ns);
  EXPECT_TRUE(buckets_of(h).empty());
}

TEST(LatencyHistogram, ZeroAndNegativeValuesCountAsZero) {
  LatencyHistogram h;
  h.record(0ns);
  h.record(-5ms);
  EXPECT_EQ(h.count(), 2u);
  EXPECT_EQ(h.min(), 0ns);
  EXPECT_EQ(h.max(), 0ns);
  EXPECT_EQ(h.mean(), 0ns);
  EXPECT_EQ(h.percentile(99), 0ns);
  EXPECT_EQ(buckets_of(h), (std::vector<Bucket>{{0ns, 1ns, 2}}));
}

TEST(LatencyHistogram, SmallValuesAreExact) {
  LatencyHistogram h;
  for (int v = 0; v < 32; ++v) h.record(Nanos(v));
  for (int v = 0; v < 32; ++v) {
    // Value v is the (v+1)-th of 32: nearest rank for percent (v+1)/32*100.
    EXPECT_EQ(h.percentile((v + 1) * 100.0 / 32), Nanos(v)) << v;
  }
  EXPECT_EQ(buckets_of(h).size(), 32u);
}

TEST(LatencyHistogram, MinMaxMeanAreExact) {
  LatencyHistogram h;
  h.record(3ns);
  h.record(1000ns);
  h.record(123456789ns);
  EXPECT_EQ(h.min(), 3ns);
  EXPECT_EQ(h.max(), 123456789ns);
  EXPECT_EQ(h.mean(), Nanos((3 + 1000 + 123456789 + 1) / 3));  // 41152597.33 rounds down
  LatencyHistogram halves;
  halves.record(1ns);
  halves.record(2ns);
  EXPECT_EQ(halves.mean(), 2ns);  // 1.5 rounds half away from zero
}

TEST(LatencyHistogram, PercentilesWithinSixPointTwoFivePercentOverAWideRange) {
  const std::vector<Nanos> values = wide_range_values(20000, 42);
  LatencyHistogram h;
  for (Nanos v : values) h.record(v);
  std::vector<Nanos> sorted = values;
  std::sort(sorted.begin(), sorted.end());
  for (double p : {0.01, 1.0, 5.0, 10.0, 25.0, 50.0, 75.0, 90.0, 95.0, 99.0, 99.9, 99.99}) {
    const size_t rank = static_cast<size_t>(std::ceil(p / 100 * sorted.size()));
    const Nanos truth = sorted[rank - 1];
    const Nanos reported = h.percentile(p);
    EXPECT_GE(reported, truth) << p;
    EXPECT_LE((reported - truth).count() * 16, truth.count())
        << p << "% " << reported.count() << " vs " << truth.count();
  }
  EXPECT_EQ(h.percentile(0), sorted.front());
  EXPECT_EQ(h.percentile(100), sorted.back());
}

TEST(LatencyHistogram, EveryValueIsReportedWithinTheBound) {
  // With a far larger value beside it, percentile(50) is v's own bucket edge, unclamped by max.
  std::vector<int64_t> values;
  for (int64_t v = 1; v <= 5000; ++v) values.push_back(v);
  for (int bit = 13; bit < 63; ++bit) {
    const int64_t p = int64_t{1} << bit;
    for (int64_t v : {p - 1, p, p + 1, p + p / 32, p + p / 16 - 1}) values.push_back(v);
  }
  LatencyHistogram h;
  for (int64_t v : values) {
    h.reset();
    h.record(Nanos(v));
    h.record(Nanos::max());
    const int64_t reported = h.percentile(50).count();
    ASSERT_GE(reported, v);
    ASSERT_LE(static_cast<long double>(reported - v), static_cast<long double>(v) / 16) << v;
  }
}

TEST(LatencyHistogram, BucketsContainTheirValuesAndAreNarrow) {
  const std::vector<Nanos> values = wide_range_values(5000, 7);
  for (Nanos v : values) {
    LatencyHistogram h;
    h.record(v);
    const auto buckets = buckets_of(h);
    ASSERT_EQ(buckets.size(), 1u);
    const auto& [lower, upper, n] = buckets[0];
    EXPECT_EQ(n, 1u);
    EXPECT_LE(lower, v);
    EXPECT_LT(v, upper);
    EXPECT_LE((upper - lower).count() * 16, std::max<int64_t>(lower.count(), 16));
  }
}

TEST(LatencyHistogram, HugeValuesSaturateWithoutOverflow) {
  LatencyHistogram h;
  h.record(Nanos::max());
  h.record(Nanos::max());
  EXPECT_EQ(h.max(), Nanos::max());
  EXPECT_EQ(h.min(), Nanos::max());
  EXPECT_EQ(h.mean(), Nanos::max());
  EXPECT_EQ(h.percentile(50), Nanos::max());
  const auto buckets = buckets_of(h);
  ASSERT_EQ(buckets.size(), 1u);
  EXPECT_EQ(std::get<1>(buckets[0]), Nanos::max());
  EXPECT_LE(std::get<0>(buckets[0]), Nanos::max());
  EXPECT_EQ(std::get<2>(buckets[0]), 2u);
}

TEST(LatencyHistogram, BucketsAscendAndSumToCount) {
  LatencyHistogram h;
  for (Nanos v : wide_range_values(3000, 9)) h.record(v);
  const auto buckets = buckets_of(h);
  uint64_t total = 0;
  for (size_t i = 0; i < buckets.size(); ++i) {
    total += std::get<2>(buckets[i]);
    if (i > 0) {
      EXPECT_LE(std::get<1>(buckets[i - 1]), std::get<0>(buckets[i]));
    }
  }
  EXPECT_EQ(total, 3000u);
}

TEST(LatencyHistogram, MergeEqualsRecordingEverythingIntoOne) {
  const std::vector<Nanos> a = wide_range_values(4000, 1);
  const std::vector<Nanos> b = wide_range_values(7000, 2);
  LatencyHistogram ha, hb, all;
  for (Nanos v : a) {
    ha.record(v);
    all.record(v);
  }
  for (Nanos v : b) {
    hb.record(v);
    all.record(v);
  }
  ha.merge(hb);
  EXPECT_EQ(ha.count(), all.count());
  EXPECT_EQ(ha.min(), all.min());
  EXPECT_EQ(ha.max(), all.max());
  EXPECT_EQ(ha.mean(), all.mean());
  for (double p = 0; p <= 100; p += 0.5) EXPECT_EQ(ha.percentile(p), all.percentile(p)) << p;
  EXPECT_EQ(buckets_of(ha), buckets_of(all));
}

TEST(LatencyHistogram, MergeWithEmptySides) {
  LatencyHistogram empty, filled;
  filled.record(5ms);
  filled.record(7ms);

  LatencyHistogram into_empty;
  into_empty.merge(filled);
  EXPECT_EQ(into_empty.count(), 2u);
  EXPECT_EQ(into_empty.min(), 5ms);
  EXPECT_EQ(into_empty.max(), 7ms);
  EXPECT_EQ(into_empty.mean(), 6ms);

  filled.merge(empty);
  EXPECT_EQ(filled.count(), 2u);
  EXPECT_EQ(filled.min(), 5ms);

  empty.merge(LatencyHistogram());
  EXPECT_EQ(empty.count(), 0u);
  EXPECT_EQ(empty.min(), 0ns);
}

TEST(LatencyHistogram, ResetForgetsEverything) {
  LatencyHistogram h;
  h.record(3ms);
  h.reset();
  EXPECT_EQ(h.count(), 0u);
  EXPECT_EQ(h.max(), 0ns);
  EXPECT_TRUE(buckets_of(h).empty());
  h.record(1ms);
  EXPECT_EQ(h.min(), 1ms);
}

TEST(LatencyHistogram, PercentileClampsToRecordedRange) {
  LatencyHistogram h;
  for (int i = 0; i < 100; ++i) h.record(1000ns);  // bucket [992, 1024): edge 1023 > max
  EXPECT_EQ(h.percentile(50), 1000ns);
  EXPECT_EQ(h.percentile(-3), 1000ns);
  EXPECT_EQ(h.percentile(250), 1000ns);
  EXPECT_EQ(h.percentile(std::nan("")), 1000ns);
}

}  // namespace
}  // namespace callsim
