#pragma once

#include <array>
#include <cstdint>
#include <functional>

#include "clock.h"

namespace callsim {

// A constant-memory, mergeable histogram of non-negative durations with log-linear buckets
// (128 sub-buckets per power of two of nanoseconds, so any percentile is within 0.79 % of the
// truth). One per worker on the hot path: record() is a few arithmetic ops and one increment,
// never allocates; workers' histograms are combined with merge() after the join.
class LatencyHistogram {
 public:
  static constexpr int kSubBucketBits = 7;
  static constexpr int kSubBuckets = 1 << kSubBucketBits;
  static constexpr int kBucketCount = (64 - kSubBucketBits + 1) * kSubBuckets;

  void record(Nanos value);  // negative values count as 0
  void merge(const LatencyHistogram& other);
  void reset();

  uint64_t count() const { return count_; }
  Nanos min() const;   // 0 when empty
  Nanos max() const;   // exact, 0 when empty
  Nanos mean() const;  // exact (from the running sum), 0 when empty
  // The value at or below which `percent` (0..100) of the recorded values lie: the upper edge of
  // the bucket holding that rank (its highest value, upper - 1 ns), clamped to [min(), max()], so
  // never below the true nearest-rank value and at most 0.79 % above it. 0 when empty;
  // percentile(0) is min(), percentile(100) is max().
  Nanos percentile(double percent) const;

  // Visits every non-empty bucket in ascending order: [lower, upper) and its count. Values below
  // 256 ns have a bucket each; the topmost buckets' upper edge saturates at Nanos::max().
  void for_each_bucket(
      const std::function<void(Nanos lower, Nanos upper, uint64_t count)>& visit) const;

 private:
  std::array<uint64_t, kBucketCount> buckets_{};
  uint64_t count_ = 0;
  uint64_t min_ns_ = UINT64_MAX;
  uint64_t max_ns_ = 0;
  long double sum_ns_ = 0;
};

}  // namespace callsim
