// The server's answer to the upgrade (net/upgrade_response.h), fed as websocketpp feeds it: in
// reads of any size. The first byte picks the read size, so the fuzzer explores split points.
#include <algorithm>
#include <cstdint>
#include <string>

#include "core/status_line.h"
#include "fuzz_input.h"
#include "net/upgrade_response.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const size_t read_size = 1 + data[0] % 64;
  std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  callsim::UpgradeResponse response;
  bool failed = false;
  size_t offset = 0;
  try {
    while (offset < input.size() && !response.ready()) {
      size_t n = std::min(read_size, input.size() - offset);
      offset += response.consume(input.data() + offset, n);
    }
  } catch (const websocketpp::http::exception&) {
    failed = true;
  }
  // A failure always says why, quoting what came back; a parse that went on never claims one.
  FUZZ_CHECK(failed == !response.parse_error().empty(), input);
  FUZZ_CHECK(response.first_bytes().size() <= 64, input);
  // Bytes that cannot start a status line never get past the parser.
  if (!callsim::can_start_status_line(input.substr(0, std::min(offset, input.size())))) {
    FUZZ_CHECK(failed, input);
  }
  if (response.ready()) (void)response.get_status_code();
  return 0;
}
