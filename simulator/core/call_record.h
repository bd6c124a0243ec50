#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "call_audio_metrics.h"
#include "clock.h"
#include "twilio_messages.h"

namespace callsim {

// How one call ended, from the caller's side. Expected rejections are kept apart from failures:
// a cap that turns calls away is doing its job.
enum class Outcome {
  kPending,           // not ended yet (only seen while running)
  kCompleted,         // served until the hold time, then stop + close 1000 by us
  kRejected,          // explicit rejection: non-101 upgrade, or server close before being served
  kRefused,           // TCP connection refused
  kHandshakeTimeout,  // no upgrade answer within --handshake-timeout
  kTlsError,          // TLS handshake or certificate failure
  kClosedEarly,       // served, then the server closed before the hold time
  kProtocolError,     // broken WebSocket or HTTP from the server, connection reset, other error
  kDropped,           // admitted, then deliberately abandoned by callsim (--drop-ratio, no stop)
  kStoppedReading,    // served until the hold time, but the server stopped reading: pongs, mark
                      // echoes or audio callsim could not send (the send bound, see worker.cpp)
  kInterrupted,       // cut short by SIGINT or --duration
  kCount
};
const char* to_string(Outcome outcome);
// The outcomes the run counts as failed calls: the server could not be reached or broke the call.
bool is_failed_outcome(Outcome outcome);

// How a rejected call was turned away.
enum class RejectKind {
  kNone,
  kHttpStatus,         // upgrade answered with a non-101 status (http_status)
  kClosedBeforeStart,  // server closed after the upgrade, before reading start
  kClosedAfterStart,   // server closed within --reject-window of start, having sent no audio
  kTwiml,              // the voice webhook answered <Reject>, <Hangup> or only <Say>/<Play>
};
const char* to_string(RejectKind kind);

// Everything callsim knows about one call. Times are on the run's monotonic clock; a
// default-constructed TimePoint means "did not happen".
struct CallRecord {
  uint64_t index = 0;  // 0-based order in which the run scheduled calls
  int worker = 0;
  int burst = 0;  // which --bursts repetition placed it
  StreamIdentity ids;

  TimePoint scheduled{};        // when the call was meant to start
  TimePoint connect_started{};  // TCP connect began
  TimePoint upgraded{};         // 101 received
  TimePoint start_sent{};       // `start` written
  TimePoint first_server_message{};
  TimePoint admission_confirmed{};  // first server message, or start + reject window (see below)
  TimePoint hung_up{};              // we sent stop/close or reset it, or the server's close arrived
  TimePoint ended{};                // socket closed, or the attempt failed

  Outcome outcome = Outcome::kPending;
  RejectKind reject_kind = RejectKind::kNone;
  int http_status = 0;  // the upgrade's status when it was not 101
  int close_code = 0;   // close code the server sent (0 when none)
  std::string close_reason;
  bool closed_by_server = false;
  std::string error;          // transport error text for refused/timeout/tls/protocol outcomes
  std::string reject_detail;  // kTwiml: the verb, and the <Say> text or <Reject> reason

  uint64_t frames_sent = 0;
  uint64_t frames_skipped = 0;  // skipped after a stall (FramePacer)
  uint64_t messages_received = 0;
  uint64_t server_media_bytes = 0;  // decoded μ-law the server sent
  uint64_t marks_received = 0;
  uint64_t marks_echoed = 0;
  uint64_t dtmf_sent = 0;  // the caller's script pressed keys (Twilio's dtmf messages)
  uint64_t clears_received = 0;
  uint64_t playback_dropped_bytes = 0;  // beyond the 10-minute buffer (31931)
  std::array<uint64_t, static_cast<size_t>(InvalidMessage::kCount)> invalid{};
  bool close_timed_out = false;  // the close handshake never completed (kCloseGrace)

  // A server that stops reading. callsim bounds what websocketpp may hold for a call; beyond it,
  // pings go unanswered, marks unechoed and audio frames unsent, each counted here.
  uint64_t pings_received = 0;
  uint64_t pongs_unsent = 0;
  uint64_t mark_echoes_unsent = 0;
  uint64_t frames_congested = 0;        // audio frames not sent (Twilio: 31930)
  uint64_t send_queue_peak_bytes = 0;   // most frame bytes websocketpp held at once for the call
  uint64_t send_queue_peak_frames = 0;  // and most frames
  // How callsim's messages left: whole, straight to the socket, or through websocketpp's queue
  // (a TLS connection, the kernel's buffer full, or something queued before).
  uint64_t messages_written_directly = 0;
  uint64_t messages_queued = 0;
  // Still on callsim's side when it hung up (or saw the server's close): the kernel's send queue
  // of bytes not yet sent (SIOCOUTQNSD) and the bytes websocketpp had queued behind its write in
  // progress (get_buffered_amount); frames: those websocketpp had not finished writing, when any
  // bytes were left (otherwise they were written, their completion not yet run). What the
  // server's own kernel accepted and never read is out of sight, so this is a lower bound.
  uint64_t unread_socket_bytes = 0;
  uint64_t unread_queued_bytes = 0;
  uint64_t unread_frames = 0;
  uint64_t unread_bytes() const { return unread_socket_bytes + unread_queued_bytes; }
  std::string ws_violation;  // the WebSocket rule the server broke (ws_violation.h); "" if none
  // What the caller heard (core/call_audio_metrics.h); all zero until a CallConversation ran.
  CallAudioResult audio;

  // The server let this call in: it upgraded and did not reject it.
  bool admitted() const {
    return outcome == Outcome::kCompleted || outcome == Outcome::kClosedEarly ||
           outcome == Outcome::kDropped || outcome == Outcome::kStoppedReading ||
           (outcome == Outcome::kInterrupted && upgraded != TimePoint{} &&
            reject_kind == RejectKind::kNone);
  }
  // When the caller knew the server had admitted it. A server that admits at the upgrade has
  // done so by the 101, but one that admits after reading `start` may still turn the call away
  // (close 1013) until it serves it: its first message, or --reject-window without a rejection,
  // confirms it. Counting from the 101 would show a correct start-time server over its cap.
  TimePoint admitted_at() const {
    return admission_confirmed != TimePoint{} ? admission_confirmed : upgraded;
  }
  // When the server may have let its slot go: a server that releases on `stop` can admit the
  // next call before our close handshake finishes, so the hang-up, not the socket's end, counts.
  TimePoint released_at() const { return hung_up != TimePoint{} ? hung_up : ended; }
};

}  // namespace callsim
