// One line of Redis MONITOR output.
#include <cstdint>
#include <string_view>

#include "fuzz_input.h"
#include "gauge/monitor_line.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view line(reinterpret_cast<const char*>(data), size);
  auto parsed = callsim::parse_monitor_line(line);
  if (parsed) {
    FUZZ_CHECK(!parsed->args.empty(), line);
    size_t arg_bytes = 0;
    for (const auto& a : parsed->args) arg_bytes += a.size();
    FUZZ_CHECK(arg_bytes <= line.size(), line);  // decoding only ever shrinks
  }
  return 0;
}
