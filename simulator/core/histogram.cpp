#include "histogram.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace callsim {
namespace {

// Values below 2 * kSubBuckets get one bucket each (exact). Above, a value whose highest set bit
// is `msb` falls into group msb - kSubBucketBits + 1, and its next kSubBucketBits bits pick the
// sub-bucket, so every bucket is at most 1/16 of its lower edge wide.
constexpr int kBits = LatencyHistogram::kSubBucketBits;
constexpr uint64_t kSubs = LatencyHistogram::kSubBuckets;

int bucket_index(uint64_t value) {
  if (value < kSubs) return static_cast<int>(value);
  const int msb = 63 - __builtin_clzll(value);
  const int group = msb - kBits + 1;
  const int shift = group - 1;
  const uint64_t sub = (value >> shift) & (kSubs - 1);
  return group * static_cast<int>(kSubs) + static_cast<int>(sub);
}

uint64_t bucket_lower(int index) {
  const int group = index / static_cast<int>(kSubs);
  const uint64_t sub = static_cast<uint64_t>(index) % kSubs;
  if (group == 0) return sub;
  return (kSubs + sub) << (group - 1);
}

// Exclusive upper edge; saturates for the top buckets whose edge does not fit in 64 bits.
uint64_t bucket_upper(int index) {
  const int group = index / static_cast<int>(kSubs);
  if (group <= 1) return bucket_lower(index) + 1;
  const uint64_t width = uint64_t{1} << (group - 1);
  const uint64_t lower = bucket_lower(index);
  if (lower > UINT64_MAX - width) return UINT64_MAX;
  return lower + width;
}

constexpr uint64_t kMaxNanos = static_cast<uint64_t>(std::numeric_limits<Nanos::rep>::max());

Nanos to_nanos(uint64_t ns) {
  return Nanos(static_cast<Nanos::rep>(std::min(ns, kMaxNanos)));
}

}  // namespace

void LatencyHistogram::record(Nanos value) {
  const uint64_t ns = value.count() < 0 ? 0 : static_cast<uint64_t>(value.count());
  ++buckets_[static_cast<size_t>(bucket_index(ns))];
  ++count_;
  min_ns_ = std::min(min_ns_, ns);
  max_ns_ = std::max(max_ns_, ns);
  sum_ns_ += static_cast<long double>(ns);
}

void LatencyHistogram::merge(const LatencyHistogram& other) {
  if (other.count_ == 0) return;
  for (size_t i = 0; i < buckets_.size(); ++i) buckets_[i] += other.buckets_[i];
  count_ += other.count_;
  min_ns_ = std::min(min_ns_, other.min_ns_);
  max_ns_ = std::max(max_ns_, other.max_ns_);
  sum_ns_ += other.sum_ns_;
}

void LatencyHistogram::reset() {
  *this = LatencyHistogram();
}

Nanos LatencyHistogram::min() const {
  return count_ == 0 ? Nanos(0) : to_nanos(min_ns_);
}

Nanos LatencyHistogram::max() const {
  return count_ == 0 ? Nanos(0) : to_nanos(max_ns_);
}

Nanos LatencyHistogram::mean() const {
  if (count_ == 0) return Nanos(0);
  const long double mean = std::round(sum_ns_ / static_cast<long double>(count_));
  if (mean >= static_cast<long double>(kMaxNanos)) return Nanos::max();
  return Nanos(static_cast<Nanos::rep>(mean));
}

Nanos LatencyHistogram::percentile(double percent) const {
  if (count_ == 0) return Nanos(0);
  if (!(percent > 0)) return min();  // also catches NaN
  if (percent >= 100) return max();
  // Nearest rank: the smallest value with at least `percent` % of the values at or below it.
  const long double exact_rank = static_cast<long double>(percent) / 100 * count_;
  uint64_t rank = static_cast<uint64_t>(std::ceil(exact_rank));
  rank = std::clamp<uint64_t>(rank, 1, count_);
  uint64_t seen = 0;
  for (int i = 0; i < kBucketCount; ++i) {
    seen += buckets_[static_cast<size_t>(i)];
    if (seen >= rank) {
      // The largest value the bucket can hold: never below the truth, at most 1/16 above it.
      const uint64_t highest = bucket_upper(i) - 1;
      return to_nanos(std::clamp(highest, min_ns_, max_ns_));
    }
  }
  return max();
}

void LatencyHistogram::for_each_bucket(
    const std::function<void(Nanos lower, Nanos upper, uint64_t count)>& visit) const {
  for (int i = 0; i < kBucketCount; ++i) {
    const uint64_t n = buckets_[static_cast<size_t>(i)];
    if (n != 0) visit(to_nanos(bucket_lower(i)), to_nanos(bucket_upper(i)), n);
  }
}

}  // namespace callsim
