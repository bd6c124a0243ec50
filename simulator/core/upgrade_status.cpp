#include "core/upgrade_status.h"

#include <algorithm>

#include <fmt/format.h>

namespace callsim {

namespace {

const char* reason_phrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 307:
      return "Temporary Redirect";
    case 308:
      return "Permanent Redirect";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 426:
      return "Upgrade Required";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "";
  }
}

}  // namespace

bool is_capacity_status(const std::vector<int>& reject_statuses, int status) {
  return std::find(reject_statuses.begin(), reject_statuses.end(), status) != reject_statuses.end();
}

std::string describe_upgrade_status(int status) {
  const char* phrase = reason_phrase(status);
  // Twilio reports a failed Media Streams upgrade as 31920 "WebSocket - Handshake Error".
  return fmt::format("upgrade answered HTTP {}{}{} (Twilio: 31920)", status, *phrase ? " " : "",
                     phrase);
}

}  // namespace callsim
