#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/http_method.h"
#include "core/twilio_messages.h"

namespace callsim {

// What Twilio would do with a voice webhook's TwiML, as far as a Media Streams call goes.
enum class TwimlAction {
  kStream,         // <Connect><Stream>: open the WebSocket
  kRejected,       // the call ends without a stream: <Reject>, <Hangup>, or the verbs ran out
  kRedirect,       // <Redirect>: fetch TwiML from another URL (the caller bounds the hops)
  kProtocolError,  // not TwiML callsim can follow; `error` says why in one line
};
const char* to_string(TwimlAction action);

// The verb that ended a rejected call. kSay/kPlay/kPause: the document ended after that verb
// with no <Connect>, and Twilio hangs up when the verbs run out. kNone: an empty <Response/>.
enum class EndingVerb { kReject, kHangup, kSay, kPlay, kPause, kNone };
const char* to_string(EndingVerb verb);

struct StreamInstruction {
  std::string url;              // absolute ws:// or wss:// URL, resolved (see parse_twiml)
  Parameters parameters;        // <Parameter name value>, in document order
  std::string name;             // <Stream name>, "" when absent
  std::string status_callback;  // <Stream statusCallback>, resolved; "" when absent
  HttpMethod status_callback_method = HttpMethod::kPost;
  std::string connect_action;  // <Connect action>, resolved; "" when absent
  HttpMethod connect_method = HttpMethod::kPost;
};

struct TwimlDecision {
  TwimlAction action = TwimlAction::kProtocolError;
  StreamInstruction stream;                    // kStream
  EndingVerb ending_verb = EndingVerb::kNone;  // kRejected
  std::string reject_reason;  // kRejected by <Reject>: its reason, "rejected" when absent
  // The text of every <Say> executed before the decision, in order, whitespace collapsed and
  // joined by single spaces (a "we are busy" message, or a greeting before <Connect>).
  std::string say_text;
  std::string redirect_url;                        // kRedirect: absolute http(s) URL, resolved
  HttpMethod redirect_method = HttpMethod::kPost;  // kRedirect
  std::string error;                               // kProtocolError
};

// Bounds that keep a hostile webhook from costing more than a small, fixed amount of time and
// memory. Twilio itself refuses TwiML over 64 kB (error 11750).
struct TwimlLimits {
  size_t max_bytes = 64 * 1024;
  int max_depth = 32;           // element nesting, <Response> being 1
  size_t max_elements = 10000;  // in the whole document
  size_t max_say_text = 4096;   // bytes kept of say_text; the rest is cut
};

// Parses a webhook's response body and decides as Twilio's TwiML interpreter would, verb by verb
// from the top of <Response>: <Say>, <Play> and <Pause> run and the interpreter moves on;
// <Connect> holding a <Stream> → kStream (verbs after it run only once the stream ends, so they
// are ignored); <Reject> and <Hangup> → kRejected; <Redirect> → kRedirect; reaching the end →
// kRejected with the last verb run. Any other verb (<Dial>, <Gather>, <Start>, ...), a
// <Connect> without <Stream>, a root other than <Response>, a DOCTYPE (no entity tricks), XML
// that is not well-formed, or a document beyond `limits` → kProtocolError, as is a missing or
// unusable URL. URLs may be relative and resolve against `document_url` (RFC 3986 §5, see
// core/url.h); a relative <Stream url> gets the WebSocket scheme matching the document's
// (http → ws, https → wss). The stream URL must end up ws or wss; action, callback and redirect
// URLs http or https. A method attribute other than GET or POST → kProtocolError.
TwimlDecision parse_twiml(std::string_view body, std::string_view document_url,
                          const TwimlLimits& limits = {});

}  // namespace callsim
