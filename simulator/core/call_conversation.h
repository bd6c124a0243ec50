#pragma once

#include <cstddef>
#include <cstdint>

#include "bot_playout.h"
#include "call_audio_metrics.h"
#include "caller_turns.h"
#include "clock.h"
#include "media/voicing.h"
#include "think_time.h"

namespace callsim {

// One call's conversation, the single thing a worker drives: the caller's turns, the bot's
// playout timeline and the audio metrics, fed by the same events in the right order. Pure: no
// sockets, the time comes in every call (from the worker's injectable clock). Not yet wired into
// the worker; the order a worker follows:
//   on_start_sent(t)                   after `start` is written
//   next_frame(t)                      at each 20 ms frame deadline: what to send (or hang up)
//   on_bot_media(t, ulaw, accepted)    a `media` message, decoded, the bytes PlaybackBuffer took
//   on_clear(t), on_mark(t), on_marks_echoed(t, n)
//   finish(t)                          at hang-up, before reading result()
class CallConversation {
 public:
  struct Config {
    CallerTurns::Config caller;
    BotPlayout::Config playout;
    CallAudioMetrics::Config metrics;
    double voiced_threshold_dbfs = media::SpeechDetector::Config{}.threshold_dbfs;
  };

  CallConversation(const Config& config, CallRng rng, AudioHistograms* histograms);

  void on_start_sent(TimePoint now);
  CallerFrame next_frame(TimePoint now);
  void on_bot_media(TimePoint now, const uint8_t* ulaw, size_t accepted_bytes);
  // The same as on_bot_media with the voicing already known (tests, and bots judged elsewhere).
  void on_bot_audio(TimePoint now, uint64_t bytes, bool voiced);
  void on_clear(TimePoint now);
  void on_mark(TimePoint now);
  void on_marks_echoed(TimePoint now, size_t count);
  void finish(TimePoint now);

  const CallAudioResult& result() const { return metrics_.result(); }
  const BotPlayout& playout() const { return playout_; }
  const CallerTurns& caller() const { return caller_; }

 private:
  media::FrameVoicing voicing_;
  BotPlayout playout_;
  CallerTurns caller_;
  CallAudioMetrics metrics_;
};

}  // namespace callsim
