#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "gauge/gauge_spec.h"

namespace callsim {

// One reading of the gauge by the sampler. The read happened somewhere between `sent` and
// `received`; `at` is the midpoint, the best single estimate.
struct GaugeSample {
  TimePoint at{};
  int64_t value = 0;
  Nanos round_trip{0};  // received - sent: the uncertainty of `at` is half of it
};

// Where a traced value came from.
enum class EventOrigin {
  kSnapshot,  // the first full read the replay started from
  kClient,    // a command a client sent (including inside MULTI/EXEC)
  kScript,    // a command run by a Lua script or function
  kExpiry,    // the key's TTL ran out
  kResync,    // the replay disagreed with Redis (or lost track) and took Redis's value
};
const char* to_string(EventOrigin origin);

// One value the gauge took, reconstructed from MONITOR.
struct GaugeEvent {
  TimePoint at{};                // Redis's timestamp mapped onto steady_clock (see GaugeTrace)
  int64_t redis_time_us = 0;     // Redis wall clock as MONITOR printed it
  std::optional<int64_t> value;  // nullopt: the key held something that is not a count
  EventOrigin origin = EventOrigin::kClient;
  std::string command;  // e.g. "INCR", "DECR"; empty for snapshot/expiry/resync
};

// A stretch of the run in which the watcher lost sight of the gauge: the MONITOR stream broke,
// or the sampling connection failed or stalled (no sample succeeding for a while).
struct GaugeLoss {
  std::string what;                  // "MONITOR trace" or "sampling"
  TimePoint at{};                    // the last moment the gauge was still seen
  std::string how;                   // e.g. "connection reset", "no sample succeeded for 1.0s"
  std::optional<TimePoint> back_at;  // when sampling came back (MONITOR never comes back)
};

// Everything the gauge watcher saw in one run.
//
// Clock mapping: MONITOR timestamps are the Redis server's wall clock. Every monitor-mode sample
// is a checkpoint transaction (MULTI, ECHO <nonce>, read, EXEC) whose ECHO line appears in the
// MONITOR stream at the exact place the read happened, and whose steady_clock send/receive times
// the sampler knows. A traced event between two checkpoints in the stream must have happened
// between them in time, so its steady time is interpolated linearly (by Redis timestamp) between
// the two checkpoints' midpoints. This absorbs any offset or drift between the machines' clocks
// and wall-clock steps; the error is bounded by about half a checkpoint round trip
// (clock_uncertainty).
struct GaugeTrace {
  std::string source;  // GaugeSpec::display()
  GaugeKind kind = GaugeKind::kNone;
  TraceMode requested = TraceMode::kMonitor;
  bool monitored = false;  // a MONITOR trace was taken (events are meaningful)
  // Every value the gauge took is in `events`, in order: MONITOR ran for the whole run, the replay
  // never lost track, and every checkpoint agreed with the replay.
  bool exact = false;
  std::string not_exact_reason;  // the first reason the trace is not exact (or MONITOR's refusal)
  Nanos interval{0};
  Nanos clock_uncertainty{0};  // the largest half round trip of a checkpoint used for mapping

  std::vector<GaugeSample> samples;
  std::vector<GaugeEvent> events;

  uint64_t sample_errors = 0;
  std::string first_sample_error;
  uint64_t monitor_lines = 0;
  uint64_t unparsed_lines = 0;
  uint64_t commands_on_key = 0;   // MONITOR lines that touched the key
  uint64_t checkpoints = 0;       // checkpoints matched in the MONITOR stream
  uint64_t divergences = 0;       // checkpoints where Redis disagreed with the replay
  uint64_t resyncs = 0;           // times the replay restarted from a full read
  std::vector<GaugeLoss> losses;  // in the order they happened
};

// Writes the trace as one JSON object with a rapidjson::Writer (instantiated for
// Writer<StringBuffer> and Writer<FileWriteStream>). Times are milliseconds since `origin` (the
// run's start) with microsecond precision; samples are compact [t_ms, value, round_trip_ms]
// triples because a long run holds millions of them.
template <typename JsonWriter>
void write_gauge_trace_json(JsonWriter& w, const GaugeTrace& trace, TimePoint origin);

}  // namespace callsim
