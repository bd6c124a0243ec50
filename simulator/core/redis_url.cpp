#include "redis_url.h"

#include <charconv>

#include <fmt/format.h>

#include "duration.h"

namespace callsim {

namespace {

int parse_int(std::string_view text, int lo, int hi, std::string_view what, std::string_view url) {
  int value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size() || value < lo ||
      value > hi) {
    throw InputError(fmt::format("invalid {} '{}' in Redis URL '{}'", what, text, url));
  }
  return value;
}

}  // namespace

std::string RedisUrl::display() const {
  std::string auth;
  if (!username.empty() || !password.empty()) {
    auth = username + (password.empty() ? "" : ":***") + "@";
  }
  if (is_unix) return fmt::format("unix://{}{}", socket_path, db ? fmt::format("?db={}", db) : "");
  return fmt::format("redis://{}{}:{}/{}", auth, host, port, db);
}

RedisUrl parse_redis_url(std::string_view url) {
  RedisUrl out;
  constexpr std::string_view kUnix = "unix://";
  constexpr std::string_view kRedis = "redis://";
  if (url.substr(0, kUnix.size()) == kUnix) {
    out.is_unix = true;
    std::string_view rest = url.substr(kUnix.size());
    auto q = rest.find('?');
    out.socket_path = std::string(rest.substr(0, q));
    if (out.socket_path.empty() || out.socket_path[0] != '/') {
      throw InputError(
          fmt::format("Redis URL '{}' needs an absolute socket path (unix:///path)", url));
    }
    if (q != std::string_view::npos) {
      std::string_view query = rest.substr(q + 1);
      while (!query.empty()) {
        auto amp = query.find('&');
        std::string_view pair = query.substr(0, amp);
        auto eq = pair.find('=');
        std::string_view key = pair.substr(0, eq);
        std::string_view value = eq == std::string_view::npos ? "" : pair.substr(eq + 1);
        if (key == "db")
          out.db = parse_int(value, 0, 1'000'000, "database", url);
        else if (key == "password")
          out.password = std::string(value);
        else
          throw InputError(fmt::format("unknown parameter '{}' in Redis URL '{}'", key, url));
        query = amp == std::string_view::npos ? "" : query.substr(amp + 1);
      }
    }
    return out;
  }
  if (url.substr(0, kRedis.size()) != kRedis) {
    throw InputError(fmt::format(
        "unsupported Redis URL '{}' (expected redis://host:port/db or unix:///path.sock)", url));
  }
  std::string_view rest = url.substr(kRedis.size());
  auto slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  if (slash != std::string_view::npos) {
    std::string_view db = rest.substr(slash + 1);
    if (!db.empty()) out.db = parse_int(db, 0, 1'000'000, "database", url);
  }
  auto at = authority.rfind('@');
  if (at != std::string_view::npos) {
    std::string_view credentials = authority.substr(0, at);
    authority = authority.substr(at + 1);
    auto colon = credentials.find(':');
    if (colon == std::string_view::npos) {
      out.password = std::string(credentials);
    } else {
      out.username = std::string(credentials.substr(0, colon));
      out.password = std::string(credentials.substr(colon + 1));
    }
  }
  std::string_view host = authority;
  if (!authority.empty() && authority.front() == '[') {
    auto close = authority.find(']');
    if (close == std::string_view::npos)
      throw InputError(fmt::format("bad IPv6 host in '{}'", url));
    host = authority.substr(1, close - 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') throw InputError(fmt::format("bad host in Redis URL '{}'", url));
      out.port = parse_int(after.substr(1), 1, 65535, "port", url);
    }
  } else {
    auto colon = authority.rfind(':');
    if (colon != std::string_view::npos) {
      host = authority.substr(0, colon);
      out.port = parse_int(authority.substr(colon + 1), 1, 65535, "port", url);
    }
  }
  if (host.empty()) throw InputError(fmt::format("Redis URL '{}' has no host", url));
  out.host = std::string(host);
  return out;
}

}  // namespace callsim
