// What a call sends while it streams: its paced media frames (or, when the server stops reading,
// the frames Twilio would drop instead), DTMF keys and mark echoes, each through the call's
// PreparedTextSender and within its send bound (worker_send_bound.cpp).
#include "core/twilio_messages.h"
#include "run/basic_worker.h"

namespace callsim {

namespace {

// A server that stops reading: Twilio discards audio instead of queueing it (31930). Below the
// whole call's bound (worker_send_bound.cpp), so that pongs and mark echoes still fit.
constexpr size_t kCongestedBytes = 256 * 1024;

}  // namespace

template <typename Client>
bool BasicWorker<Client>::send_media(Call& call, TimePoint cutoff, TimePoint now) {
  const media::FrameSource& audio = *settings_.audio;
  for (uint64_t n = call.pacer.due_frames(cutoff); n > 0; --n) {
    std::string_view payload;
    if (call.conversation) {
      // Asked even for a frame congestion drops: the caller speaks on, whatever the server reads.
      const CallerFrame frame = call.conversation->next_frame(now);
      if (frame.hang_up) return false;
      if (frame.dtmf) send_dtmf(call, frame.dtmf);
      payload = frame.audio == CallerFrame::Audio::kLoop
                    ? audio.frame_base64(call.audio_offset + call.pacer.next_frame())
                    : settings_.conversation->frame_base64(frame);
    } else {
      payload = audio.frame_base64(call.audio_offset + call.pacer.next_frame());
    }
    if (call.sender.held_bytes() > kCongestedBytes || !fits_send_bound(call, 0)) {
      ++call.record.frames_congested;
      ++stats_.frames_congested;
      call.pacer.mark_sent(now);
      continue;
    }
    build_media(call.outgoing, call.record.ids.stream_sid, call.next_sequence(), ++call.chunk,
                call.pacer.next_timestamp_ms(), payload);
    if (!send_text(call)) return true;
    if (call.recording) record_caller_frame(call, payload);
    const Nanos lateness = call.pacer.mark_sent(now);
    stats_.lateness.record(lateness);
    const TimePoint origin = settings_.run_started != TimePoint{} ? settings_.run_started : epoch_;
    stats_.lateness_over_time.record(now - origin, lateness);
    ++call.record.frames_sent;
    ++stats_.frames_sent;
  }
  call.record.frames_skipped = call.pacer.skipped_frames();
  return true;
}

template <typename Client>
void BasicWorker<Client>::send_dtmf(Call& call, char digit) {
  build_dtmf(call.outgoing, call.record.ids.stream_sid, call.next_sequence(), digit);
  if (!fits_send_bound(call, call.outgoing.size())) {
    call.unuse_sequence();
    return;
  }
  if (send_text(call)) ++call.record.dtmf_sent;
}

template <typename Client>
bool BasicWorker<Client>::send_text(Call& call) {
  std::error_code ec = call.sender.send(call.connection, call.outgoing);
  if (ec) return false;
  stats_.bytes_sent += call.outgoing.size();
  note_send_queue(call);
  return true;
}

template <typename Client>
void BasicWorker<Client>::echo_marks(Call& call, const std::vector<std::string>& names,
                                     TimePoint now) {
  // Each mark has played out, whether or not its echo fits: the caller's metrics keep their
  // arrival order in step with the playback buffer's.
  if (call.conversation && !names.empty()) call.conversation->on_marks_echoed(now, names.size());
  for (const auto& name : names) {
    build_mark(call.outgoing, call.record.ids.stream_sid, call.next_sequence(), name);
    if (!fits_send_bound(call, call.outgoing.size())) {
      call.unuse_sequence();
      ++call.record.mark_echoes_unsent;
      continue;
    }
    if (!send_text(call)) return;
    ++call.record.marks_echoed;
    ++stats_.marks_echoed;
  }
}

#define CALLSIM_INSTANTIATE_SEND(Client)                                      \
  template bool BasicWorker<Client>::send_media(Call&, TimePoint, TimePoint); \
  template void BasicWorker<Client>::send_dtmf(Call&, char);                  \
  template bool BasicWorker<Client>::send_text(Call&);                        \
  template void BasicWorker<Client>::echo_marks(Call&, const std::vector<std::string>&, TimePoint);
CALLSIM_INSTANTIATE_SEND(WsClient)
CALLSIM_INSTANTIATE_SEND(WssClient)

}  // namespace callsim
