#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "clock.h"

namespace callsim {

// One call's two sides on one 8 kHz timeline, as a person listening to the call would hear them:
// sample 0 is the moment `start` was sent. The caller's frames sit at their place on the pacer's
// schedule (start + n x 20 ms, what the media timestamp says), not at the instant a wake-up sent
// them: sub-sample send jitter would otherwise put clicks between frames, and lateness is
// measured and reported elsewhere. A frame never sent (congested, skipped) is silence. The bot's
// bytes sit where Twilio plays them, by PlaybackBuffer's arithmetic: from max(arrival, the end
// of what is queued) at 8,000 bytes/s, so TTS streamed faster than real time plays in order; a
// clear silences whatever had not played yet.
//
// Both channels are allocated once, silent (mu-law 0xFF), for the call's expected length, and
// never grow: audio past the end (kMaxLength at most) is dropped, and truncated() says so when
// the call itself lasted longer.
class CallRecording {
 public:
  static constexpr int64_t kSampleRate = 8000;
  static constexpr Nanos kNanosPerSample = std::chrono::microseconds(125);
  // Ten minutes is Twilio's playback limit and 9.6 MB per recorded call (both channels).
  static constexpr Nanos kMaxLength = std::chrono::minutes(10);
  static constexpr uint8_t kSilence = 0xFF;

  // `expected` is how long the call may last (its hold), capped at kMaxLength.
  CallRecording(TimePoint origin, Nanos expected);

  // A caller frame of `size` mu-law bytes whose place on the call's schedule is `at`.
  void add_caller(TimePoint at, const uint8_t* ulaw, size_t size);
  // `size` bot bytes (those the playback buffer accepted) that arrived at `now`.
  void add_bot(TimePoint now, const uint8_t* ulaw, size_t size);
  // The bot's `clear` at `now`: what was queued and had not played is never heard.
  void clear_bot(TimePoint now);
  // The call ended (hung up) at `at`: bot audio queued to play later is never heard. The caller's
  // last frame, sent before, is kept whole.
  void end(TimePoint at);

  // Samples per channel: up to the end, or up to the last audio placed before end() was called.
  size_t samples() const { return length_; }
  const std::vector<uint8_t>& caller() const { return caller_; }  // capacity() samples
  const std::vector<uint8_t>& bot() const { return bot_; }        // capacity() samples
  size_t capacity() const { return caller_.size(); }
  // After end(): the call outran the capacity, and what was heard past it is not recorded.
  bool truncated() const { return truncated_; }

 private:
  // The sample at which `t` falls (0 before the origin).
  size_t sample_at(TimePoint t) const;
  // Copies into `channel` at `from` what fits (the rest is dropped); returns where it ends.
  size_t place(std::vector<uint8_t>& channel, size_t from, const uint8_t* ulaw, size_t size);

  TimePoint origin_;
  std::vector<uint8_t> caller_;
  std::vector<uint8_t> bot_;
  size_t caller_end_ = 0;  // one past the last caller sample placed
  size_t bot_end_ = 0;     // where the bot's queue runs dry (may pass the capacity)
  size_t length_ = 0;
  bool ended_ = false;
  bool truncated_ = false;
};

}  // namespace callsim
