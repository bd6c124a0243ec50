#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace callsim {

// The three SIDs of one stream: AC/CA/MZ + 32 lowercase hex digits.
struct StreamIdentity {
  std::string account_sid;
  std::string call_sid;
  std::string stream_sid;
};

using Parameters = std::vector<std::pair<std::string, std::string>>;

// Builders for the messages Twilio sends, byte for byte as in Twilio's captures: compact JSON,
// keys in capture order, counters as decimal strings, mediaFormat numbers as numbers (see
// ../shared/twilio-media-streams.md §3). Each clears `out` and writes the message into it, so a
// caller that reuses one string per call allocates nothing once its capacity has grown.
// Strings that come from users (parameter names and values, mark names) are JSON-escaped.
void build_connected(std::string& out);
void build_start(std::string& out, const StreamIdentity& ids, uint64_t sequence,
                 const Parameters& custom_parameters);
// The hot path: stream_sid and payload_base64 are copied as they are (SIDs and base64 never need
// escaping; debug builds assert it), the counters formatted in place.
void build_media(std::string& out, std::string_view stream_sid, uint64_t sequence, uint64_t chunk,
                 uint64_t timestamp_ms, std::string_view payload_base64);
void build_mark(std::string& out, std::string_view stream_sid, uint64_t sequence,
                std::string_view name);
void build_dtmf(std::string& out, std::string_view stream_sid, uint64_t sequence, char digit);
void build_stop(std::string& out, const StreamIdentity& ids, uint64_t sequence);

// What a server may send to Twilio on a bidirectional stream.
enum class ServerEvent { kMedia, kMark, kClear };

// Why a server message was invalid; Twilio logs 31950 for a binary frame, 31951 for the rest.
enum class InvalidMessage {
  kBinaryFrame,     // 31950
  kBadJson,         // not JSON, or not a JSON object
  kUnknownEvent,    // "event" missing, not a string, or not media/mark/clear
  kWrongStreamSid,  // streamSid present but not this stream's
  kMissingField,    // streamSid, media.payload or mark.name missing or not a string
  kBadPayload,      // media.payload is not valid base64
  kCount
};
const char* to_string(InvalidMessage kind);

struct ServerMessage {
  ServerEvent event = ServerEvent::kClear;
  uint64_t payload_bytes = 0;       // media: decoded μ-law bytes
  std::string_view payload_base64;  // media: points into the parsed text
  std::string mark_name;            // mark
  bool has_extra_fields = false;    // keys Twilio does not define (it would log 31951)
};

struct ParseResult {
  bool ok = false;
  ServerMessage message;                              // valid when ok
  InvalidMessage invalid = InvalidMessage::kBadJson;  // valid when !ok
};

// Parses one text frame from the server. May modify `text` (in-situ parsing); views in the
// result point into it and stay valid while it does. Binary frames are the caller's to count
// (kBadJson is never about them). `text` is taken to be UTF-8, as the WebSocket layer checks;
// build_mark turns any malformed sequence in a name into U+FFFD. A typical message is parsed
// without touching the heap.
ParseResult parse_server_message(std::string& text, std::string_view expected_stream_sid);

}  // namespace callsim
