#pragma once

#include <optional>
#include <string_view>

namespace callsim {

// How Twilio asks a webhook URL: POST unless the TwiML's method attribute says GET.
enum class HttpMethod { kPost, kGet };
const char* to_string(HttpMethod method);

// A TwiML method attribute: "" (absent) is POST; GET and POST in any letter case; anything else
// nullopt.
std::optional<HttpMethod> parse_http_method(std::string_view text);

}  // namespace callsim
