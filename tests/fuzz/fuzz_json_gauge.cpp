// The HTTP gauge's body: the first line is the JSON pointer, the rest the document.
#include <cstdint>
#include <string>

#include "fuzz_input.h"
#include "gauge/gauge_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto [pointer, body] = callsim::fuzz::split_first_line(data, size);
  std::string_view input(reinterpret_cast<const char*>(data), size);
  callsim::GaugeReading r = callsim::parse_json_gauge(std::string(body), std::string(pointer));
  FUZZ_CHECK(r.value.has_value() != !r.error.empty(), input);
  return 0;
}
