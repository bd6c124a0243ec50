#include "twilio_messages.h"

#include <array>
#include <cassert>
#include <charconv>
#include <cstring>
#include <optional>

#include <rapidjson/allocators.h>
#include <rapidjson/document.h>

namespace callsim {
namespace {

using namespace std::string_view_literals;

// ---- writing -------------------------------------------------------------------------------

// Length of the well-formed UTF-8 sequence starting at p (RFC 3629: no overlongs, no surrogates,
// nothing above U+10FFFF), or 0 when it is not one.
size_t utf8_sequence_length(const unsigned char* p, size_t available) {
  const unsigned char lead = p[0];
  size_t length;
  unsigned char low = 0x80, high = 0xBF;  // allowed range of the second byte
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;
    if (lead == 0xED) high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
  } else {
    return 0;
  }
  if (available < length) return 0;
  if (p[1] < low || p[1] > high) return 0;
  for (size_t i = 2; i < length; ++i) {
    if (p[i] < 0x80 || p[i] > 0xBF) return 0;
  }
  return length;
}

// Appends `text` as a JSON string literal. Bytes that are not well-formed UTF-8 become U+FFFD,
// so whatever a user or server hands us, the frame we send is valid JSON in a valid text frame.
void append_json_string(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  size_t plain_from = 0;
  size_t i = 0;
  auto flush = [&] { out.append(text.data() + plain_from, i - plain_from); };
  while (i < text.size()) {
    const unsigned char c = bytes[i];
    if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
      ++i;
      continue;
    }
    if (c >= 0x80) {
      const size_t length = utf8_sequence_length(bytes + i, text.size() - i);
      if (length != 0) {
        i += length;
        continue;
      }
    }
    flush();
    switch (c) {
      case '"':
        out.append("\\\"");
        break;
      case '\\':
        out.append("\\\\");
        break;
      case '\b':
        out.append("\\b");
        break;
      case '\f':
        out.append("\\f");
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\r':
        out.append("\\r");
        break;
      case '\t':
        out.append("\\t");
        break;
      default:
        if (c < 0x20) {
          const char escape[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
          out.append(escape, sizeof escape);
        } else {
          out.append("\\ufffd");
        }
    }
    ++i;
    plain_from = i;
  }
  flush();
  out.push_back('"');
}

// Decimal digits of `value` into `buffer` (20 chars hold any uint64_t); returns the digits.
std::string_view format_uint(uint64_t value, std::array<char, 20>& buffer) {
  const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  return std::string_view(buffer.data(), static_cast<size_t>(result.ptr - buffer.data()));
}

void append_uint(std::string& out, uint64_t value) {
  std::array<char, 20> buffer;
  out.append(format_uint(value, buffer));
}

// SIDs and base64 are built by callsim from [A-Za-z0-9+/=] and never need escaping; checking that
// in debug builds keeps the hot path free of a per-byte scan.
[[maybe_unused]] bool needs_no_escaping(std::string_view text) {
  for (char c : text) {
    if (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20 ||
        static_cast<unsigned char>(c) >= 0x80) {
      return false;
    }
  }
  return true;
}

// ---- reading -------------------------------------------------------------------------------

constexpr std::array<bool, 256> make_base64_alphabet() {
  std::array<bool, 256> table{};
  for (char c = 'A'; c <= 'Z'; ++c) table[static_cast<unsigned char>(c)] = true;
  for (char c = 'a'; c <= 'z'; ++c) table[static_cast<unsigned char>(c)] = true;
  for (char c = '0'; c <= '9'; ++c) table[static_cast<unsigned char>(c)] = true;
  table['+'] = true;
  table['/'] = true;
  return table;
}
constexpr std::array<bool, 256> kBase64Alphabet = make_base64_alphabet();

// Decoded size of padded standard base64 (what Twilio sends and accepts), nullopt when the text
// is not that. Checks without decoding, so nothing is allocated.
std::optional<uint64_t> base64_decoded_size(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  size_t padding = 0;
  if (!text.empty() && text.back() == '=') padding = text[text.size() - 2] == '=' ? 2 : 1;
  for (size_t i = 0; i < text.size() - padding; ++i) {
    if (!kBase64Alphabet[static_cast<unsigned char>(text[i])]) return std::nullopt;
  }
  return text.size() / 4 * 3 - padding;
}

using Pool = rapidjson::MemoryPoolAllocator<>;
using Document = rapidjson::GenericDocument<rapidjson::UTF8<>, Pool, Pool>;
using Value = Document::ValueType;

std::string_view view(const Value& string) {
  return std::string_view(string.GetString(), string.GetStringLength());
}

ParseResult invalid(InvalidMessage kind) {
  ParseResult result;
  result.ok = false;
  result.invalid = kind;
  return result;
}

// True when `object` has members other than `allowed`.
bool has_other_members(const Value& object, std::initializer_list<std::string_view> allowed) {
  for (const auto& member : object.GetObject()) {
    const std::string_view name = view(member.name);
    bool known = false;
    for (std::string_view a : allowed) known = known || name == a;
    if (!known) return true;
  }
  return false;
}

const Value* find(const Value& object, std::string_view name) {
  for (const auto& member : object.GetObject()) {
    if (view(member.name) == name) return &member.value;
  }
  return nullptr;
}

}  // namespace

void build_connected(std::string& out) {
  out.assign(R"({"event":"connected","protocol":"Call","version":"1.0.0"})");
}

void build_start(std::string& out, const StreamIdentity& ids, uint64_t sequence,
                 const Parameters& custom_parameters) {
  out.clear();
  out.append(R"({"event":"start","sequenceNumber":")");
  append_uint(out, sequence);
  out.append(R"(","start":{"accountSid":)");
  append_json_string(out, ids.account_sid);
  out.append(R"(,"streamSid":)");
  append_json_string(out, ids.stream_sid);
  out.append(R"(,"callSid":)");
  append_json_string(out, ids.call_sid);
  out.append(R"(,"tracks":["inbound"],"mediaFormat":{"encoding":"audio/x-mulaw","sampleRate":8000,)"
             R"("channels":1},"customParameters":{)");
  bool first = true;
  for (const auto& [name, value] : custom_parameters) {
    if (!first) out.push_back(',');
    first = false;
    append_json_string(out, name);
    out.push_back(':');
    append_json_string(out, value);
  }
  out.append(R"(}},"streamSid":)");
  append_json_string(out, ids.stream_sid);
  out.push_back('}');
}

void build_media(std::string& out, std::string_view stream_sid, uint64_t sequence, uint64_t chunk,
                 uint64_t timestamp_ms, std::string_view payload_base64) {
  assert(needs_no_escaping(stream_sid) && needs_no_escaping(payload_base64));
  static constexpr std::string_view kHead = R"({"event":"media","sequenceNumber":")";
  static constexpr std::string_view kChunk = R"(","media":{"track":"inbound","chunk":")";
  static constexpr std::string_view kTimestamp = R"(","timestamp":")";
  static constexpr std::string_view kPayload = R"(","payload":")";
  static constexpr std::string_view kStreamSid = R"("},"streamSid":")";
  static constexpr std::string_view kTail = R"("})";
  std::array<char, 20> sequence_buffer, chunk_buffer, timestamp_buffer;
  const std::string_view sequence_digits = format_uint(sequence, sequence_buffer);
  const std::string_view chunk_digits = format_uint(chunk, chunk_buffer);
  const std::string_view timestamp_digits = format_uint(timestamp_ms, timestamp_buffer);
  const size_t size = kHead.size() + sequence_digits.size() + kChunk.size() + chunk_digits.size() +
                      kTimestamp.size() + timestamp_digits.size() + kPayload.size() +
                      payload_base64.size() + kStreamSid.size() + stream_sid.size() + kTail.size();
  out.resize(size);
  char* cursor = out.data();
  for (std::string_view part :
       {kHead, sequence_digits, kChunk, chunk_digits, kTimestamp, timestamp_digits, kPayload,
        payload_base64, kStreamSid, stream_sid, kTail}) {
    std::memcpy(cursor, part.data(), part.size());
    cursor += part.size();
  }
}

void build_mark(std::string& out, std::string_view stream_sid, uint64_t sequence,
                std::string_view name) {
  out.clear();
  out.append(R"({"event":"mark","sequenceNumber":")");
  append_uint(out, sequence);
  out.append(R"(","streamSid":)");
  append_json_string(out, stream_sid);
  out.append(R"(,"mark":{"name":)");
  append_json_string(out, name);
  out.append("}}");
}

void build_dtmf(std::string& out, std::string_view stream_sid, uint64_t sequence, char digit) {
  out.clear();
  out.append(R"({"event":"dtmf","streamSid":)");
  append_json_string(out, stream_sid);
  out.append(R"(,"sequenceNumber":")");
  append_uint(out, sequence);
  out.append(R"(","dtmf":{"track":"inbound_track","digit":)");
  append_json_string(out, std::string_view(&digit, 1));
  out.append("}}");
}

void build_stop(std::string& out, const StreamIdentity& ids, uint64_t sequence) {
  out.clear();
  out.append(R"({"event":"stop","sequenceNumber":")");
  append_uint(out, sequence);
  out.append(R"(","streamSid":)");
  append_json_string(out, ids.stream_sid);
  out.append(R"(,"stop":{"accountSid":)");
  append_json_string(out, ids.account_sid);
  out.append(R"(,"callSid":)");
  append_json_string(out, ids.call_sid);
  out.append("}}");
}

const char* to_string(InvalidMessage kind) {
  switch (kind) {
    case InvalidMessage::kBinaryFrame:
      return "binary_frame";
    case InvalidMessage::kBadJson:
      return "bad_json";
    case InvalidMessage::kUnknownEvent:
      return "unknown_event";
    case InvalidMessage::kWrongStreamSid:
      return "wrong_stream_sid";
    case InvalidMessage::kMissingField:
      return "missing_field";
    case InvalidMessage::kBadPayload:
      return "bad_payload";
    case InvalidMessage::kCount:
      break;
  }
  return "unknown";
}

ParseResult parse_server_message(std::string& text, std::string_view expected_stream_sid) {
  // In-situ parsing stops at the terminating NUL, so a raw NUL would hide whatever follows it.
  if (std::memchr(text.data(), '\0', text.size()) != nullptr) {
    return invalid(InvalidMessage::kBadJson);
  }
  // A server message has a handful of values: pools on the stack hold them, so a typical parse
  // allocates nothing; larger documents spill to the heap in proportion to their size.
  alignas(16) char value_memory[4096];
  alignas(16) char stack_memory[2048];
  Pool value_pool(value_memory, sizeof value_memory);
  Pool stack_pool(stack_memory, sizeof stack_memory);
  Document document(&value_pool, 512, &stack_pool);
  // Iterative: deep nesting from a hostile server costs heap, never the thread's stack. UTF-8 is
  // not validated again here (the WebSocket layer rejects text frames that are not UTF-8, and it
  // would cost more than the parse itself); the mark echo's escaping repairs what slips through.
  document.ParseInsitu<rapidjson::kParseIterativeFlag>(text.data());
  if (document.HasParseError() || !document.IsObject()) return invalid(InvalidMessage::kBadJson);

  const Value* event = find(document, "event");
  if (event == nullptr || !event->IsString()) return invalid(InvalidMessage::kUnknownEvent);
  const std::string_view event_name = view(*event);
  ParseResult result;
  if (event_name == "media"sv) {
    result.message.event = ServerEvent::kMedia;
  } else if (event_name == "mark"sv) {
    result.message.event = ServerEvent::kMark;
  } else if (event_name == "clear"sv) {
    result.message.event = ServerEvent::kClear;
  } else {
    return invalid(InvalidMessage::kUnknownEvent);
  }

  const Value* stream_sid = find(document, "streamSid");
  if (stream_sid == nullptr || !stream_sid->IsString()) {
    return invalid(InvalidMessage::kMissingField);
  }
  if (view(*stream_sid) != expected_stream_sid) return invalid(InvalidMessage::kWrongStreamSid);

  ServerMessage& message = result.message;
  switch (message.event) {
    case ServerEvent::kMedia: {
      const Value* media = find(document, "media");
      if (media == nullptr || !media->IsObject()) return invalid(InvalidMessage::kMissingField);
      const Value* payload = find(*media, "payload");
      if (payload == nullptr || !payload->IsString()) return invalid(InvalidMessage::kMissingField);
      const std::optional<uint64_t> bytes = base64_decoded_size(view(*payload));
      if (!bytes) return invalid(InvalidMessage::kBadPayload);
      message.payload_bytes = *bytes;
      message.payload_base64 = view(*payload);
      message.has_extra_fields = has_other_members(document, {"event", "streamSid", "media"}) ||
                                 has_other_members(*media, {"payload"});
      break;
    }
    case ServerEvent::kMark: {
      const Value* mark = find(document, "mark");
      if (mark == nullptr || !mark->IsObject()) return invalid(InvalidMessage::kMissingField);
      const Value* name = find(*mark, "name");
      if (name == nullptr || !name->IsString()) return invalid(InvalidMessage::kMissingField);
      message.mark_name.assign(name->GetString(), name->GetStringLength());
      message.has_extra_fields = has_other_members(document, {"event", "streamSid", "mark"}) ||
                                 has_other_members(*mark, {"name"});
      break;
    }
    case ServerEvent::kClear:
      message.has_extra_fields = has_other_members(document, {"event", "streamSid"});
      break;
  }
  result.ok = true;
  return result;
}

}  // namespace callsim
