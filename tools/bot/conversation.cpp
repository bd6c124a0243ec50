#include "bot/conversation.h"

namespace callsim::bot {

Conversation::Conversation(const Voice& voice, Settings settings, Outbox& out)
    : voice_(voice), settings_(settings), out_(out) {}

void Conversation::begin(Clock::time_point now) {
  active_ = true;
  next_heartbeat_ = now + settings_.heartbeat_interval;
  speak(voice_.greeting.get(), "greeting", now);
}

void Conversation::speak(const media::FrameSource* clip, std::string mark, Clock::time_point at) {
  utterance_ = clip;
  utterance_mark_ = std::move(mark);
  utterance_start_ = at;
  next_frame_ = 0;
}

void Conversation::on_caller_audio(const uint8_t* ulaw, size_t bytes, Clock::time_point now) {
  bool was_speaking = detector_.speaking();
  bool speaking = detector_.push_frame(ulaw, bytes);
  if (!active_) return;
  if (speaking && !was_speaking) {
    answer_due_.reset();  // the caller is not done yet
    if (utterance_) {
      // Barge-in: stop talking and have Twilio drop what it has buffered of this utterance.
      utterance_ = nullptr;
      ++barge_ins_;
      out_.send_clear();
    }
  } else if (was_speaking && !speaking) {
    answer_due_ = now + settings_.think;
  }
}

void Conversation::on_tick(Clock::time_point now) {
  if (!active_) return;
  if (answer_due_ && now >= *answer_due_) {
    ++answers_;
    speak(voice_.answer.get(), "answer_" + std::to_string(answers_), *answer_due_);
    answer_due_.reset();
  }
  if (utterance_) {
    const auto frame = media::FrameSource::kFrameDuration;
    while (next_frame_ < utterance_->frame_count() &&
           now >= utterance_start_ + next_frame_ * frame) {
      out_.send_media(utterance_->frame_base64(next_frame_));
      ++next_frame_;
    }
    if (next_frame_ == utterance_->frame_count()) {
      out_.send_mark(utterance_mark_);
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
