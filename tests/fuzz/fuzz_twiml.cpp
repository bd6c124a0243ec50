// A voice webhook's response body, decided as Twilio's TwiML interpreter would. The first line
// is the document's URL (relative URLs resolve against it), the rest the body.
#include <cstdint>
#include <string>

#include "core/twiml.h"
#include "core/url.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto [document_url, body] = callsim::fuzz::split_first_line(data, size);
  std::string_view input(reinterpret_cast<const char*>(data), size);
  callsim::TwimlLimits limits;
  limits.max_depth = 8;  // small limits so the fuzzer reaches them
  limits.max_elements = 64;
  limits.max_say_text = 64;
  for (const auto& l : {callsim::TwimlLimits{}, limits}) {
    callsim::TwimlDecision d = callsim::parse_twiml(body, document_url, l);
    FUZZ_CHECK(d.say_text.size() <= l.max_say_text, input);
    if (d.action == callsim::TwimlAction::kStream) {
      std::string scheme = callsim::url_scheme(d.stream.url);
      FUZZ_CHECK(scheme == "ws" || scheme == "wss", input);
    }
    if (d.action == callsim::TwimlAction::kRedirect) {
      std::string scheme = callsim::url_scheme(d.redirect_url);
      FUZZ_CHECK(scheme == "http" || scheme == "https", input);
    }
    if (d.action == callsim::TwimlAction::kProtocolError) FUZZ_CHECK(!d.error.empty(), input);
  }
  return 0;
}
