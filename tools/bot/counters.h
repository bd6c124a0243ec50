#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>

namespace callsim::bot {

// Everything the bot counts, shown by GET /health/details. Incremented from any thread.
#define CALLSIM_BOT_COUNTERS(X)                                                                    \
  X(http_requests)            /* HTTP requests that reached a route or a 404 */                    \
  X(bad_http)                 /* requests websocketpp could not parse or that timed out */         \
  X(aborted_connections)      /* connections closed before sending a whole request (probes) */     \
  X(not_found)                /* unknown HTTP path or WebSocket path */                            \
  X(method_not_allowed)       /* known path, wrong method */                                       \
  X(bad_form)                 /* webhook bodies not form-encoded or lacking CallSid/StreamEvent */ \
  X(tls_handshake_failures)   /* TLS connections that failed or timed out before HTTP (probes) */  \
  X(bad_signature_webhooks)   /* webhooks answered 403: X-Twilio-Signature missing or wrong */     \
  X(bad_signature_upgrades)   /* upgrades answered 403: x-twilio-signature missing or wrong */     \
  X(webhooks)                 /* voice webhooks received */                                        \
  X(duplicate_webhooks)       /* voice webhook for a CallSid that already holds a slot */          \
  X(status_callbacks)         /* status callbacks received */                                      \
  X(status_without_slot)      /* terminal status for a call holding no slot (normal after stop) */ \
  X(stream_started_callbacks) /* <Stream statusCallback> with StreamEvent=stream-started */        \
  X(stream_stopped_callbacks) /* ... StreamEvent=stream-stopped */                                 \
  X(stream_error_callbacks)   /* ... StreamEvent=stream-error */                                   \
  X(bad_stream_events)        /* stream status callbacks with an unknown StreamEvent (400) */      \
  X(upgrades)                 /* WebSocket upgrade requests on the media path */                   \
  X(streams_opened)           /* upgrades answered 101 */                                          \
  X(streams_closed)           /* WebSockets that ended */                                          \
  X(starts)                   /* `start` messages */                                               \
  X(start_not_admitted)       /* `start` for a CallSid no webhook admitted (closed 1008) */        \
  X(start_without_stream_sid) /* `start` lacking streamSid (closed 1008) */                        \
  X(start_without_call_sid)   /* `start` lacking callSid and customParameters.CallSid */           \
  X(call_sid_mismatch)        /* start.callSid differs from customParameters.CallSid */            \
  X(duplicate_call_sid)       /* a second live stream for the same CallSid (closed 1008) */        \
  X(admitted)                 /* admission checks that took a slot */                              \
  X(rejected)                 /* admission checks that refused (cap, WATCH exhaustion, error) */   \
  X(watch_retries)            /* WATCH transactions aborted and retried */                         \
  X(watch_exhausted)          /* admissions refused because every WATCH attempt aborted */         \
  X(releases)                 /* release commands run against Redis */                             \
  X(double_releases)          /* releases beyond the first for one call (fault) */                 \
  X(leaked)                   /* call ends that released nothing because of a fault */             \
  X(stray_releases)           /* releases for a call holding no slot (release-on-completed) */     \
  X(clamp_resets)             /* SET 0 after a negative DECR (fault) */                            \
  X(redis_errors)             /* failed Redis commands (connection lost, error reply) */           \
  X(release_failures)         /* releases that could not be applied even after reconnecting */     \
  X(no_start_timeouts)        /* streams closed 1000 "No START event" */                           \
  X(early_releases)           /* slots given back while the call went on (fault) */                \
  X(idle_releases)            /* slots released for lack of inbound media (fault) */               \
  X(floods)                   /* streams closed 1008 for sending messages too fast */              \
  X(oversized_messages)       /* streams closed 1009 for a message over the size limit */          \
  X(messages_received)        /* WebSocket messages from callers */                                \
  X(frames_received)          /* inbound `media` messages */                                       \
  X(frames_sent)              /* outbound `media` messages */                                      \
  X(frames_dropped)           /* outbound frames skipped because the caller did not read */        \
  X(marks_sent)               /* outbound `mark` messages, heartbeats included */                  \
  X(clears_sent)              /* outbound `clear` messages (barge-in) */                           \
  X(answers)                  /* answers spoken after the caller paused */                         \
  X(barge_ins)                /* callers starting to speak while the bot could still be heard */   \
  X(stalls)                   /* --stall gaps begun in the middle of an utterance */

// Ways a caller's message can differ from what Twilio sends (fact sheet §3). A message adds one
// to each kind it shows, so a message with two missing fields counts once under missing_field.
#define CALLSIM_BOT_DEVIATIONS(X)                                                                \
  X(kBinaryFrame, "binary_frame")   /* Twilio sends text frames only */                          \
  X(kBadJson, "bad_json")           /* not JSON, or not a JSON object */                         \
  X(kUnknownEvent, "unknown_event") /* event missing, not a string, or not Twilio's */           \
  X(kMissingField, "missing_field") /* a field Twilio always sends is absent */                  \
  X(kWrongType, "wrong_type")       /* e.g. sequenceNumber as a number, sampleRate as text */    \
  X(kExtraField, "extra_field")     /* a field Twilio does not send */                           \
  X(kBadValue, "bad_value") /* track, encoding, rate, channels, protocol, digit, stop SIDs */    \
  X(kBadSid, "bad_sid")     /* SID not AC/CA/MZ + 32 hex digits */                               \
  X(kWrongStreamSid, "wrong_stream_sid") /* streamSid differs from the one in `start` */         \
  X(kBadSequence, "bad_sequence")        /* sequenceNumber not "1" on start, then +1 */          \
  X(kBadChunk, "bad_chunk")              /* media.chunk not "1", then +1 */                      \
  X(kBadTimestamp, "bad_timestamp")      /* media.timestamp not decimal, or not a ~20 ms step */ \
  X(kBadPayload, "bad_payload")          /* media.payload not base64 of 160 bytes */             \
  X(kOutOfOrder, "out_of_order")         /* connected not first, start not once, after stop */   \
  X(kUnknownMark, "unknown_mark")        /* mark echo that is not the oldest pending mark */

enum class Deviation : size_t {
#define CALLSIM_BOT_ENUM(id, name) id,
  CALLSIM_BOT_DEVIATIONS(CALLSIM_BOT_ENUM)
#undef CALLSIM_BOT_ENUM
      kCount
};
inline constexpr size_t kDeviationKinds = static_cast<size_t>(Deviation::kCount);

const char* to_string(Deviation d);

struct Counters {
#define CALLSIM_BOT_FIELD(name) std::atomic<uint64_t> name{0};
  CALLSIM_BOT_COUNTERS(CALLSIM_BOT_FIELD)
#undef CALLSIM_BOT_FIELD
  std::array<std::atomic<uint64_t>, kDeviationKinds> deviations{};
  // The pauses the answers were spoken after (think draw + load), in nanoseconds.
  std::atomic<uint64_t> think_applied{0};
  std::atomic<uint64_t> think_total_ns{0};
  std::atomic<uint64_t> think_max_ns{0};

  void note_think(std::chrono::nanoseconds pause) {
    const auto ns = static_cast<uint64_t>(pause.count());
    think_total_ns += ns;
    uint64_t max = think_max_ns.load();
    while (ns > max && !think_max_ns.compare_exchange_weak(max, ns)) {
    }
    // Last, so a reader that sees the count sees the pause in the max and total.
    think_applied++;
  }

  void count(Deviation d) {
    deviations[static_cast<size_t>(d)]++;
  }
  uint64_t deviation(Deviation d) const {
    return deviations[static_cast<size_t>(d)].load();
  }

  // Calls f(name, value) for every counter above, in declaration order.
  template <typename F>
  void visit(F&& f) const {
#define CALLSIM_BOT_VISIT(name) f(#name, name.load(std::memory_order_relaxed));
    CALLSIM_BOT_COUNTERS(CALLSIM_BOT_VISIT)
#undef CALLSIM_BOT_VISIT
  }
};

}  // namespace callsim::bot
