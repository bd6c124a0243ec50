#include "playback_buffer.h"

#include <algorithm>
#include <utility>

namespace callsim {
namespace {

// 8,000 bytes/s divides a second evenly, so every duration here is an exact number of nanoseconds.
constexpr Nanos kPerByte = PlaybackBuffer::kNanosPerByte;

// Bytes whose play-out has not finished within `remaining`; a byte half played still counts.
uint64_t unplayed_bytes(Nanos remaining) {
  if (remaining <= Nanos(0)) return 0;
  return static_cast<uint64_t>((remaining.count() + kPerByte.count() - 1) / kPerByte.count());
}

}  // namespace

uint64_t PlaybackBuffer::enqueue_audio(TimePoint now, uint64_t bytes) {
  const TimePoint plays_from = std::max(drained_at_, now);
  const Nanos room = kMaxQueued - (plays_from - now);
  const uint64_t room_bytes = room <= Nanos(0) ? 0 : static_cast<uint64_t>(room / kPerByte);
  const uint64_t accepted = std::min(bytes, room_bytes);
  drained_at_ = plays_from + kPerByte * static_cast<Nanos::rep>(accepted);
  accepted_bytes_ += accepted;
  dropped_bytes_ += bytes - accepted;
  return accepted;
}

void PlaybackBuffer::enqueue_mark(TimePoint now, std::string name) {
  marks_.push_back(PendingMark{std::max(drained_at_, now), std::move(name)});
}

void PlaybackBuffer::take_due_marks(TimePoint now, std::vector<std::string>& out) {
  // Marks leave strictly in queue order: a later mark never overtakes an earlier one.
  while (!marks_.empty() && marks_.front().due <= now) {
    out.push_back(std::move(marks_.front().name));
    marks_.pop_front();
  }
}

void PlaybackBuffer::clear(TimePoint now, std::vector<std::string>& out) {
  cleared_bytes_ += unplayed_bytes(drained_at_ - now);
  drained_at_ = std::min(drained_at_, now);
  for (PendingMark& mark : marks_) out.push_back(std::move(mark.name));
  marks_.clear();
}

std::optional<TimePoint> PlaybackBuffer::next_mark_due() const {
  if (marks_.empty()) return std::nullopt;
  return marks_.front().due;
}

Nanos PlaybackBuffer::queued(TimePoint now) const {
  return std::max(Nanos(0), std::chrono::duration_cast<Nanos>(drained_at_ - now));
}

}  // namespace callsim
