#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "clock.h"

namespace callsim {

// Frame send lateness per stretch of the run, for the time series (--csv, --html): how late the
// generator was *when*, which the run's single histogram cannot say. One per worker on the hot
// path, merged after the join.
//
// Slots are kBaseWidth wide, counted from the run's start. The storage is reserved once (kSlots
// slots) and never grows: when a run outlasts kSlots slots, neighbouring slots are merged in
// place and the width doubles (250 ms, 500 ms, 1 s, 2 s, ...), so record() never allocates and
// memory stays bounded however long the run. Each slot keeps the count, the exact maximum and a
// coarse log-linear histogram (4 sub-buckets per power of two of nanoseconds), so a slot's p99
// is at most 25 % above the truth, never below it.
class LatenessSeries {
 public:
  static constexpr Nanos kBaseWidth = std::chrono::milliseconds(250);
  static constexpr size_t kSlots = 1024;
  static constexpr int kSubBucketBits = 2;
  static constexpr int kValueBits = 40;  // values are clamped to 2^40 ns (18 minutes)
  static constexpr int kBuckets = (kValueBits - kSubBucketBits + 1) << kSubBucketBits;

  struct Slot {
    uint64_t count = 0;
    uint64_t max_ns = 0;
    std::array<uint32_t, kBuckets> buckets{};
    void add(const Slot& other);
  };

  // What the frames sent in one stretch came to.
  struct Summary {
    uint64_t frames = 0;
    Nanos p99{0};  // 0 when no frame was sent
    Nanos max{0};
  };

  LatenessSeries();

  // A frame sent `since_start` after the run's start, `lateness` after its deadline (negative
  // values count as 0, as in LatencyHistogram).
  void record(Nanos since_start, Nanos lateness);
  void merge(const LatenessSeries& other);

  Nanos width() const { return width_; }
  // The frames sent in the slots that start within [from, to); both should be multiples of
  // width().
  Summary summarize(Nanos from, Nanos to) const;
  // Where the last recorded slot ends (0 when nothing was recorded).
  Nanos recorded_until() const { return width_ * static_cast<int64_t>(slots_.size()); }

 private:
  void coarsen();  // merges slot pairs, doubling the width

  Nanos width_ = kBaseWidth;
  std::vector<Slot> slots_;  // capacity kSlots from construction
};

}  // namespace callsim
