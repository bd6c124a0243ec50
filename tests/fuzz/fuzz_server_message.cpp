// Text frames from the voice-bot server: parse_server_message must classify any bytes, and a
// valid result's views must stay inside the parsed text.
#include <cstdint>
#include <string>

#include "core/twilio_messages.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  const std::string input = text;
  callsim::ParseResult r =
      callsim::parse_server_message(text, "MZ00000000000000000000000000000000");
  if (r.ok && r.message.event == callsim::ServerEvent::kMedia) {
    const char* begin = text.data();
    const char* p = r.message.payload_base64.data();
    FUZZ_CHECK(p >= begin && p + r.message.payload_base64.size() <= begin + text.size(), input);
  }
  if (!r.ok) FUZZ_CHECK(r.invalid < callsim::InvalidMessage::kCount, input);
  return 0;
}
