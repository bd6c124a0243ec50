#include "call_conversation.h"

namespace callsim {

CallConversation::CallConversation(const Config& config, CallRng rng, AudioHistograms* histograms)
    : voicing_(config.voiced_threshold_dbfs),
      playout_(config.playout),
      caller_(config.caller, rng),
      metrics_(config.metrics, histograms) {}

void CallConversation::on_start_sent(TimePoint now) {
  metrics_.on_start_sent(now);
  caller_.start(now);
}

CallerFrame CallConversation::next_frame(TimePoint now) {
  playout_.advance(now, metrics_);
  metrics_.tick(now);
  const CallerFrame frame = caller_.next_frame(now, playout_);
  if (frame.voice_starts) metrics_.on_caller_voice_started(now, playout_);
  if (frame.voice_ends) metrics_.on_caller_voice_ended(now, playout_);
  return frame;
}

void CallConversation::on_bot_media(TimePoint now, const uint8_t* ulaw, size_t accepted_bytes) {
  voicing_.for_each_run(ulaw, accepted_bytes,
                        [&](size_t bytes, bool voiced) { on_bot_audio(now, bytes, voiced); });
}

void CallConversation::on_bot_audio(TimePoint now, uint64_t bytes, bool voiced) {
  playout_.on_audio(now, bytes, voiced, metrics_);
  metrics_.tick(now);
}

void CallConversation::on_clear(TimePoint now) {
  playout_.advance(now, metrics_);
  metrics_.on_clear(now);
  playout_.on_clear(now, metrics_);
}

void CallConversation::on_mark(TimePoint now) {
  metrics_.on_mark_received(now);
}

void CallConversation::on_marks_echoed(TimePoint now, size_t count) {
  metrics_.on_marks_echoed(now, count);
}

void CallConversation::finish(TimePoint now) {
  playout_.advance(now, metrics_);
  metrics_.finish(now, playout_);
}

}  // namespace callsim
