#include "call_audio_metrics.h"

#include <algorithm>

namespace callsim {

void AudioHistograms::merge(const AudioHistograms& other) {
  time_to_first_audio.merge(other.time_to_first_audio);
  reply_latency.merge(other.reply_latency);
  dead_air.merge(other.dead_air);
  clear_latency.merge(other.clear_latency);
  talk_over.merge(other.talk_over);
  mark_round_trip.merge(other.mark_round_trip);
}

CallAudioMetrics::CallAudioMetrics(const Config& config, AudioHistograms* histograms)
    : config_(config), histograms_(histograms), marks_(8) {
  result_.turns.reserve(std::min<size_t>(config_.max_turn_records, 16));
}

void CallAudioMetrics::on_start_sent(TimePoint now) {
  start_sent_ = now;
}

void CallAudioMetrics::on_caller_voice_started(TimePoint now, const BotPlayout& playout) {
  if (turn_open_) {
    // The caller spoke again before the bot answered: that turn went unanswered.
    TurnRecord unanswered = turn_;
    close_turn(unanswered);
  }
  if (barge_open_ || barge_undecided_ || !playout.in_utterance()) return;
  if (playout.voiced_ahead()) {
    open_barge_in(now);
  } else {
    barge_undecided_ = true;
    barge_start_ = now;
  }
}

void CallAudioMetrics::open_barge_in(TimePoint caller_started) {
  barge_undecided_ = false;
  barge_open_ = true;
  barge_start_ = caller_started;
  ++result_.barge_ins;
}

void CallAudioMetrics::on_caller_voice_ended(TimePoint now, const BotPlayout& playout) {
  if (turn_open_) close_turn(turn_);
  turn_ = TurnRecord{};
  turn_.caller_end = now;
  if (playout.voice_playing()) {
    turn_.overlapped = true;
    close_turn(turn_);
    return;
  }
  turn_open_ = true;
}

void CallAudioMetrics::close_turn(TurnRecord turn) {
  turn_open_ = false;
  ++result_.turns_total;
  if (turn.overlapped) {
    ++result_.overlapped_turns;
  } else if (turn.replied) {
    ++result_.replies;
    histograms_->reply_latency.record(turn.latency);
  } else {
    ++result_.no_reply_turns;
  }
  if (result_.turns.size() < config_.max_turn_records) result_.turns.push_back(turn);
}

void CallAudioMetrics::on_voice_started(TimePoint at, bool new_utterance) {
  if (new_utterance) utterance_start_ = at;
  if (barge_undecided_) {
    if (new_utterance) {
      barge_undecided_ = false;  // unreachable: the old utterance's end came first
    } else {
      open_barge_in(barge_start_);
    }
  }
  if (!result_.greeted) {
    result_.greeted = true;
    if (start_sent_ != TimePoint{}) {
      result_.time_to_first_audio = at - start_sent_;
      histograms_->time_to_first_audio.record(result_.time_to_first_audio);
    }
  }
  if (!turn_open_) return;
  turn_.bot_start = at;
  if (at - turn_.caller_end < config_.reply_timeout) {
    turn_.replied = true;
    turn_.latency = at - turn_.caller_end;
  }
  close_turn(turn_);
}

void CallAudioMetrics::tick(TimePoint now) {
  if (turn_open_ && now - turn_.caller_end >= config_.reply_timeout) close_turn(turn_);
}

void CallAudioMetrics::on_utterance_ended(TimePoint last_voiced, bool cleared) {
  result_.bot_speech_total += std::max(Nanos(0), Nanos(last_voiced - utterance_start_));
  // A bot that clears in the pause was cut off by the caller; one whose utterance simply ended
  // there had finished before the caller spoke.
  if (barge_undecided_ && cleared) open_barge_in(barge_start_);
  barge_undecided_ = false;
  if (barge_open_) close_barge_in(last_voiced, cleared);
}

void CallAudioMetrics::close_barge_in(TimePoint voice_stopped, bool cleared) {
  barge_open_ = false;
  const Nanos talk_over = std::max(Nanos(0), Nanos(voice_stopped - barge_start_));
  result_.talk_over_total += talk_over;
  histograms_->talk_over.record(talk_over);
  if (cleared) {
    ++result_.barge_ins_cleared;
    histograms_->clear_latency.record(clear_at_ - barge_start_);
  }
}

void CallAudioMetrics::on_dead_air(TimePoint, Nanos gap) {
  ++result_.dead_air_count;
  result_.dead_air_total += gap;
  result_.dead_air_longest = std::max(result_.dead_air_longest, gap);
  histograms_->dead_air.record(gap);
}

void CallAudioMetrics::on_mark_received(TimePoint now) {
  ++result_.marks_received;
  if (mark_count_ == marks_.size()) {
    // Unroll the ring into a twice-as-large one: the oldest mark first again.
    std::vector<TimePoint> grown(marks_.size() * 2);
    for (size_t i = 0; i < mark_count_; ++i) grown[i] = marks_[(mark_head_ + i) % marks_.size()];
    marks_.swap(grown);
    mark_head_ = 0;
  }
  marks_[(mark_head_ + mark_count_) % marks_.size()] = now;
  ++mark_count_;
}

void CallAudioMetrics::on_marks_echoed(TimePoint now, size_t count) {
  for (; count > 0 && mark_count_ > 0; --count) {
    histograms_->mark_round_trip.record(now - marks_[mark_head_]);
    mark_head_ = (mark_head_ + 1) % marks_.size();
    --mark_count_;
    ++result_.marks_echoed;
  }
}

void CallAudioMetrics::finish(TimePoint now, const BotPlayout& playout) {
  tick(now);
  // A turn still inside its reply timeout at hang-up was cut short, not unanswered.
  turn_open_ = false;
  barge_undecided_ = false;  // hung up inside the pause: no evidence either way
  if (playout.in_utterance()) {
    const TimePoint heard_until = playout.voice_playing() ? now : playout.last_voiced_end();
    result_.bot_speech_total += std::max(Nanos(0), Nanos(heard_until - utterance_start_));
  }
  if (barge_open_) close_barge_in(playout.voice_playing() ? now : playout.last_voiced_end(), false);
  result_.marks_never_echoed = mark_count_;
}

}  // namespace callsim
