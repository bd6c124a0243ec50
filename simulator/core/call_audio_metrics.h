#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "bot_playout.h"
#include "clock.h"
#include "histogram.h"

namespace callsim {

// What the callers heard, as mergeable histograms: one set per worker (each call records into
// its worker's), combined with merge() after the join.
struct AudioHistograms {
  LatencyHistogram time_to_first_audio;  // start sent -> first voiced bot audio played
  LatencyHistogram reply_latency;        // caller's last voiced frame -> bot's voice played
  LatencyHistogram dead_air;             // each dry spell inside a bot utterance
  LatencyHistogram clear_latency;        // caller barged in -> the bot's clear arrived
  LatencyHistogram talk_over;            // caller barged in -> the bot's voice stopped
  LatencyHistogram mark_round_trip;      // a mark arrived -> callsim echoed it

  void merge(const AudioHistograms& other);
};

// One caller turn: the caller finished speaking, and when (if) the caller heard the bot answer.
struct TurnRecord {
  TimePoint caller_end{};   // the caller's last voiced frame was sent
  TimePoint bot_start{};    // the bot's first voiced audio after it played ({} when none)
  Nanos latency{0};         // bot_start - caller_end, when replied
  bool replied = false;     // within reply_timeout
  bool overlapped = false;  // the bot was already talking when the caller finished
};

struct CallAudioResult {
  bool greeted = false;  // any voiced bot audio was played
  Nanos time_to_first_audio{0};
  std::vector<TurnRecord> turns;  // the first max_turn_records turns; the counts cover all
  uint64_t turns_total = 0;
  uint64_t replies = 0;
  uint64_t no_reply_turns = 0;
  uint64_t overlapped_turns = 0;
  uint64_t dead_air_count = 0;
  Nanos dead_air_total{0};
  Nanos dead_air_longest{0};
  // How long the bot's utterances lasted as heard, first voiced audio to last (pauses and dead
  // air included): what dead air is a share of.
  Nanos bot_speech_total{0};
  uint64_t barge_ins = 0;
  uint64_t barge_ins_cleared = 0;  // the bot sent `clear` before its utterance ended
  Nanos talk_over_total{0};
  uint64_t marks_received = 0;
  uint64_t marks_echoed = 0;
  uint64_t marks_never_echoed = 0;  // still pending when the call ended
};

// The audio metrics of one call, measured on the playout timeline (what the caller heard, not
// when bytes arrived). Fed with the bot's playout events (it is the BotPlayout's listener) and
// with the caller's own events; every handler is O(1) and allocation-free, except that a turn
// record is appended per turn (reserved up front) and the mark ring grows to the deepest queue.
//
// - time to first audio: `start` sent -> the first voiced bot audio played;
// - reply latency: the caller's last voiced frame sent -> the bot's next voiced audio played;
//   none within reply_timeout is a no-reply turn (a reply after that counts as none). A bot
//   already talking when the caller finishes makes an overlapped turn, with no latency;
// - dead air: see BotPlayout (dry spells inside a bot utterance);
// - barge-in: the caller's voice starts while the bot is in an utterance with voiced audio still
//   playing or queued. A bot streaming in real time has nothing queued in the pauses between its
//   words, so a caller starting in such a pause is a barge-in once the bot's utterance goes on
//   or the bot clears it, and not one when the utterance turns out to have ended there. Clear
//   latency: to the bot's `clear`; talk-over: to the end of the voiced audio the caller heard
//   (cut by the clear, or the utterance's natural end without one);
// - marks: arrival -> echo, and marks never echoed.
class CallAudioMetrics final : public PlayoutListener {
 public:
  struct Config {
    Nanos reply_timeout = std::chrono::seconds(5);
    size_t max_turn_records = 256;
  };

  // `histograms` is the worker's; it outlives the call.
  CallAudioMetrics(const Config& config, AudioHistograms* histograms);

  void on_start_sent(TimePoint now);
  // The caller's events; `playout` advanced to `now` first.
  void on_caller_voice_started(TimePoint now, const BotPlayout& playout);
  void on_caller_voice_ended(TimePoint now, const BotPlayout& playout);
  // A `clear` arrived; call before BotPlayout::on_clear (which ends the utterance).
  void on_clear(TimePoint now) { clear_at_ = now; }
  void on_mark_received(TimePoint now);
  void on_marks_echoed(TimePoint now, size_t count);
  // Judges reply timeouts; after BotPlayout::advance(now).
  void tick(TimePoint now);
  void finish(TimePoint now, const BotPlayout& playout);

  void on_voice_started(TimePoint at, bool new_utterance) override;
  void on_utterance_ended(TimePoint last_voiced, bool cleared) override;
  void on_dead_air(TimePoint from, Nanos gap) override;

  const CallAudioResult& result() const { return result_; }

 private:
  void close_turn(TurnRecord turn);
  void open_barge_in(TimePoint caller_started);
  void close_barge_in(TimePoint voice_stopped, bool cleared);

  Config config_;
  AudioHistograms* histograms_;
  CallAudioResult result_;
  TimePoint start_sent_{};
  bool turn_open_ = false;
  TurnRecord turn_;
  TimePoint utterance_start_{};
  bool barge_open_ = false;
  // The caller started in a pause inside the bot's utterance: undecided until it goes on or ends.
  bool barge_undecided_ = false;
  TimePoint barge_start_{};
  TimePoint clear_at_{};
  // Arrival times of marks not yet echoed, oldest first: marks echo strictly in order, so a ring
  // beside PlaybackBuffer's queue tells each echo's arrival. Grows by doubling, never shrinks.
  std::vector<TimePoint> marks_;
  size_t mark_head_ = 0;
  size_t mark_count_ = 0;
};

}  // namespace callsim
