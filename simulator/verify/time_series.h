#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/call_record.h"
#include "core/lateness_series.h"
#include "verify/timelines.h"

namespace callsim {

// The run as rows of equal stretches of time, computed after the run from the call records, the
// gauge and the per-stretch send lateness: what --csv writes and --html plots.
//
// Row r covers [r * interval, (r + 1) * interval) since the run's start. Counts of events (a call
// started, admitted, turned away, ended) fall in the row whose stretch holds them; levels
// (connecting, admitted live, the gauge) are read at the row's end, with the admitted and gauge
// extremes over the closed stretch, so a short excursion above the cap shows in the row's max.
struct TimeSeriesRow {
  Nanos from{0}, to{0};    // since the run's start
  int64_t started = 0;     // calls whose connect began (or were scheduled, if they never connected)
  int64_t admitted = 0;    // calls the server admitted (CallRecord::admitted_at)
  int64_t rejected = 0;    // calls turned away (ended as rejected)
  int64_t failed = 0;      // refused, handshake timeout, TLS, closed early, protocol error (ended)
  int64_t completed = 0;   // calls that ran to their planned end
  int64_t connecting = 0;  // started, not yet decided
  int64_t admitted_live = 0;  // admitted, not yet hung up
  int64_t admitted_live_max = 0;
  // The gauge: unset when it was not seen over the whole stretch (no gauge, not read yet, lost,
  // or after the last reading).
  std::optional<int64_t> gauge, gauge_min, gauge_max;
  uint64_t frames_sent = 0;
  std::optional<Nanos> lateness_p99, lateness_max;  // unset when no frame was sent
};

struct TimeSeries {
  Nanos interval{0};
  int cap = 0;
  bool has_gauge = false;  // a gauge was watched (its columns may still be empty in places)
  std::vector<TimeSeriesRow> rows;
};

struct TimeSeriesInput {
  const std::vector<CallRecord>* calls = nullptr;
  const GaugeTimeline* gauge = nullptr;  // null: --gauge none
  const LatenessSeries* lateness = nullptr;
  int cap = 0;
  TimePoint origin{};  // the run's start
  TimePoint end{};     // the series covers [origin, end]
};

// The row width for a run of `length`: 250 ms up to 20 s (a short CI run still shows its shape),
// else 1 s, doubled until there are at most kMaxRows rows, and never finer than the lateness
// slots (`lateness_width`).
constexpr size_t kMaxTimeSeriesRows = 1024;
Nanos time_series_interval(Nanos length, Nanos lateness_width);

TimeSeries build_time_series(const TimeSeriesInput& input);

// When the series should end: the run's end, or later if calls ended or the gauge was watched
// after it (the settle wait: a leak shows as a gauge that stays up after the calls).
TimePoint time_series_end(const std::vector<CallRecord>& calls, const GaugeTimeline* gauge,
                          TimePoint finished);

}  // namespace callsim
