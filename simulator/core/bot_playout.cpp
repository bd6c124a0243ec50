#include "bot_playout.h"

#include <algorithm>

#include "playback_buffer.h"

namespace callsim {

void BotPlayout::on_audio(TimePoint now, uint64_t bytes, bool voiced, PlayoutListener& listener) {
  advance(now, listener);
  if (bytes == 0) return;
  if (anything_queued_ && now > drained_at_ && in_utterance_) {
    const Nanos gap = now - drained_at_;
    if (gap >= config_.min_dead_air) {
      add_gap(Run{drained_at_, now});
    } else {
      // A bot a little slower than real time leaves many short dry spells; every 20 ms of them
      // empties one of the packets Twilio sends the caller.
      small_dry_ += gap;
      if (small_dry_ >= config_.min_dead_air) {
        add_gap(Run{now - small_dry_, now});
        small_dry_ = Nanos(0);
      }
    }
  }
  const TimePoint start = std::max(drained_at_, now);
  const TimePoint end = start + PlaybackBuffer::kNanosPerByte * static_cast<Nanos::rep>(bytes);
  drained_at_ = end;
  anything_queued_ = true;
  if (voiced) push_run(start, end);
  advance(now, listener);
}

void BotPlayout::add_gap(Run gap) {
  if (gap_count_ < kMaxPendingGaps) {
    gaps_[gap_count_++] = gap;
  } else {
    gaps_[kMaxPendingGaps - 1].end = gap.end;  // unreachable with the defaults, see the header
  }
}

void BotPlayout::push_run(TimePoint start, TimePoint end) {
  if (pending_count_ > 0) {
    Run& last = pending_[(pending_head_ + pending_count_ - 1) % kMaxPendingRuns];
    if (last.end == start || pending_count_ == kMaxPendingRuns) {
      last.end = end;
      return;
    }
  } else if (playing_ && current_.end == start) {
    current_.end = end;
    return;
  }
  pending_[(pending_head_ + pending_count_) % kMaxPendingRuns] = Run{start, end};
  ++pending_count_;
}

void BotPlayout::advance(TimePoint now, PlayoutListener& listener) {
  for (;;) {
    if (playing_) {
      if (current_.end > now) return;
      playing_ = false;
      last_voiced_end_ = current_.end;
      continue;
    }
    if (pending_count_ > 0 && pending_[pending_head_].start <= now) {
      const Run run = pending_[pending_head_];
      pending_head_ = (pending_head_ + 1) % kMaxPendingRuns;
      --pending_count_;
      bool new_utterance = true;
      if (in_utterance_) {
        if (run.start - last_voiced_end_ < config_.end_of_turn) {
          new_utterance = false;
          for (size_t i = 0; i < gap_count_; ++i) {
            listener.on_dead_air(gaps_[i].start, gaps_[i].end - gaps_[i].start);
          }
          gap_count_ = 0;
        } else {
          end_utterance(false, listener);
        }
      }
      gap_count_ = 0;
      in_utterance_ = true;
      playing_ = true;
      current_ = run;
      if (new_utterance) utterance_started_ = run.start;
      listener.on_voice_started(run.start, new_utterance);
      continue;
    }
    if (in_utterance_ && now - last_voiced_end_ >= config_.end_of_turn) {
      end_utterance(false, listener);
      continue;
    }
    return;
  }
}

void BotPlayout::end_utterance(bool cleared, PlayoutListener& listener) {
  in_utterance_ = false;
  gap_count_ = 0;
  small_dry_ = Nanos(0);
  listener.on_utterance_ended(last_voiced_end_, cleared);
}

void BotPlayout::on_clear(TimePoint now, PlayoutListener& listener) {
  advance(now, listener);
  if (playing_) {
    playing_ = false;
    last_voiced_end_ = now;
  }
  pending_count_ = 0;
  drained_at_ = std::min(drained_at_, now);
  if (in_utterance_) end_utterance(true, listener);
}

}  // namespace callsim
