#include "frame_pacer.h"

namespace callsim {

FramePacer::FramePacer(TimePoint start, uint64_t first_timestamp_ms)
    : start_(start), first_timestamp_ms_(first_timestamp_ms) {}

TimePoint FramePacer::deadline(uint64_t frame) const {
  return start_ + kFramePeriod * static_cast<Nanos::rep>(frame);
}

TimePoint FramePacer::next_due() const {
  return deadline(next_frame_);
}

uint64_t FramePacer::next_timestamp_ms() const {
  constexpr uint64_t kPeriodMs =
      std::chrono::duration_cast<std::chrono::milliseconds>(kFramePeriod).count();
  return first_timestamp_ms_ + kPeriodMs * next_frame_;
}

uint64_t FramePacer::due_frames(TimePoint now) {
  if (now < next_due()) return 0;
  // Frames next_frame_ .. last_due all have deadlines at or before `now`.
  const uint64_t last_due = static_cast<uint64_t>((now - start_) / kFramePeriod);
  uint64_t due = last_due - next_frame_ + 1;
  if (due > kMaxBurst) {
    const uint64_t skip = due - kMaxBurst;
    next_frame_ += skip;
    skipped_ += skip;
    due = kMaxBurst;
  }
  return due;
}

Nanos FramePacer::mark_sent(TimePoint now) {
  const Nanos lateness = now - next_due();
  ++next_frame_;
  return lateness;
}

}  // namespace callsim
