#pragma once

#include <cstdint>

#include "clock.h"

namespace callsim {

// When each 20 ms frame of one call is due, from absolute deadlines: frame n (0-based) is due at
// start + n * 20 ms, so rounding and late wake-ups never accumulate into drift. Its media
// timestamp is first_timestamp_ms + 20 * n, the presentation time on the same schedule.
//
// After a stall (the worker woke late), every overdue frame is sent at once, back to back, up
// to kMaxBurst frames; frames overdue beyond that are skipped (counted, their chunk numbers are
// not used, timestamps jump), as Twilio discards audio it cannot deliver rather than bursting a
// long backlog. Lateness is always measured against the frame's own deadline.
class FramePacer {
 public:
  static constexpr Nanos kFramePeriod = std::chrono::milliseconds(20);
  static constexpr uint64_t kMaxBurst = 50;  // one second of audio

  FramePacer(TimePoint start, uint64_t first_timestamp_ms);

  TimePoint next_due() const;                          // deadline of the next frame to send
  TimePoint deadline(uint64_t frame) const;            // start + frame * 20 ms
  uint64_t next_frame() const { return next_frame_; }  // 0-based schedule index
  uint64_t next_timestamp_ms() const;

  // How many frames are due at `now` (0 if none): those whose deadline is at or before `now`.
  // When more than kMaxBurst are, the oldest are skipped first, so the burst is the kMaxBurst
  // most recent frames and next_frame() jumps past the skipped ones.
  uint64_t due_frames(TimePoint now);
  // Marks the next frame as sent; returns its lateness (now minus its deadline; negative if sent
  // early).
  Nanos mark_sent(TimePoint now);

  uint64_t skipped_frames() const { return skipped_; }
  // Frames marked sent so far; the next media chunk number is sent_frames() + 1, because chunks
  // count messages and skipped frames were never sent.
  uint64_t sent_frames() const { return next_frame_ - skipped_; }

 private:
  TimePoint start_;
  uint64_t first_timestamp_ms_;
  uint64_t next_frame_ = 0;
  uint64_t skipped_ = 0;
};

}  // namespace callsim
