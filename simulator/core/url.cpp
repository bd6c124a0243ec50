#include "core/url.h"

#include <algorithm>

#include <fmt/format.h>

namespace callsim {
namespace {

char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool is_scheme_char(char c, bool first) {
  const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  if (first) return alpha;
  return alpha || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
}

// Drops the last segment of `output` and the "/" before it (RFC 3986 §5.2.4 step 2C).
void drop_last_segment(std::string& output) {
  const auto slash = output.rfind('/');
  output.erase(slash == std::string::npos ? 0 : slash);
}

// §5.2.3: the base path without its last segment, followed by the reference path.
std::string merge_paths(const UriReference& base, const std::string& reference_path) {
  if (base.authority && base.path.empty()) return "/" + reference_path;
  const auto slash = base.path.rfind('/');
  if (slash == std::string::npos) return reference_path;
  return base.path.substr(0, slash + 1) + reference_path;
}

}  // namespace

UriReference split_uri_reference(std::string_view text) {
  UriReference out;
  // ^(([^:/?#]+):)?
  const auto scheme_end = text.find_first_of(":/?#");
  if (scheme_end != std::string_view::npos && scheme_end > 0 && text[scheme_end] == ':') {
    out.scheme = std::string(text.substr(0, scheme_end));
    text.remove_prefix(scheme_end + 1);
  }
  // (//([^/?#]*))?
  if (text.size() >= 2 && text[0] == '/' && text[1] == '/') {
    text.remove_prefix(2);
    const auto authority_end = std::min(text.find_first_of("/?#"), text.size());
    out.authority = std::string(text.substr(0, authority_end));
    text.remove_prefix(authority_end);
  }
  // ([^?#]*)(\?([^#]*))?(#(.*))?
  const auto path_end = std::min(text.find_first_of("?#"), text.size());
  out.path = std::string(text.substr(0, path_end));
  text.remove_prefix(path_end);
  if (!text.empty() && text[0] == '?') {
    const auto query_end = std::min(text.find('#'), text.size());
    out.query = std::string(text.substr(1, query_end - 1));
    text.remove_prefix(query_end);
  }
  if (!text.empty() && text[0] == '#') out.fragment = std::string(text.substr(1));
  return out;
}

std::string UriReference::to_string() const {
  std::string out;
  if (scheme) out.append(*scheme).push_back(':');
  if (authority) out.append("//").append(*authority);
  out.append(path);
  if (query) out.append("?").append(*query);
  if (fragment) out.append("#").append(*fragment);
  return out;
}

std::string remove_dot_segments(std::string_view input) {
  std::string output;
  output.reserve(input.size());
  auto starts_with = [&input](std::string_view prefix) {
    return input.substr(0, prefix.size()) == prefix;
  };
  while (!input.empty()) {
    if (starts_with("../")) {
      input.remove_prefix(3);
    } else if (starts_with("./")) {
      input.remove_prefix(2);
    } else if (starts_with("/./")) {
      input.remove_prefix(2);  // leaves "/"
    } else if (input == "/.") {
      input = "/";
    } else if (starts_with("/../")) {
      input.remove_prefix(3);  // leaves "/"
      drop_last_segment(output);
    } else if (input == "/..") {
      input = "/";
      drop_last_segment(output);
    } else if (input == "." || input == "..") {
      input = {};
    } else {
      // Move the first segment, with its leading "/" if any, up to the next "/".
      const auto next = std::min(input.find('/', 1), input.size());
      output.append(input.substr(0, next));
      input.remove_prefix(next);
    }
  }
  return output;
}

std::optional<std::string> resolve_uri_reference(std::string_view base_text,
                                                 std::string_view reference) {
  const UriReference base = split_uri_reference(base_text);
  if (!base.scheme) return std::nullopt;
  const UriReference r = split_uri_reference(reference);
  UriReference t;
  if (r.scheme) {
    t.scheme = r.scheme;
    t.authority = r.authority;
    t.path = remove_dot_segments(r.path);
    t.query = r.query;
  } else {
    if (r.authority) {
      t.authority = r.authority;
      t.path = remove_dot_segments(r.path);
      t.query = r.query;
    } else {
      if (r.path.empty()) {
        t.path = base.path;
        t.query = r.query ? r.query : base.query;
      } else {
        t.path = remove_dot_segments(r.path[0] == '/' ? r.path : merge_paths(base, r.path));
        t.query = r.query;
      }
      t.authority = base.authority;
    }
    t.scheme = base.scheme;
  }
  t.fragment = r.fragment;
  return t.to_string();
}

std::string url_scheme(std::string_view url) {
  const UriReference parts = split_uri_reference(url);
  if (!parts.scheme) return "";
  std::string scheme = *parts.scheme;
  for (char& c : scheme) c = ascii_lower(c);
  return scheme;
}

std::string url_problem(std::string_view url, std::initializer_list<std::string_view> schemes) {
  for (unsigned char c : url) {
    if (c <= 0x20 || c == 0x7F) return "it contains whitespace or control characters";
  }
  const UriReference parts = split_uri_reference(url);
  if (!parts.scheme) return "it is not an absolute URL";
  for (size_t i = 0; i < parts.scheme->size(); ++i) {
    if (!is_scheme_char((*parts.scheme)[i], i == 0)) return "its scheme is malformed";
  }
  const std::string scheme = url_scheme(url);
  bool allowed = false;
  std::string allowed_list;
  for (std::string_view candidate : schemes) {
    if (candidate == scheme) allowed = true;
    if (!allowed_list.empty()) allowed_list.append(", ");
    allowed_list.append(candidate);
  }
  if (!allowed) return fmt::format("scheme '{}' is not one of {}", scheme, allowed_list);
  if (!parts.authority) return "it names no host";
  // Userinfo and port are not a host; "http://user@:80/" has none.
  std::string_view host(*parts.authority);
  if (const auto at = host.rfind('@'); at != std::string_view::npos) host.remove_prefix(at + 1);
  if (!host.empty() && host[0] != '[') host = host.substr(0, host.find(':'));
  if (host.empty()) return "it names no host";
  return "";
}

std::string with_lower_case_scheme(std::string_view url) {
  std::string out(url);
  const auto scheme_end = out.find_first_of(":/?#");
  if (scheme_end == std::string::npos || out[scheme_end] != ':') return out;
  for (size_t i = 0; i < scheme_end; ++i) out[i] = ascii_lower(out[i]);
  return out;
}

std::string without_query(std::string_view url) {
  return std::string(url.substr(0, url.find_first_of("?#")));
}

}  // namespace callsim
