#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/twilio_messages.h"

namespace callsim::bot {

// The URL a request reached, the way Twilio signed it: scheme + "://" + Host header + request
// target (path and query as sent).
std::string signed_url(std::string_view scheme, std::string_view host, std::string_view target);

// The URLs Twilio's own validators try for `url`, because Twilio signs inconsistently with and
// without the default port: `url` as it is, plus the same URL with the scheme's default port
// (:80 for http/ws, :443 for https/wss) added when the authority has no port, or removed when it
// has exactly that one. A non-default port or an unknown scheme gives just `url`.
std::vector<std::string> signature_url_variants(std::string_view url);

// True when `signature` (the X-Twilio-Signature value) is the HMAC Twilio makes with
// `auth_token` over one of the URL's variants and `params` (the form fields of a webhook, none
// for the WebSocket upgrade). Compared in constant time.
bool signature_matches(std::string_view auth_token, std::string_view signature,
                       std::string_view url, const Parameters& params = {});

// The check for one request on a websocketpp connection: true without a token; else whether its
// X-Twilio-Signature header (any case) signs scheme://Host + request target and `params`.
template <typename Connection>
bool request_signed(std::string_view auth_token, const Connection& con, std::string_view scheme,
                    const Parameters& params = {}) {
  if (auth_token.empty()) return true;
  return signature_matches(
      auth_token, con->get_request_header("X-Twilio-Signature"),
      signed_url(scheme, con->get_request_header("Host"), con->get_request().get_uri()), params);
}

}  // namespace callsim::bot
