#include "caller_turns.h"

#include <algorithm>

namespace callsim {

CallerTurns::CallerTurns(const Config& config, CallRng rng) : config_(config), rng_(rng) {
  const size_t available = config_.utterances ? config_.utterances->size() : 0;
  turn_limit_ = config_.turns > 0 ? config_.turns : available;
  if (available == 0) turn_limit_ = 0;
}

void CallerTurns::start(TimePoint now) {
  if (config_.mode == Mode::kLoop) return;
  if (config_.mode == Mode::kConversation) {
    begin_listening(now, config_.reply_timeout, false);
    return;
  }
  step_ = 0;
  voice_ended_ = now;
  if (!config_.script || config_.script->steps.empty()) {
    state_ = State::kHungUp;
    return;
  }
  step_ = static_cast<size_t>(-1);
  next_step(now);
}

bool CallerTurns::heard_since(const BotPlayout& playout, TimePoint since) const {
  return playout.voice_playing() || playout.last_voiced_end() > since;
}

void CallerTurns::begin_listening(TimePoint since, Nanos timeout, bool hard_timeout) {
  state_ = State::kListening;
  listen_since_ = since;
  listen_deadline_ = since + timeout;
  hard_timeout_ = hard_timeout;
}

void CallerTurns::begin_speaking(size_t utterance) {
  state_ = State::kSpeaking;
  utterance_ = utterance;
  frame_ = 0;
}

// Conversation: the bot has answered (or was given up on); think, then speak or, when the turns
// are done, hang up. A bot that streams in real time leaves nothing queued in the pauses between
// its words, so the caller also thinks before hanging up: a reply that goes on within the think
// time is heard out, as before any other turn.
void CallerTurns::next_turn(TimePoint speak_at) {
  state_ = State::kThinking;
  speak_at_ = speak_at;
}

void CallerTurns::next_step(TimePoint now) {
  ++step_;
  const auto& steps = config_.script->steps;
  if (step_ >= steps.size()) {
    state_ = State::kHungUp;
    return;
  }
  const ScriptStep& step = steps[step_];
  switch (step.kind) {
    case ScriptStep::Kind::kListen:
      begin_listening(now, step.duration.count() > 0 ? step.duration : config_.reply_timeout, true);
      break;
    case ScriptStep::Kind::kSay:
      begin_speaking(step.utterance > 0 ? step.utterance - 1
                                        : config_.file_utterance_base + step.file);
      break;
    case ScriptStep::Kind::kPause:
      state_ = State::kPausing;
      until_ = now + step.duration;
      break;
    case ScriptStep::Kind::kDtmf:
      state_ = State::kDtmf;
      digit_ = 0;
      until_ = now;
      break;
    case ScriptStep::Kind::kBargeIn:
      state_ = State::kBargeWait;
      listen_since_ = now;
      break;
    case ScriptStep::Kind::kHangup:
      state_ = State::kHungUp;
      break;
  }
}

CallerFrame CallerTurns::next_frame(TimePoint now, const BotPlayout& playout) {
  CallerFrame frame;
  if (config_.mode == Mode::kLoop) {
    frame.audio = CallerFrame::Audio::kLoop;
    return frame;
  }
  // Each pass either produces the frame or finishes a state; a script of steps that take no
  // time (pause: 0) finishes one step per pass, so this ends within steps.size() passes.
  for (;;) {
    switch (state_) {
      case State::kIdle:
        return frame;
      case State::kHungUp:
        frame.hang_up = true;
        return frame;
      case State::kListening: {
        const bool heard = heard_since(playout, listen_since_);
        // A script's next step waits for the bot's turn to be over (end_of_turn of silence): a
        // bot streaming in real time has nothing queued in the pauses between its words. A
        // conversing caller decides at the first pause and thinks (kThinking hears it go on).
        const bool answered = heard && !playout.voiced_ahead() &&
                              (config_.mode != Mode::kScript || !playout.in_utterance());
        const bool timed_out = (hard_timeout_ || !heard) && now >= listen_deadline_;
        if (!answered && !timed_out) return frame;
        if (config_.mode == Mode::kScript) {
          next_step(now);
        } else if (answered) {
          think_ = config_.think.draw(rng_);
          next_turn(playout.last_voiced_end() + think_);
        } else {
          think_ = Nanos(0);  // it has waited reply_timeout already
          next_turn(now);
        }
        continue;
      }
      case State::kThinking:
        if (playout.voiced_ahead()) {
          // The bot went on: listen again, and think afresh once it stops.
          state_ = State::kListening;
          hard_timeout_ = false;
          return frame;
        }
        if (now < speak_at_) return frame;
        if (turns_spoken_ >= turn_limit_) {
          state_ = State::kHungUp;
          continue;
        }
        begin_speaking(turns_spoken_ % config_.utterances->size());
        continue;
      case State::kSpeaking: {
        // An utterance the table does not hold (a setup that skipped check_utterances) is said
        // as nothing rather than read out of bounds.
        static constexpr Utterance kNothing{};
        const auto* table = config_.utterances;
        const Utterance& u = table && utterance_ < table->size() ? (*table)[utterance_] : kNothing;
        if (frame_ >= u.frame_count) {
          if (config_.mode == Mode::kScript) {
            next_step(now);
          } else {
            ++turns_spoken_;
            begin_listening(voice_ended_, config_.reply_timeout, false);
          }
          continue;
        }
        frame.audio = CallerFrame::Audio::kUtterance;
        frame.utterance = utterance_;
        frame.frame = frame_;
        frame.voice_starts = frame_ == u.first_voiced;
        frame.voice_ends = frame_ == u.last_voiced;
        if (frame.voice_ends) voice_ended_ = now;
        ++frame_;
        return frame;
      }
      case State::kPausing:
        if (now < until_) return frame;
        next_step(now);
        continue;
      case State::kDtmf: {
        if (now < until_) return frame;
        const std::string& digits = config_.script->steps[step_].digits;
        if (digit_ < digits.size()) {
          frame.dtmf = digits[digit_++];
          until_ = now + kDtmfSpacing;
          return frame;
        }
        next_step(now);
        continue;
      }
      case State::kBargeWait: {
        const ScriptStep& step = config_.script->steps[step_];
        const bool bot_talking = playout.voice_playing() || playout.in_utterance();
        if (bot_talking ? now >= playout.utterance_started() + step.duration
                        : now >= listen_since_ + config_.reply_timeout) {
          next_step(now);
          continue;
        }
        return frame;
      }
    }
  }
}

}  // namespace callsim
