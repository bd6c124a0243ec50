#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace callsim {

// The five components of a URI reference (RFC 3986 §3), split as the regular expression of
// Appendix B does: any string splits, nothing is decoded or normalised. An absent component
// differs from an empty one ("http://a/b?" has an empty query, "http://a/b" none), which
// recomposition preserves.
struct UriReference {
  std::optional<std::string> scheme;
  std::optional<std::string> authority;
  std::string path;
  std::optional<std::string> query;
  std::optional<std::string> fragment;

  // Recomposition, RFC 3986 §5.3.
  std::string to_string() const;
};

UriReference split_uri_reference(std::string_view text);

// RFC 3986 §5.2.4.
std::string remove_dot_segments(std::string_view path);

// Resolves `reference` against `base` as RFC 3986 §5.2.2 says (strict parser: a reference with
// a scheme is taken as it is). nullopt when `base` has no scheme, i.e. is not absolute.
std::optional<std::string> resolve_uri_reference(std::string_view base, std::string_view reference);

// Lower-case scheme of an absolute URL ("" when there is none): schemes are case-insensitive.
std::string url_scheme(std::string_view url);

// The URL with its scheme in lower case, the rest untouched: schemes are case-insensitive
// (RFC 3986 §3.1) but websocketpp and the checks on URLs compare them exactly.
std::string with_lower_case_scheme(std::string_view url);

// The URL without its query string (and fragment): what Twilio connects to (fact sheet §2.1).
std::string without_query(std::string_view url);

// Why `url` cannot be requested: "" when it is absolute, its scheme is one of `schemes`
// (compared case-insensitively), it names a host, and it holds no whitespace or control
// characters; otherwise a short phrase such as "scheme 'ftp' is not one of http, https".
std::string url_problem(std::string_view url, std::initializer_list<std::string_view> schemes);

}  // namespace callsim
