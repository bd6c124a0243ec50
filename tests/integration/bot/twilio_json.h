#pragma once

// Twilio's messages written out by hand, as in the fact sheet's captures, so the bot is tested
// against the documented format rather than against callsim's own builders.

#include <cstdint>
#include <string>

#include <fmt/format.h>

namespace callsim::bot::test {

// prefix + 32 lowercase hex digits, distinct per n.
inline std::string twilio_sid(const char* prefix, uint64_t n) {
  return fmt::format("{}{:016x}{:016x}", prefix, n * 0x9E3779B97F4A7C15ULL, n);
}

inline std::string connected_json() {
  return R"({"event":"connected","protocol":"Call","version":"1.0.0"})";
}

inline std::string start_json(const std::string& call_sid, const std::string& stream_sid,
                              const std::string& account_sid = twilio_sid("AC", 1),
                              const std::string& custom_parameters = "{}") {
  return fmt::format(
      R"({{"event":"start","sequenceNumber":"1","start":{{"accountSid":"{}","streamSid":"{}",)"
      R"("callSid":"{}","tracks":["inbound"],"mediaFormat":{{"encoding":"audio/x-mulaw",)"
      R"("sampleRate":8000,"channels":1}},"customParameters":{}}},"streamSid":"{}"}})",
      account_sid, stream_sid, call_sid, custom_parameters, stream_sid);
}

// 160 bytes of μ-law silence (0xFF), base64.
inline const std::string& silence_payload() {
  static const std::string payload = [] {
    std::string s;
    for (int i = 0; i < 53; ++i) s += "////";  // 159 bytes
    return s + "/w==";                         // + 1 byte
  }();
  return payload;
}

inline std::string media_json(const std::string& stream_sid, uint64_t sequence, uint64_t chunk,
                              uint64_t timestamp_ms,
                              const std::string& payload = silence_payload()) {
  return fmt::format(
      R"({{"event":"media","sequenceNumber":"{}","media":{{"track":"inbound","chunk":"{}",)"
      R"("timestamp":"{}","payload":"{}"}},"streamSid":"{}"}})",
      sequence, chunk, timestamp_ms, payload, stream_sid);
}

inline std::string mark_json(const std::string& stream_sid, uint64_t sequence,
                             const std::string& name) {
  return fmt::format(
      R"({{"event":"mark","sequenceNumber":"{}","streamSid":"{}","mark":{{"name":"{}"}}}})",
      sequence, stream_sid, name);
}

inline std::string dtmf_json(const std::string& stream_sid, uint64_t sequence, char digit) {
  return fmt::format(
      R"({{"event":"dtmf","streamSid":"{}","sequenceNumber":"{}","dtmf":{{"track":"inbound_track",)"
      R"("digit":"{}"}}}})",
      stream_sid, sequence, digit);
}

inline std::string stop_json(const std::string& stream_sid, uint64_t sequence,
                             const std::string& call_sid,
                             const std::string& account_sid = twilio_sid("AC", 1)) {
  return fmt::format(
      R"({{"event":"stop","sequenceNumber":"{}","streamSid":"{}","stop":{{"accountSid":"{}",)"
      R"("callSid":"{}"}}}})",
      sequence, stream_sid, account_sid, call_sid);
}

}  // namespace callsim::bot::test
