#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "clock.h"

namespace callsim {

// What a listener on the bot's playout timeline is told, in play order (not arrival order).
class PlayoutListener {
 public:
  virtual ~PlayoutListener() = default;
  // Voiced bot audio began to play at `at`; `new_utterance` when it starts a bot utterance (the
  // previous voiced audio ended at least end_of_turn earlier, was cleared, or there was none).
  virtual void on_voice_started(TimePoint at, bool new_utterance) = 0;
  // The bot's utterance ended: its last voiced audio stopped at `last_voiced` and nothing voiced
  // followed within end_of_turn (or a clear cut it, `cleared`).
  virtual void on_utterance_ended(TimePoint last_voiced, bool cleared) = 0;
  // The playback buffer ran dry for `gap` (from `from`) inside a bot utterance: dead air.
  virtual void on_dead_air(TimePoint from, Nanos gap) = 0;
};

// The bot's audio on the timeline on which Twilio plays it to the caller. Bots stream TTS faster
// than real time, so what the caller hears at t is decided by the queue, not by arrival: audio
// queued at `now` plays from max(now, end of the queue) at 8,000 bytes/s, the same arithmetic as
// PlaybackBuffer (feed it the bytes PlaybackBuffer accepted). Only voiced runs are kept, as
// [start, end) on the play timeline, in a fixed ring: nothing here allocates.
//
// Dead air, precisely: the buffer was empty for at least min_dead_air (from the end of the queued
// audio to the arrival of the next audio) while the bot was inside an utterance, and the silence
// between the voiced audio before and after that dry spell (unvoiced frames included) was shorter
// than end_of_turn. Shorter dry spells inside an utterance add up, and each min_dead_air of them
// counts as one gap of that length (a bot slightly slower than real time: 5 ms late per frame
// empties one 20 ms packet in four). A dry spell before the first voiced audio, after a clear,
// or in a pause of end_of_turn or more is a turn boundary, not dead air. It is decided when the
// next voiced audio plays, so a clear in between cancels it.
class BotPlayout {
 public:
  struct Config {
    // Silence that ends a bot utterance: as the speech detector's hangover (30 frames), longer
    // than the pauses between a fluent speaker's sentences.
    Nanos end_of_turn = std::chrono::milliseconds(600);
    // One packet of the caller's call leg: a shorter dry spell on its own is arrival jitter.
    Nanos min_dead_air = std::chrono::milliseconds(20);
  };
  // Voiced runs queued ahead of playout that the ring holds apart; beyond that a new run joins
  // the last one (a bot would have to queue 32 separate voiced runs ahead of the caller).
  static constexpr size_t kMaxPendingRuns = 32;
  // Dry spells inside one undecided stretch of silence; with the defaults at most 29 fit in it.
  static constexpr size_t kMaxPendingGaps = 32;

  BotPlayout() = default;
  explicit BotPlayout(Config config) : config_(config) {}

  // `bytes` of audio (accepted by the playback buffer) queued at `now`, all voiced or all not.
  void on_audio(TimePoint now, uint64_t bytes, bool voiced, PlayoutListener& listener);
  // Twilio empties its buffer: whatever was queued is never heard.
  void on_clear(TimePoint now, PlayoutListener& listener);
  // Reports everything that has played by `now`. Every other call advances first, so events
  // always come in play order; call it before reading the state below.
  void advance(TimePoint now, PlayoutListener& listener);

  // Voiced audio is playing at the last advance() or is queued to play after it.
  bool voiced_ahead() const { return playing_ || pending_count_ > 0; }
  // Voiced audio is playing at the last advance().
  bool voice_playing() const { return playing_; }
  // The end of the last voiced audio that finished playing ({} when none has).
  TimePoint last_voiced_end() const { return last_voiced_end_; }
  // Inside a bot utterance at the last advance() (voiced audio heard, end_of_turn not yet over).
  bool in_utterance() const { return in_utterance_; }
  // When the current (or last) bot utterance began to play ({} before the first).
  TimePoint utterance_started() const { return utterance_started_; }
  TimePoint drained_at() const { return drained_at_; }  // when the queued audio has all played
  const Config& config() const { return config_; }

 private:
  struct Run {
    TimePoint start;
    TimePoint end;
  };
  void push_run(TimePoint start, TimePoint end);
  void add_gap(Run gap);
  void end_utterance(bool cleared, PlayoutListener& listener);

  Config config_;
  TimePoint drained_at_{};
  bool anything_queued_ = false;
  std::array<Run, kMaxPendingRuns> pending_{};
  size_t pending_head_ = 0;
  size_t pending_count_ = 0;
  bool playing_ = false;
  Run current_{};
  TimePoint last_voiced_end_{};
  bool in_utterance_ = false;
  TimePoint utterance_started_{};
  // Dry spells since the last voiced audio, reported once the next voiced audio proves them to
  // be inside the utterance.
  std::array<Run, kMaxPendingGaps> gaps_{};
  size_t gap_count_ = 0;
  Nanos small_dry_{0};  // dry spells below min_dead_air in this utterance, not yet a gap
};

}  // namespace callsim
