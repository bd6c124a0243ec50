// URLs from flags and from TwiML: RFC 3986 splitting, resolution and checks (core/url.h), the
// --redis forms (core/redis_url.h) and the --gauge forms (gauge/gauge_spec.h). The first line is
// a base, the rest a reference; each parser also gets the whole input.
#include <cstdint>
#include <string>

#include "core/errors.h"
#include "core/redis_url.h"
#include "core/url.h"
#include "fuzz_input.h"
#include "gauge/gauge_spec.h"

namespace {

void check_split(std::string_view text, std::string_view input) {
  // Appendix B splits any string, and recomposition gives it back.
  FUZZ_CHECK(callsim::split_uri_reference(text).to_string() == text, input);
}

void check_redis_url(std::string_view text) {
  try {
    callsim::RedisUrl url = callsim::parse_redis_url(text);
    (void)url.display();
  } catch (const callsim::InputError&) {
  }
}

void check_gauge_spec(std::string_view text, std::string_view input) {
  callsim::GaugeSpec spec;
  try {
    spec = callsim::parse_gauge_spec(text);
  } catch (const callsim::InputError&) {
    return;
  }
  // display() is documented to round-trip through parse.
  callsim::GaugeSpec again = callsim::parse_gauge_spec(spec.display());
  FUZZ_CHECK(again.kind == spec.kind && again.key == spec.key && again.http_url == spec.http_url &&
                 again.json_pointer == spec.json_pointer,
             input);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto [base, reference] = callsim::fuzz::split_first_line(data, size);
  check_split(input, input);
  check_split(reference, input);
  (void)callsim::remove_dot_segments(input);
  auto resolved = callsim::resolve_uri_reference(base, reference);
  if (resolved) FUZZ_CHECK(!callsim::url_scheme(*resolved).empty(), input);
  (void)callsim::without_query(input);
  (void)callsim::url_problem(input, {"http", "https"});
  (void)callsim::url_problem(input, {"ws", "wss"});
  check_redis_url(input);
  check_gauge_spec(input, input);
  return 0;
}
