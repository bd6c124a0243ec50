#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "media/frame_source.h"
#include "media/speech_detector.h"

namespace callsim::bot {

// The bot's two utterances, decoded once and shared read-only by every call.
struct Voice {
  std::shared_ptr<const media::FrameSource> greeting;
  std::shared_ptr<const media::FrameSource> answer;
};

// Where a conversation's output goes (the WebSocket, or a recorder in tests).
class Outbox {
 public:
  virtual ~Outbox() = default;
  virtual void send_media(std::string_view payload_base64) = 0;
  virtual void send_mark(std::string_view name) = 0;
  virtual void send_clear() = 0;
};

// One call's turn-taking, driven by the caller's audio and a clock: greet, listen, answer after
// a pause, yield when interrupted, and mark the line every heartbeat interval. Speech goes out
// as 20 ms frames on absolute deadlines (utterance start + n × 20 ms), so a late tick catches up
// instead of drifting. Each utterance ends with a mark: "greeting", then "answer_1", ...
class Conversation {
 public:
  using Clock = std::chrono::steady_clock;

  struct Settings {
    std::chrono::milliseconds think{400};
    std::chrono::nanoseconds heartbeat_interval = std::chrono::seconds(10);
  };

  Conversation(const Voice& voice, Settings settings, Outbox& out);

  void begin(Clock::time_point now);
  // One inbound frame of μ-law audio.
  void on_caller_audio(const uint8_t* ulaw, size_t bytes, Clock::time_point now);
  void on_tick(Clock::time_point now);
  // The call is over: nothing more is sent.
  void end() { active_ = false; }

  bool speaking() const { return utterance_ != nullptr; }
  uint64_t answers() const { return answers_; }
  uint64_t barge_ins() const { return barge_ins_; }

 private:
  void speak(const media::FrameSource* clip, std::string mark, Clock::time_point at);

  const Voice& voice_;
  Settings settings_;
  Outbox& out_;
  media::SpeechDetector detector_;
  bool active_ = false;

  const media::FrameSource* utterance_ = nullptr;
  std::string utterance_mark_;
  Clock::time_point utterance_start_;
  size_t next_frame_ = 0;

  std::optional<Clock::time_point> answer_due_;
  Clock::time_point next_heartbeat_;
  uint64_t heartbeats_ = 0;
  uint64_t answers_ = 0;
  uint64_t barge_ins_ = 0;
};

}  // namespace callsim::bot
