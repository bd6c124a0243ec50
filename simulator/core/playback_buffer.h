#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "clock.h"

namespace callsim {

// Twilio's playback buffer for audio the server sends to the caller, as time arithmetic: queued
// μ-law bytes play out at 8,000 bytes/s, so only the time the queue runs dry is kept, never the
// audio itself. A mark is due when all audio queued before it has played (at once if nothing is
// queued); clear() drops queued audio and hands back every pending mark. Twilio accepts at most
// 10 minutes of queued audio; beyond that it drops audio (warning 31931).
// All operations are O(1) amortised, so thousands of pending marks per call cost nothing.
class PlaybackBuffer {
 public:
  static constexpr uint64_t kBytesPerSecond = 8000;
  static constexpr Nanos kMaxQueued = std::chrono::minutes(10);
  static constexpr Nanos kNanosPerByte = std::chrono::microseconds(125);  // 1 s / 8,000

  // Queues `bytes` of audio at `now`; returns how many were accepted (the rest was dropped
  // because the queue would have held more than kMaxQueued).
  uint64_t enqueue_audio(TimePoint now, uint64_t bytes);
  // The mark is due when the audio queued so far has played, or at `now` when nothing is queued
  // (so take_due_marks(now) right after returns it).
  void enqueue_mark(TimePoint now, std::string name);
  // Appends to `out`, in the order they were queued, the marks whose audio has played by `now`.
  void take_due_marks(TimePoint now, std::vector<std::string>& out);
  // Drops all queued audio and appends every pending mark to `out`, in order. Audio enqueued
  // afterwards starts playing at its own `now`.
  void clear(TimePoint now, std::vector<std::string>& out);

  std::optional<TimePoint> next_mark_due() const;  // nullopt when no mark is pending
  Nanos queued(TimePoint now) const;               // audio still to play at `now`
  size_t pending_marks() const { return marks_.size(); }
  uint64_t accepted_bytes() const { return accepted_bytes_; }
  uint64_t dropped_bytes() const { return dropped_bytes_; }
  uint64_t cleared_bytes() const { return cleared_bytes_; }  // unplayed when clear() dropped them
  bool overflowed() const { return dropped_bytes_ > 0; }

 private:
  struct PendingMark {
    TimePoint due;
    std::string name;
  };
  TimePoint drained_at_{};  // when the queued audio will have finished playing
  std::deque<PendingMark> marks_;
  uint64_t accepted_bytes_ = 0;
  uint64_t dropped_bytes_ = 0;
  uint64_t cleared_bytes_ = 0;
};

}  // namespace callsim
