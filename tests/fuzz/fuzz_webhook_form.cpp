// What callsim-bot reads from callsim's webhooks and streams: form-encoded bodies
// (tools/bot/form.h) and Twilio's counters and SIDs (tools/bot/conformance.h).
#include <cstdint>
#include <string_view>

#include "bot/conformance.h"
#include "bot/form.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto form = callsim::bot::FormData::parse(input);
  if (form) {
    FUZZ_CHECK(form->fields().size() <= callsim::bot::FormData::kMaxFields, input);
    for (const auto& [name, value] : form->fields()) (void)form->get(name);
  }
  (void)callsim::bot::parse_twilio_counter(input);
  (void)callsim::bot::is_twilio_sid(input, "CA");
  return 0;
}
