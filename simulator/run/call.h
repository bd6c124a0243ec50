#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "core/call_conversation.h"
#include "core/call_record.h"
#include "core/call_recording.h"
#include "core/frame_pacer.h"
#include "core/http_method.h"
#include "core/playback_buffer.h"
#include "net/prepared_frame.h"
#include "net/ws_client.h"

namespace callsim {

// One simulated Twilio call: its record, its socket and its position in the Media Streams
// protocol. Owned and driven by exactly one Worker; never touched by another thread. `Client` is
// websocketpp's client endpoint type (WsClient for ws://, WssClient for wss://).
template <typename Client>
struct BasicCall {
  enum class State {
    kScheduled,      // waiting for its start time
    kWebhook,        // the voice webhook is being asked (and redirects followed)
    kConnecting,     // TCP connect and upgrade in flight
    kStreaming,      // connected + start sent, media flowing
    kClosing,        // we decided to end it; waiting for the socket to close
    kServerClosing,  // the server's close frame arrived; waiting for websocketpp to finish it
    kDone,
  };
  // How callsim itself ends an admitted call.
  enum class Ending { kStopThenClose, kResetMidCall, kCloseWithoutStop };

  // The fields every frame reads come first, so that a frame touches few cache lines of a call
  // (a thousand calls do not fit in the cache; the worker prefetches the next call's).
  State state = State::kScheduled;
  Ending ending = Ending::kStopThenClose;
  Outcome closing_outcome = Outcome::kCompleted;  // what our own close means once it completes
  typename Client::connection_ptr connection;
  TimePoint next_service{};  // the one heap entry for this call that is not stale

  FramePacer pacer{TimePoint{}, 0};
  uint64_t sequence = 0;  // last sequenceNumber used; `start` is 1
  uint64_t chunk = 0;     // last media chunk number used
  uint64_t first_timestamp_ms = 0;
  size_t audio_offset = 0;
  TimePoint hang_up_at{};  // hold end, or the mid-call moment a dropped call vanishes
  std::string outgoing;    // reused for every message this call sends
  PreparedTextSender sender;
  // Where hang_up_at was first set: hang_up() moves hang_up_at to the actual moment, and the
  // reject window is judged by the plan.
  TimePoint planned_hang_up{};
  TimePoint server_close_seen{};  // first seen the server closing, before the socket ended

  // How websocketpp answered the server's close frame, as it stood then: a close that times out
  // later overwrites it with "The closing handshake timed out".
  uint16_t close_answer_code = 0;
  std::string close_answer_reason;
  // The open handshake: --handshake-timeout from the dial, and how far it got.
  TimePoint handshake_deadline{};
  bool tcp_connected = false;
  bool transport_ready = false;  // TLS done (wss://), the upgrade request about to go

  // The webhook phase: what the TwiML said the stream should carry and where the call's status
  // goes at hang-up.
  bool via_webhook = false;
  bool webhook_answered = false;                // TwiML decided the call (a status callback is due)
  const char* final_call_status = "completed";  // its status callback's CallStatus
  uint64_t webhook_request = 0;                 // the HttpClient request of the webhook in flight
  Parameters stream_parameters;
  std::string status_callback_url;
  HttpMethod status_callback_method = HttpMethod::kPost;
  std::string stream_url_as_written;  // signed as Twilio signs the upgrade
  std::string stream_name;            // <Stream name>
  std::string stream_callback_url;    // <Stream statusCallback>; "" when absent
  HttpMethod stream_callback_method = HttpMethod::kPost;
  bool stream_dialled = false;  // the WebSocket was attempted
  bool dialling = false;        // counted in the worker's handshakes in flight (dial() to its end)

  CallRecord record;
  PlaybackBuffer playback;
  // The caller's turns and what it heard; empty for --caller loop.
  std::optional<CallConversation> conversation;
  std::unique_ptr<CallRecording> recording;  // --record: one of the calls recorded, else null

  bool send_refused = false;  // the send bound refused a frame (worker_send_bound.cpp)
  uint64_t refused_with_kernel_unsent = 0;  // the socket's unsent bytes at that first refusal
  bool unread_recorded = false;  // what the server left unread was measured (once, at the end)

  // Asks the cache for what sending a frame reads: the leading fields (state to sender), and
  // the record's frame counters and stream SID.
  void prefetch_frame_fields() const {
    const char* first = reinterpret_cast<const char*>(this);
    const char* end = reinterpret_cast<const char*>(&sender + 1);
    for (const char* line = first; line < end; line += 64) __builtin_prefetch(line);
    __builtin_prefetch(&record.ids.stream_sid);
    __builtin_prefetch(&record.frames_sent);
    __builtin_prefetch(&record.send_queue_peak_bytes);
  }

  uint64_t next_sequence() { return ++sequence; }
  // The message built with the last sequence number was not sent after all.
  void unuse_sequence() { --sequence; }
};

}  // namespace callsim
