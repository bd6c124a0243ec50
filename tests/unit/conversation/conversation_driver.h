#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <vector>

#include "core/call_conversation.h"
#include "core/clock.h"

namespace callsim::test {

using namespace std::chrono_literals;

inline const TimePoint t0 = TimePoint(std::chrono::seconds(1000));

// Bytes of μ-law for a stretch of audio at 8,000 bytes/s.
inline uint64_t bytes_for(Nanos d) {
  return static_cast<uint64_t>(d / std::chrono::microseconds(125));
}

// Drives one CallConversation as a worker would: a frame every 20 ms from `start` (the first
// frame at `start`), and the bot's messages delivered at their own arrival times, before the frame
// due at or after them. Records every frame the caller chose, with its time.
class ConversationDriver {
 public:
  struct Event {
    TimePoint at;
    std::function<void(CallConversation&, TimePoint)> apply;
  };
  struct Sent {
    TimePoint at;
    CallerFrame frame;
  };

  explicit ConversationDriver(CallConversation& conversation, TimePoint start = t0)
      : conversation_(conversation), next_frame_(start) {
    conversation_.on_start_sent(start);
  }

  // The bot's audio: `duration` of it queued at `at`, voiced or not.
  void bot_audio(TimePoint at, Nanos duration, bool voiced) {
    at_(at,
        [=](CallConversation& c, TimePoint t) { c.on_bot_audio(t, bytes_for(duration), voiced); });
  }
  // `duration` of audio streamed in chunks of `chunk`, spread evenly over `over` from `at`.
  void bot_stream(TimePoint at, Nanos duration, Nanos chunk, Nanos over, bool voiced = true) {
    const int64_t chunks = duration / chunk;
    for (int64_t i = 0; i < chunks; ++i) {
      bot_audio(at + over * i / chunks, chunk, voiced);
    }
  }
  void bot_clear(TimePoint at) {
    at_(at, [](CallConversation& c, TimePoint t) { c.on_clear(t); });
  }
  void at_(TimePoint at, std::function<void(CallConversation&, TimePoint)> apply) {
    events_.push_back(Event{at, std::move(apply)});
    std::stable_sort(events_.begin() + static_cast<long>(next_event_), events_.end(),
                     [](const Event& a, const Event& b) { return a.at < b.at; });
  }

  // Runs frame ticks up to and including `end`; stops early when the caller hangs up.
  void run_until(TimePoint end) {
    while (next_frame_ <= end && !hung_up_) {
      while (next_event_ < events_.size() && events_[next_event_].at <= next_frame_) {
        events_[next_event_].apply(conversation_, events_[next_event_].at);
        ++next_event_;
      }
      CallerFrame f = conversation_.next_frame(next_frame_);
      sent_.push_back(Sent{next_frame_, f});
      if (f.hang_up) hung_up_ = true;
      next_frame_ += 20ms;
    }
  }
  void finish() { conversation_.finish(next_frame_); }

  const std::vector<Sent>& sent() const { return sent_; }
  bool hung_up() const { return hung_up_; }
  TimePoint now() const { return next_frame_; }

  // When frame `n` of utterance `u` was sent (the first time); {} when never.
  TimePoint when_said(size_t u, size_t n = 0) const {
    for (const Sent& s : sent_) {
      if (s.frame.audio == CallerFrame::Audio::kUtterance && s.frame.utterance == u &&
          s.frame.frame == n) {
        return s.at;
      }
    }
    return TimePoint{};
  }
  TimePoint when_voice_ended(size_t u) const {
    for (const Sent& s : sent_) {
      if (s.frame.voice_ends && s.frame.utterance == u) return s.at;
    }
    return TimePoint{};
  }

 private:
  CallConversation& conversation_;
  TimePoint next_frame_;
  std::vector<Event> events_;
  size_t next_event_ = 0;
  std::vector<Sent> sent_;
  bool hung_up_ = false;
};

// Two utterances of 1 s and 0.5 s, voiced throughout.
inline std::vector<Utterance> two_utterances() {
  std::vector<Utterance> u(2);
  u[0] = Utterance{0, 0, 50, 0, 49};
  u[1] = Utterance{0, 60, 25, 0, 24};
  return u;
}

}  // namespace callsim::test
