#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "core/clock.h"

namespace callsim {

// How the server's active-call gauge is read.
enum class GaugeKind {
  kNone,      // no gauge: only the caller-side checks run
  kRedisGet,  // GET of a counter string
  kRedisScard,
  kRedisHlen,
  kRedisZcard,
  kHttpJson,  // a number inside a JSON document served over HTTP
};

struct GaugeSpec {
  GaugeKind kind = GaugeKind::kRedisGet;
  std::string key = "calls:active_count";  // Redis kinds
  std::string http_url;                    // kHttpJson: the URL without the fragment
  std::string json_pointer;                // kHttpJson: RFC 6901 pointer, e.g. "/active_calls"

  bool is_redis() const { return kind != GaugeKind::kNone && kind != GaugeKind::kHttpJson; }
  // The spec in the form --gauge accepts, e.g. "scard:calls:active"; round-trips through parse.
  std::string display() const;
};

// Parses the --gauge forms: a bare KEY or get:KEY, scard:KEY, hlen:KEY, zcard:KEY,
// http(s)://host:port/path#/json/pointer, or none. Throws InputError naming --gauge.
GaugeSpec parse_gauge_spec(std::string_view text);

// --gauge-trace. kMonitor replays every command on the key from a MONITOR stream, and falls back
// to sampling (saying why in the trace) when the server refuses MONITOR; kSample only samples.
enum class TraceMode { kMonitor, kSample };
TraceMode parse_trace_mode(std::string_view text);  // InputError naming --gauge-trace
const char* to_string(TraceMode mode);

// Everything the gauge watcher is configured with; the CLI flags map onto it one to one.
struct GaugeOptions {
  GaugeSpec spec;                                      // --gauge
  std::string redis_url = "redis://127.0.0.1:6379/0";  // --redis
  Nanos interval = std::chrono::milliseconds(1);       // --gauge-interval
  TraceMode trace = TraceMode::kMonitor;               // --gauge-trace
  Nanos connect_timeout = std::chrono::seconds(2);     // Redis connect/read, HTTP request
};

// Throws InputError naming the flag (--redis, --gauge-interval) when a value cannot work.
void validate(const GaugeOptions& options);

}  // namespace callsim
