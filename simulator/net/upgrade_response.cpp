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
    const size_t before = bytes_received_ - len;
    if (bytes_received_ < kStatusLineStart) {
      held_.append(buf, len);
      return len;
    }
    if (before >= kStatusLineStart) return response::consume(buf, len);
    // This read completes "HTTP/d.d ddd ": judge the code, then parse what was held with it.
    std::string head = std::move(held_);
    held_.clear();
    head.append(buf, len);
    constexpr size_t kCodeAt = 9;  // "HTTP/1.1 " is 9 bytes
    status_number_ = std::stoi(head.substr(kCodeAt, 3));
    if (status_number_ > 511) head.replace(kCodeAt, 3, "500");
    const size_t consumed = response::consume(head.data(), head.size());
    // A response is never complete within the held bytes (fewer than kStatusLineStart), so
    // what websocketpp consumed covers them all; the rest of this read is the caller's.
    return consumed - before;
  } catch (const websocketpp::http::exception& e) {
    parse_error_ = fmt::format("the answer to the upgrade is not valid HTTP ({}): {}", e.what(),
                               quote_bytes(first_bytes_));
    throw;
  }
}

}  // namespace callsim
