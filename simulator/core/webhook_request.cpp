#include "core/webhook_request.h"

#include <time.h>

#include <algorithm>

#include <fmt/format.h>

#include "core/errors.h"
#include "core/twilio_signature.h"

namespace callsim {
namespace {

constexpr int kMaxPatternDigits = 15;  // 10^15 numbers per entry: the pool size fits 64 bits
constexpr size_t kMaxEntries = 10000;

std::string_view trim_spaces(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

void sort_by_name(Parameters& params) {
  std::stable_sort(params.begin(), params.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
}

void add_party(Parameters& params, const std::string& prefix, const std::string& number) {
  const NumberGeography geo = geography_of(number);
  params.emplace_back(prefix, number);
  params.emplace_back(prefix + "City", geo.city);
  params.emplace_back(prefix + "Country", geo.country);
  params.emplace_back(prefix + "State", geo.state);
  params.emplace_back(prefix + "Zip", geo.zip);
}

Parameters call_fields(const StreamIdentity& ids, const CallParties& parties,
                       const char* call_status) {
  Parameters params;
  params.reserve(32);
  params.emplace_back("AccountSid", ids.account_sid);
  params.emplace_back("ApiVersion", "2010-04-01");
  params.emplace_back("CallSid", ids.call_sid);
  params.emplace_back("CallStatus", call_status);
  params.emplace_back("Direction", "inbound");
  // Called/Caller are the older names of To/From; Twilio still sends both.
  add_party(params, "Called", parties.to);
  add_party(params, "Caller", parties.from);
  add_party(params, "From", parties.from);
  add_party(params, "To", parties.to);
  return params;
}

}  // namespace

NumberPool NumberPool::parse(std::string_view spec, std::string_view flag) {
  NumberPool pool;
  const auto fail = [&](const std::string& why) {
    return InputError(
        fmt::format("{} '{}': {} (expected numbers like +14155550100, a "
                    "comma-separated list, or a pattern like +1415555####)",
                    flag, spec, why));
  };
  if (trim_spaces(spec).empty()) throw fail("empty");
  std::string_view rest = spec;
  while (true) {
    const auto comma = rest.find(',');
    const std::string_view entry = trim_spaces(rest.substr(0, comma));
    if (entry.empty()) throw fail("an entry is empty");
    if (pool.entries_.size() == kMaxEntries) {
      throw fail(fmt::format("more than {} entries", kMaxEntries));
    }
    Entry parsed;
    parsed.text = std::string(entry);
    int digits = 0;
    for (unsigned char c : entry) {
      if (c < 0x21 || c > 0x7E) throw fail("only printable ASCII characters are allowed");
      if (c == '#') ++digits;
    }
    if (digits > kMaxPatternDigits) {
      throw fail(fmt::format("at most {} '#' in one entry", kMaxPatternDigits));
    }
    for (int i = 0; i < digits; ++i) parsed.count *= 10;
    pool.total_ += parsed.count;  // at most 10^4 * 10^15 < 2^64
    pool.entries_.push_back(std::move(parsed));
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return pool;
}

std::string NumberPool::number_for(uint64_t call_index) const {
  uint64_t i = call_index % total_;
  for (const Entry& entry : entries_) {
    if (i >= entry.count) {
      i -= entry.count;
      continue;
    }
    // Fill the '#' from the last to the first with i's decimal digits, least significant last.
    std::string number = entry.text;
    for (auto it = number.rbegin(); it != number.rend(); ++it) {
      if (*it != '#') continue;
      *it = static_cast<char>('0' + i % 10);
      i /= 10;
    }
    return number;
  }
  return entries_.back().text;  // unreachable: i < total_
}

NumberGeography geography_of(std::string_view number) {
  NumberGeography geo;
  if (number.substr(0, 2) == "+1") geo.country = "US";
  return geo;
}

Parameters voice_webhook_params(const StreamIdentity& ids, const CallParties& parties) {
  Parameters params = call_fields(ids, parties, "ringing");
  sort_by_name(params);
  return params;
}

const char* final_call_status(const TwimlDecision& decision) {
  if (decision.action != TwimlAction::kRejected || decision.ending_verb != EndingVerb::kReject) {
    return "completed";
  }
  return decision.reject_reason == "busy" ? "busy" : "no-answer";
}

Parameters status_callback_params(const StreamIdentity& ids, const CallParties& parties,
                                  const CallCompletion& completion) {
  Parameters params = call_fields(ids, parties, completion.call_status.c_str());
  if (completion.call_status == "completed") {
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(
                             std::max(completion.duration, Nanos::zero()))
                             .count();
    params.emplace_back("CallDuration", std::to_string(seconds));
    params.emplace_back("Duration", std::to_string((seconds + 59) / 60));
  }
  params.emplace_back("Timestamp", format_rfc2822_utc(completion.ended_at));
  params.emplace_back("CallbackSource", "call-progress-events");
  params.emplace_back("SequenceNumber", std::to_string(completion.sequence_number));
  sort_by_name(params);
  return params;
}

const char* to_string(StreamEvent event) {
  switch (event) {
    case StreamEvent::kStarted:
      return "stream-started";
    case StreamEvent::kStopped:
      return "stream-stopped";
    case StreamEvent::kError:
      return "stream-error";
  }
  return "?";
}

Parameters stream_status_params(const StreamIdentity& ids, std::string_view stream_name,
                                StreamEvent event, std::string_view error,
                                std::chrono::system_clock::time_point at) {
  Parameters params = {
      {"AccountSid", ids.account_sid},
      {"CallSid", ids.call_sid},
      {"StreamSid", ids.stream_sid},
      {"StreamName", stream_name.empty() ? ids.stream_sid : std::string(stream_name)},
      {"StreamEvent", to_string(event)},
      {"Timestamp", format_iso8601_utc(at)},
  };
  if (event == StreamEvent::kError) params.emplace_back("StreamError", std::string(error));
  sort_by_name(params);
  return params;
}

std::string format_iso8601_utc(std::chrono::system_clock::time_point at) {
  const time_t seconds = std::chrono::system_clock::to_time_t(at);
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(
                          at - std::chrono::system_clock::from_time_t(seconds))
                          .count();
  struct tm utc {};
  gmtime_r(&seconds, &utc);
  return fmt::format("{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}.{:03d}Z", utc.tm_year + 1900,
                     utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, millis);
}

std::string format_rfc2822_utc(std::chrono::system_clock::time_point at) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const time_t seconds = std::chrono::system_clock::to_time_t(at);
  struct tm utc {};
  gmtime_r(&seconds, &utc);
  return fmt::format("{}, {:02d} {} {:04d} {:02d}:{:02d}:{:02d} +0000", kDays[utc.tm_wday],
                     utc.tm_mday, kMonths[utc.tm_mon], utc.tm_year + 1900, utc.tm_hour, utc.tm_min,
                     utc.tm_sec);
}

std::string percent_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size() * 3);
  for (unsigned char c : text) {
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    }
  }
  return out;
}

std::string form_encode(const Parameters& params) {
  std::string body;
  for (const auto& [name, value] : params) {
    if (!body.empty()) body.push_back('&');
    body.append(percent_encode(name)).push_back('=');
    body.append(percent_encode(value));
  }
  return body;
}

WebhookRequest build_webhook_request(HttpMethod method, std::string_view url,
                                     const Parameters& params, std::string_view auth_token,
                                     std::string_view idempotency_token) {
  WebhookRequest request;
  request.method = method;
  request.url = std::string(url);
  if (method == HttpMethod::kGet) {
    if (!params.empty()) {
      request.url += request.url.find('?') == std::string::npos ? '?' : '&';
      request.url += form_encode(params);
    }
  } else {
    request.body = form_encode(params);
    request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  }
  request.headers.emplace_back("User-Agent", "TwilioProxy/1.1");
  request.headers.emplace_back("I-Twilio-Idempotency-Token", std::string(idempotency_token));
  if (!auth_token.empty()) {
    request.headers.emplace_back("X-Twilio-Signature",
                                 method == HttpMethod::kGet
                                     ? twilio_signature(auth_token, request.url)
                                     : twilio_signature(auth_token, url, params));
  }
  return request;
}

std::string idempotency_token(std::string_view call_sid, uint64_t request_number) {
  return fmt::format("{}-{}", call_sid, request_number);
}

}  // namespace callsim
