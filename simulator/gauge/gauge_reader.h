#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "core/clock.h"
#include "core/redis_url.h"
#include "gauge/gauge_spec.h"
#include "gauge/monitor_tracer.h"
#include "net/redis_connection.h"

namespace callsim {

// One reading of the gauge: a value, or why there is none (wrong type, not a number, HTTP 500).
struct GaugeReading {
  std::optional<int64_t> value;
  std::string error;
};

// Reads a gauge kept in Redis over one blocking hiredis connection. Connection failures throw
// UnreachableError and leave the reader disconnected (connect() again to retry).
class RedisGaugeReader {
 public:
  RedisGaugeReader(GaugeSpec spec, RedisUrl url, Nanos timeout);

  void connect();
  bool connected() const { return ctx_ != nullptr; }
  void disconnect() { ctx_.reset(); }
  // Throws UnreachableError unless the key is missing or of the type the gauge reads, and holds
  // a readable count.
  void verify();
  GaugeReading read();

  // MULTI, ECHO <nonce>, <read>, [PTTL], EXEC: the read happens at the ECHO's place in the
  // MONITOR stream. `full` reads the whole key (members, string, TTL) rather than its count.
  struct Checkpoint {
    TimePoint sent{};
    TimePoint received{};
    KeySnapshot snapshot;
    std::string error;  // non-empty: the transaction failed (EXECABORT, NOPERM, ...)
  };
  Checkpoint checkpoint(const std::string& nonce, bool full);

  const RedisUrl& url() const { return url_; }

 private:
  GaugeSpec spec_;
  RedisUrl url_;
  Nanos timeout_;
  RedisContext ctx_;
};

// Reads a number out of a JSON document served over HTTP (e.g. /health/details#/active_calls).
class HttpGaugeReader {
 public:
  HttpGaugeReader(GaugeSpec spec, Nanos timeout);
  ~HttpGaugeReader();
  HttpGaugeReader(const HttpGaugeReader&) = delete;
  HttpGaugeReader& operator=(const HttpGaugeReader&) = delete;

  // Throws UnreachableError unless one request answers with a number at the pointer.
  void verify();
  GaugeReading read();

 private:
  GaugeSpec spec_;
  Nanos timeout_;
  void* curl_ = nullptr;  // CURL*, kept so keep-alive reuses one connection
  std::string body_;
};

// Parses the gauge's number out of a JSON body: the value at `pointer` must be an integer (or an
// integral number). Exposed for tests.
GaugeReading parse_json_gauge(const std::string& body, const std::string& pointer);

}  // namespace callsim
