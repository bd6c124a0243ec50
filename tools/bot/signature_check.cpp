#include "bot/signature_check.h"

#include <openssl/crypto.h>

#include <optional>

#include "core/twilio_signature.h"

namespace callsim::bot {

namespace {

std::optional<std::string_view> default_port(std::string_view scheme) {
  if (scheme == "http" || scheme == "ws") return "80";
  if (scheme == "https" || scheme == "wss") return "443";
  return std::nullopt;
}

}  // namespace

std::string signed_url(std::string_view scheme, std::string_view host, std::string_view target) {
  std::string url;
  url.reserve(scheme.size() + 3 + host.size() + target.size());
  url.append(scheme).append("://").append(host).append(target);
  return url;
}

std::vector<std::string> signature_url_variants(std::string_view url) {
  std::vector<std::string> variants{std::string(url)};
  auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return variants;
  auto port = default_port(url.substr(0, scheme_end));
  if (!port) return variants;
  size_t authority_begin = scheme_end + 3;
  size_t authority_end = url.find_first_of("/?#", authority_begin);
  if (authority_end == std::string_view::npos) authority_end = url.size();
  std::string_view authority = url.substr(authority_begin, authority_end - authority_begin);
  if (authority.empty()) return variants;

  // The port follows the last ':' unless that colon is inside an IPv6 literal ("[::1]").
  auto colon = authority.rfind(':');
  auto bracket = authority.rfind(']');
  bool has_port =
      colon != std::string_view::npos && (bracket == std::string_view::npos || colon > bracket);
  std::string variant(url.substr(0, authority_begin));
  if (!has_port) {
    variant.append(authority).append(":").append(*port);
  } else if (authority.substr(colon + 1) == *port) {
    variant.append(authority.substr(0, colon));
  } else {
    return variants;
  }
  variant.append(url.substr(authority_end));
  variants.push_back(std::move(variant));
  return variants;
}

bool signature_matches(std::string_view auth_token, std::string_view signature,
                       std::string_view url, const Parameters& params) {
  bool matched = false;
  for (const auto& variant : signature_url_variants(url)) {
    std::string expected = twilio_signature(auth_token, variant, params);
    // Every variant is compared, so the time taken does not tell which one matched.
    if (expected.size() == signature.size() &&
        CRYPTO_memcmp(expected.data(), signature.data(), expected.size()) == 0) {
      matched = true;
    }
  }
  return matched;
}

}  // namespace callsim::bot
