#include "bot/conversation.h"

#include <algorithm>
#include <cmath>

namespace callsim::bot {

namespace {

constexpr auto kFrame = media::FrameSource::kFrameDuration;

}  // namespace

Conversation::Conversation(const Voice& voice, SpeechSettings settings, Outbox& out, uint64_t seed,
                           const std::atomic<int64_t>* serving_calls)
    : voice_(voice),
      settings_(std::move(settings)),
      out_(out),
      serving_calls_(serving_calls),
      rng_(0, seed) {}

void Conversation::begin(Clock::time_point now) {
  active_ = true;
  next_heartbeat_ = now + settings_.heartbeat_interval;
  if (settings_.greet) speak(voice_.greeting.get(), "greeting", now);
}

void Conversation::speak(const media::FrameSource* clip, std::string mark, Clock::time_point at) {
  utterance_ = clip;
  utterance_mark_ = std::move(mark);
  utterance_start_ = at;
  next_frame_ = 0;
  // An echo of the previous utterance's mark says nothing about this one's audio.
  heard_mark_.clear();
}

size_t Conversation::stalls_before(size_t frame) const {
  if (settings_.stall_every <= Nanos(0)) return 0;
  return static_cast<size_t>((frame * Nanos(kFrame)) / settings_.stall_every);
}

Conversation::Clock::time_point Conversation::frame_due(Clock::time_point start, size_t n) const {
  Nanos offset{0};
  if (!settings_.tts_burst) {
    // Rounded once from the frame's index, so the deadlines do not accumulate rounding errors.
    offset =
        Nanos(std::llround(static_cast<double>(n) * Nanos(kFrame).count() / settings_.tts_speed));
  }
  return start + offset + stalls_before(n) * settings_.stall_for;
}

bool Conversation::audible(Clock::time_point now) const {
  return utterance_ != nullptr || now < heard_until_;
}

void Conversation::yield(Clock::time_point now) {
  utterance_ = nullptr;
  yield_due_.reset();
  // Twilio drops what it had buffered: the caller hears nothing more of it.
  heard_until_ = now;
  heard_mark_.clear();
  out_.send_clear();
}

void Conversation::on_caller_audio(const uint8_t* ulaw, size_t bytes, Clock::time_point now) {
  bool was_speaking = detector_.speaking();
  bool speaking = detector_.push_frame(ulaw, bytes);
  if (!active_) return;
  if (speaking && !was_speaking) {
    answer_due_.reset();  // the caller is not done yet
    if (audible(now)) {
      ++barge_ins_;
      out_.note_barge_in();
      if (!settings_.clear_delay) {
        // --clear-delay never: the bot talks on over the caller.
      } else if (*settings_.clear_delay <= Nanos(0)) {
        yield(now);
      } else if (!yield_due_) {
        // A bot slow to notice: it goes on talking, then stops and clears. Interrupting it
        // again meanwhile does not postpone that.
        yield_due_ = now + *settings_.clear_delay;
      }
    }
  } else if (was_speaking && !speaking) {
    const int64_t serving = serving_calls_ ? serving_calls_->load(std::memory_order_relaxed) : 0;
    answer_pause_ = settings_.think.draw(rng_) + settings_.load_delay(serving);
    answer_due_ = now + answer_pause_;
  }
}

void Conversation::on_mark_echo(std::string_view name, Clock::time_point now) {
  if (!heard_mark_.empty() && name == heard_mark_) heard_until_ = std::min(heard_until_, now);
}

void Conversation::on_tick(Clock::time_point now) {
  if (!active_) return;
  if (yield_due_ && now >= *yield_due_) yield(now);
  if (answer_due_ && now >= *answer_due_) {
    // A clear still pending goes out first: the old utterance must not play before the answer.
    if (yield_due_) yield(now);
    ++answers_;
    out_.note_answer(answer_pause_);
    speak(voice_.answer.get(), "answer_" + std::to_string(answers_), *answer_due_);
    answer_due_.reset();
  }
  if (utterance_) {
    const size_t frames = utterance_->frame_count();
    while (next_frame_ < frames && now >= frame_due(utterance_start_, next_frame_)) {
      out_.send_media(utterance_->frame_base64(next_frame_));
      // The caller plays frames back to back from when they arrive.
      heard_until_ = std::max(heard_until_, now) + kFrame;
      ++next_frame_;
      if (next_frame_ < frames && stalls_before(next_frame_) > stalls_before(next_frame_ - 1)) {
        ++stalls_;
        out_.note_stall();
      }
    }
    if (next_frame_ == frames) {
      out_.send_mark(utterance_mark_);
      heard_mark_ = utterance_mark_;
      utterance_ = nullptr;
    }
  }
  if (now >= next_heartbeat_) {
    out_.send_mark("heartbeat_" + std::to_string(++heartbeats_));
    next_heartbeat_ += settings_.heartbeat_interval;
    // After a stall, one heartbeat says the line is alive; a burst of them would say nothing more.
    if (next_heartbeat_ <= now) next_heartbeat_ = now + settings_.heartbeat_interval;
  }
}

}  // namespace callsim::bot
