#include "net/upgrade_response.h"

#include <algorithm>

#include <fmt/format.h>

#include "core/status_line.h"

namespace callsim {

namespace {
constexpr size_t kKeptBytes = 64;
static_assert(kKeptBytes >= kStatusLineStart);
}  // namespace

size_t UpgradeResponse::consume(char const* buf, size_t len) {
  const bool already_judged = bytes_received_ >= kStatusLineStart;
  bytes_received_ += len;
  if (first_bytes_.size() < kKeptBytes) {
    first_bytes_.append(buf, std::min(len, kKeptBytes - first_bytes_.size()));
  }
  if (!already_judged && !can_start_status_line(first_bytes_)) {
    parse_error_ = fmt::format("the answer to the upgrade is not an HTTP response: {}",
                               quote_bytes(first_bytes_));
    throw websocketpp::http::exception(parse_error_, websocketpp::http::status_code::bad_request);
  }
  try {
    return response::consume(buf, len);
  } catch (const websocketpp::http::exception& e) {
    parse_error_ = fmt::format("the answer to the upgrade is not valid HTTP ({}): {}", e.what(),
                               quote_bytes(first_bytes_));
    throw;
  }
}

}  // namespace callsim
