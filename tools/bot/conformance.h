#pragma once

#include <bitset>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/fwd.h>

#include "bot/counters.h"

namespace callsim::bot {

using DeviationSet = std::bitset<kDeviationKinds>;

// What the bot can still use from one caller message after it has been checked; fields the
// message lacked are empty.
struct CallerMessage {
  enum class Event { kNone, kConnected, kStart, kMedia, kDtmf, kMark, kStop };
  Event event = Event::kNone;
  std::string stream_sid;       // start: start.streamSid, else the top-level streamSid
  std::string call_sid;         // start: start.callSid
  std::string custom_call_sid;  // start: customParameters.CallSid (the webhook's, via TwiML)
  std::vector<uint8_t> audio;   // media: the decoded payload when it is valid base64
  std::string mark_name;        // mark: mark.name
};

// Checks one stream's caller messages, in arrival order, against what Twilio sends
// (../shared/twilio-media-streams.md §3): field names and types, SIDs, the sequence counter,
// chunk numbers, 20 ms timestamps, 160-byte payloads, message order, and mark echoes against
// the marks the bot sent. Key order is not checked: JSON objects are unordered.
class ConformanceChecker {
 public:
  // Twilio's timestamps follow arrival, so steps jitter by a few ms around 20; a step outside
  // 20 ± this (or backwards) is a deviation.
  static constexpr int64_t kTimestampStepToleranceMs = 10;
  // Echoes are matched against at most this many outstanding marks; older ones are forgotten.
  static constexpr size_t kMaxPendingMarks = 1024;

  CallerMessage check_text(std::string_view text, DeviationSet& found);
  void check_binary(DeviationSet& found) {
    found.set(static_cast<size_t>(Deviation::kBinaryFrame));
  }
  void note_mark_sent(std::string name);

  bool saw_start() const { return saw_start_; }
  bool saw_stop() const { return saw_stop_; }

 private:
  void check_sequence(std::string_view text, bool is_start, DeviationSet& found);
  void check_start(const rapidjson::Value& message, CallerMessage& out, DeviationSet& found);
  void check_media(const rapidjson::Value& message, CallerMessage& out, DeviationSet& found);
  void check_dtmf(const rapidjson::Value& message, DeviationSet& found);
  void check_mark(const rapidjson::Value& message, CallerMessage& out, DeviationSet& found);
  void check_stop(const rapidjson::Value& message, DeviationSet& found);
  void check_stream_sid(const rapidjson::Value& message, DeviationSet& found);

  uint64_t messages_ = 0;
  bool saw_connected_ = false;
  bool saw_start_ = false;
  bool saw_stop_ = false;
  uint64_t last_sequence_ = 0;  // 0: none seen yet
  uint64_t last_chunk_ = 0;
  std::optional<int64_t> last_timestamp_;
  std::string stream_sid_;
  std::string account_sid_;
  std::string call_sid_;
  std::deque<std::string> pending_marks_;
};

// A decimal string as Twilio writes counters: digits only, no sign, no leading zeros.
std::optional<uint64_t> parse_twilio_counter(std::string_view text);

// AC/CA/MZ followed by 32 hex digits.
bool is_twilio_sid(std::string_view sid, std::string_view prefix);

}  // namespace callsim::bot
