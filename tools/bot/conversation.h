#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "bot/speech_settings.h"
#include "core/think_time.h"
#include "media/frame_source.h"
#include "media/speech_detector.h"

namespace callsim::bot {

// The bot's two utterances, decoded once and shared read-only by every call.
struct Voice {
  std::shared_ptr<const media::FrameSource> greeting;
  std::shared_ptr<const media::FrameSource> answer;
};

// Where a conversation's output goes (the WebSocket, or a recorder in tests), and what it did,
// for the bot's counters.
class Outbox {
 public:
  virtual ~Outbox() = default;
  virtual void send_media(std::string_view payload_base64) = 0;
  virtual void send_mark(std::string_view name) = 0;
  virtual void send_clear() = 0;

  // An answer starts after this pause from the end of the caller's turn.
  virtual void note_answer(Nanos /*pause*/) {}
  virtual void note_barge_in() {}
  // Sending stops for SpeechSettings::stall_for in the middle of an utterance.
  virtual void note_stall() {}
};

// One call's turn-taking, driven by the caller's audio and a clock: greet, listen, answer after
// a pause, yield when interrupted, and mark the line every heartbeat interval. Speech goes out
// as 20 ms frames on absolute deadlines (utterance start + n × 20 ms / tts_speed, plus the
// stalls before frame n), so a late tick catches up instead of drifting. Each utterance ends
// with a mark: "greeting", then "answer_1", ...
//
// The bot counts as heard by the caller while it has frames left to send, and after that until
// the audio it sent has played out at the caller (one frame per 20 ms from when each was sent;
// more than the last frame's 20 ms after a burst or a faster-than-real-time stream) or the
// caller echoes the utterance's mark, whichever comes first. A caller starting to speak in that
// time is a barge-in.
class Conversation {
 public:
  using Clock = std::chrono::steady_clock;

  // `seed` makes this call's think draws (the same seed, the same pauses); `serving_calls`
  // (may be null: none) is read when an answer is scheduled, for the load's share of the pause.
  Conversation(const Voice& voice, SpeechSettings settings, Outbox& out, uint64_t seed = 0,
               const std::atomic<int64_t>* serving_calls = nullptr);

  void begin(Clock::time_point now);
  // One inbound frame of μ-law audio.
  void on_caller_audio(const uint8_t* ulaw, size_t bytes, Clock::time_point now);
  // The caller echoed a mark: its playback reached it.
  void on_mark_echo(std::string_view name, Clock::time_point now);
  void on_tick(Clock::time_point now);
  // The call is over: nothing more is sent.
  void end() { active_ = false; }

  bool speaking() const { return utterance_ != nullptr; }
  // The caller may still hear the bot (see the class comment).
  bool audible(Clock::time_point now) const;
  uint64_t answers() const { return answers_; }
  uint64_t barge_ins() const { return barge_ins_; }
  uint64_t stalls() const { return stalls_; }
  // When frame `n` of an utterance started at `start` is due.
  Clock::time_point frame_due(Clock::time_point start, size_t n) const;

 private:
  void speak(const media::FrameSource* clip, std::string mark, Clock::time_point at);
  // The reaction to a barge-in: stop the utterance and drop what the caller has buffered.
  void yield(Clock::time_point now);
  size_t stalls_before(size_t frame) const;

  const Voice& voice_;
  SpeechSettings settings_;
  Outbox& out_;
  const std::atomic<int64_t>* serving_calls_;
  CallRng rng_;
  media::SpeechDetector detector_;
  bool active_ = false;

  const media::FrameSource* utterance_ = nullptr;
  std::string utterance_mark_;
  Clock::time_point utterance_start_;
  size_t next_frame_ = 0;
  // When what was sent has played out at the caller; an echo of heard_mark_ ends it at once.
  Clock::time_point heard_until_;
  std::string heard_mark_;

  std::optional<Clock::time_point> answer_due_;
  Nanos answer_pause_{0};
  std::optional<Clock::time_point> yield_due_;  // a barge-in's delayed stop and clear
  Clock::time_point next_heartbeat_;
  uint64_t heartbeats_ = 0;
  uint64_t answers_ = 0;
  uint64_t barge_ins_ = 0;
  uint64_t stalls_ = 0;
};

}  // namespace callsim::bot
