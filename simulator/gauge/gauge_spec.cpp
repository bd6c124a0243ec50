#include "gauge_spec.h"

#include <array>
#include <utility>

#include <fmt/format.h>

#include "core/errors.h"
#include "core/redis_url.h"
#include "core/url.h"

namespace callsim {

namespace {

constexpr std::array<std::pair<std::string_view, GaugeKind>, 4> kRedisPrefixes = {{
    {"get:", GaugeKind::kRedisGet},
    {"scard:", GaugeKind::kRedisScard},
    {"hlen:", GaugeKind::kRedisHlen},
    {"zcard:", GaugeKind::kRedisZcard},
}};

// Reads a user might reasonably expect to work; rejecting them beats silently treating
// "llen:queue" as the name of a counter.
constexpr std::array<std::string_view, 5> kUnsupportedPrefixes = {
    "llen:", "xlen:", "strlen:", "pfcount:", "zcount:"};

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

GaugeSpec parse_http(std::string_view text) {
  GaugeSpec spec;
  spec.kind = GaugeKind::kHttpJson;
  spec.key.clear();
  auto hash = text.find('#');
  if (hash == std::string_view::npos) {
    throw InputError(fmt::format(
        "--gauge '{}' needs a JSON pointer after '#', e.g. {}#/active_calls", text, text));
  }
  spec.http_url = std::string(text.substr(0, hash));
  spec.json_pointer = std::string(text.substr(hash + 1));
  auto scheme_end = spec.http_url.find("://");
  if (spec.http_url.size() <= scheme_end + 3 || spec.http_url[scheme_end + 3] == '/') {
    throw InputError(fmt::format("--gauge '{}' has no host", text));
  }
  if (spec.json_pointer.empty() || spec.json_pointer[0] != '/') {
    throw InputError(fmt::format(
        "--gauge '{}': the JSON pointer after '#' must start with '/', e.g. #/active_calls", text));
  }
  for (char c : text) {
    if (static_cast<unsigned char>(c) <= ' ') {
      throw InputError(
          fmt::format("--gauge '{}' must not contain spaces or control characters", text));
    }
  }
  return spec;
}

}  // namespace

std::string GaugeSpec::display() const {
  switch (kind) {
    case GaugeKind::kNone:
      return "none";
    case GaugeKind::kRedisGet:
      return "get:" + key;
    case GaugeKind::kRedisScard:
      return "scard:" + key;
    case GaugeKind::kRedisHlen:
      return "hlen:" + key;
    case GaugeKind::kRedisZcard:
      return "zcard:" + key;
    case GaugeKind::kHttpJson:
      return http_url + "#" + json_pointer;
  }
  return "unknown";
}

GaugeSpec parse_gauge_spec(std::string_view text) {
  if (text.empty()) throw InputError("--gauge is empty (expected e.g. calls:active_count or none)");
  if (text == "none") {
    GaugeSpec spec;
    spec.kind = GaugeKind::kNone;
    spec.key.clear();
    return spec;
  }
  if (const std::string scheme = url_scheme(text);
      (scheme == "http" || scheme == "https") && text.find("://") != std::string_view::npos) {
    return parse_http(with_lower_case_scheme(text));
  }
  for (auto prefix : kUnsupportedPrefixes) {
    if (starts_with(text, prefix)) {
      throw InputError(fmt::format(
          "--gauge '{}': '{}' is not supported (use get:, scard:, hlen:, zcard: or an http:// "
          "JSON source; get:{} reads a key with that literal name)",
          text, prefix.substr(0, prefix.size() - 1), text));
    }
  }
  GaugeSpec spec;
  spec.key = std::string(text);
  for (const auto& [prefix, kind] : kRedisPrefixes) {
    if (starts_with(text, prefix)) {
      spec.kind = kind;
      spec.key = std::string(text.substr(prefix.size()));
      break;
    }
  }
  if (spec.key.empty()) throw InputError(fmt::format("--gauge '{}' names no key", text));
  if (spec.key.size() > 4096) throw InputError("--gauge key is longer than 4096 bytes");
  return spec;
}

TraceMode parse_trace_mode(std::string_view text) {
  if (text == "monitor") return TraceMode::kMonitor;
  if (text == "sample") return TraceMode::kSample;
  throw InputError(fmt::format("--gauge-trace '{}' must be monitor or sample", text));
}

const char* to_string(TraceMode mode) {
  return mode == TraceMode::kMonitor ? "monitor" : "sample";
}

void validate(const GaugeOptions& options) {
  if (options.interval.count() <= 0) throw InputError("--gauge-interval must be positive");
  if (options.interval > std::chrono::seconds(10)) {
    throw InputError("--gauge-interval must be at most 10s (a coarser gauge misses every race)");
  }
  if (options.spec.is_redis()) {
    try {
      parse_redis_url(options.redis_url);
    } catch (const InputError& e) {
      throw InputError(std::string("--redis: ") + e.what());
    }
  }
}

}  // namespace callsim
