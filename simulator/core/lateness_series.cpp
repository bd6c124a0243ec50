#include "lateness_series.h"

#include <algorithm>
#include <cmath>

namespace callsim {
namespace {

constexpr int kBits = LatenessSeries::kSubBucketBits;
constexpr uint64_t kSubs = uint64_t{1} << kBits;
constexpr uint64_t kMaxValue = (uint64_t{1} << LatenessSeries::kValueBits) - 1;

// As LatencyHistogram's buckets, with fewer sub-buckets: values below 2 * kSubs exactly, then
// group msb - kBits + 1 with the next kBits bits as the sub-bucket.
int bucket_index(uint64_t value) {
  if (value < kSubs) return static_cast<int>(value);
  const int msb = 63 - __builtin_clzll(value);
  const int group = msb - kBits + 1;
  const uint64_t sub = (value >> (group - 1)) & (kSubs - 1);
  return group * static_cast<int>(kSubs) + static_cast<int>(sub);
}

// The largest value bucket `index` holds.
uint64_t bucket_highest(int index) {
  const int group = index / static_cast<int>(kSubs);
  const uint64_t sub = static_cast<uint64_t>(index) % kSubs;
  if (group == 0) return sub;
  const uint64_t lower = (kSubs + sub) << (group - 1);
  return lower + (uint64_t{1} << (group - 1)) - 1;
}

}  // namespace

void LatenessSeries::Slot::add(const Slot& other) {
  count += other.count;
  max_ns = std::max(max_ns, other.max_ns);
  for (size_t i = 0; i < buckets.size(); ++i) buckets[i] += other.buckets[i];
}

LatenessSeries::LatenessSeries() {
  slots_.reserve(kSlots);
}

void LatenessSeries::record(Nanos since_start, Nanos lateness) {
  const int64_t at = std::max<int64_t>(0, since_start.count());
  uint64_t index = static_cast<uint64_t>(at / width_.count());
  while (index >= kSlots) {
    coarsen();
    index /= 2;
  }
  // Within the reserved capacity: no allocation.
  if (index >= slots_.size()) slots_.resize(index + 1);
  Slot& slot = slots_[index];
  const uint64_t ns = lateness.count() < 0 ? 0 : static_cast<uint64_t>(lateness.count());
  ++slot.count;
  slot.max_ns = std::max(slot.max_ns, ns);
  ++slot.buckets[static_cast<size_t>(bucket_index(std::min(ns, kMaxValue)))];
}

void LatenessSeries::coarsen() {
  const size_t pairs = (slots_.size() + 1) / 2;
  for (size_t i = 0; i < pairs; ++i) {
    Slot merged = slots_[2 * i];
    if (2 * i + 1 < slots_.size()) merged.add(slots_[2 * i + 1]);
    slots_[i] = merged;
  }
  slots_.resize(pairs);
  width_ *= 2;
}

void LatenessSeries::merge(const LatenessSeries& other) {
  while (width_ < other.width_) coarsen();
  const int64_t ratio = width_ / other.width_;
  for (size_t j = 0; j < other.slots_.size(); ++j) {
    const size_t index = j / static_cast<size_t>(ratio);
    if (other.slots_[j].count == 0) continue;
    if (index >= slots_.size()) slots_.resize(index + 1);
    slots_[index].add(other.slots_[j]);
  }
}

LatenessSeries::Summary LatenessSeries::summarize(Nanos from, Nanos to) const {
  Slot total;
  for (size_t i = 0; i < slots_.size(); ++i) {
    const Nanos start = width_ * static_cast<int64_t>(i);
    if (start >= from && start < to) total.add(slots_[i]);
  }
  Summary s;
  s.frames = total.count;
  if (total.count == 0) return s;
  s.max = Nanos(static_cast<int64_t>(total.max_ns));
  // Nearest rank, reported as the upper edge of its bucket (never below the truth).
  const uint64_t rank =
      std::max<uint64_t>(1, static_cast<uint64_t>(std::ceil(0.99L * total.count)));
  uint64_t seen = 0;
  for (int i = 0; i < kBuckets; ++i) {
    seen += total.buckets[static_cast<size_t>(i)];
    if (seen >= rank) {
      s.p99 = Nanos(static_cast<int64_t>(std::min(bucket_highest(i), total.max_ns)));
      break;
    }
  }
  return s;
}

}  // namespace callsim
