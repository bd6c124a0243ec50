#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/duration.h"
#include "core/http_method.h"
#include "core/twilio_messages.h"
#include "core/twiml.h"

namespace callsim {

// The numbers calls come from (--from) or go to (--to): a comma-separated list of entries, each
// a number such as +14155550100 (or any identifier Twilio puts in From/To, e.g. client:alice),
// where every '#' is a decimal digit filled from the call index. "+1415555####" is 10000
// numbers; "+14155550100,+14155550101" two. Call i gets number i modulo the pool size, entries in
// order and each pattern counted up from all zeros, so calls spread over distinct numbers until
// the pool wraps and the same run always maps a call to the same number.
class NumberPool {
 public:
  // Throws InputError naming `flag` when the spec is empty, has an empty entry, a character that
  // is not printable ASCII, or more than 15 '#' in one entry.
  static NumberPool parse(std::string_view spec, std::string_view flag);

  std::string number_for(uint64_t call_index) const;
  uint64_t size() const { return total_; }  // distinct numbers in the pool

 private:
  struct Entry {
    std::string text;
    uint64_t count = 1;  // 10^(number of '#')
  };
  std::vector<Entry> entries_;
  uint64_t total_ = 0;
};

struct CallParties {
  std::string from;  // the caller: From and Caller
  std::string to;    // the number dialled: To and Called
};

// What Twilio's number lookup reports for a number (FromCity, ToState, ...). Twilio always
// sends the fields and leaves unknown ones empty; callsim knows no cities, so only the country
// is filled, and only for the North American +1 numbers ("US").
struct NumberGeography {
  std::string city;
  std::string state;
  std::string zip;
  std::string country;
};
NumberGeography geography_of(std::string_view number);

// The form fields Twilio POSTs to a number's voice URL when a call comes in: AccountSid,
// ApiVersion (2010-04-01), CallSid, CallStatus (ringing), Called, CalledCity/Country/State/Zip,
// Caller, CallerCity/..., Direction (inbound), From, FromCity/..., To, ToCity/..., sorted by name
// (Twilio's own order varies between requests; a fixed one makes bodies comparable). Fields
// Twilio adds only in particular cases (ForwardedFrom, CallerName, ParentCallSid, CallToken,
// StirVerstat) are left out; a caller may append them.
Parameters voice_webhook_params(const StreamIdentity& ids, const CallParties& parties);

// The CallStatus a call the TwiML decided ends with. <Reject> never answers the call: Twilio's
// <Reject> docs say it "ends with a status of busy or no-answer, depending on the verb's reason
// attribute" (reason="busy" -> busy, the default "rejected" -> no-answer). Every other decision
// answered it (<Hangup>, the verbs running out after a <Say>, a stream): completed.
const char* final_call_status(const TwimlDecision& decision);

// How a call ended, for its status callback.
struct CallCompletion {
  std::string call_status = "completed";           // see final_call_status
  Nanos duration{0};                               // answer to hang-up
  std::chrono::system_clock::time_point ended_at;  // becomes Timestamp
  uint64_t sequence_number = 0;                    // Twilio counts the callbacks of one call from 0
};

// The status callback Twilio POSTs when the call ends: the voice webhook's fields with
// CallStatus from `completion`, plus, for a completed call only, CallDuration (whole seconds,
// rounded down) and Duration (billed minutes, CallDuration / 60 rounded up, as in Twilio's
// captures), then Timestamp (RFC 2822, UTC), CallbackSource=call-progress-events and
// SequenceNumber; sorted by name. A busy or no-answer call was never answered: Twilio's status
// callback docs list CallDuration only for the completed event, and a duration of an unanswered
// call would invite a server to treat it like a call that held a slot.
Parameters status_callback_params(const StreamIdentity& ids, const CallParties& parties,
                                  const CallCompletion& completion);

// What happened to a <Stream statusCallback>'s stream.
enum class StreamEvent { kStarted, kStopped, kError };
const char* to_string(StreamEvent event);  // "stream-started", "stream-stopped", "stream-error"

// The request Twilio POSTs to <Stream statusCallback>: AccountSid, CallSid, StreamSid,
// StreamName (the <Stream name>, else the StreamSid), StreamEvent, StreamError (stream-error
// only: the Twilio error, e.g. "31920 WebSocket - Handshake Error") and Timestamp (ISO 8601 UTC
// with milliseconds); sorted by name.
Parameters stream_status_params(const StreamIdentity& ids, std::string_view stream_name,
                                StreamEvent event, std::string_view error,
                                std::chrono::system_clock::time_point at);

// "2026-11-27T05:07:13.042Z".
std::string format_iso8601_utc(std::chrono::system_clock::time_point at);

// "Sun, 25 Mar 2018 09:53:19 +0000", the form of Twilio's Timestamp field.
std::string format_rfc2822_utc(std::chrono::system_clock::time_point at);

// Every byte but the RFC 3986 unreserved characters (A-Z a-z 0-9 - . _ ~) as %XX with upper-case
// hex, so "+1415" becomes "%2B1415" and a space "%20", as in Twilio's own request bodies.
std::string percent_encode(std::string_view text);

// application/x-www-form-urlencoded: name=value pairs in the given order joined by '&', names
// and values percent-encoded.
std::string form_encode(const Parameters& params);

// One webhook request, ready for an HTTP client.
struct WebhookRequest {
  HttpMethod method = HttpMethod::kPost;
  std::string url;
  Parameters headers;  // name, value
  std::string body;
};

// The request Twilio makes. POST: the parameters as a form-encoded body with its Content-Type,
// signed over `url` exactly as given plus the parameters (core/twilio_signature.h). GET (a TwiML
// method="GET"): the parameters appended to the URL's query, no body, signed over that whole URL
// with no parameters, as Twilio does. Both carry User-Agent TwilioProxy/1.1 and
// I-Twilio-Idempotency-Token (unique per request: Twilio's retries repeat it, callsim never
// retries); no X-Twilio-Signature when `auth_token` is empty.
WebhookRequest build_webhook_request(HttpMethod method, std::string_view url,
                                     const Parameters& params, std::string_view auth_token,
                                     std::string_view idempotency_token);

// A token unique to one request of one call: "<CallSid>-<request_number>".
std::string idempotency_token(std::string_view call_sid, uint64_t request_number);

}  // namespace callsim
