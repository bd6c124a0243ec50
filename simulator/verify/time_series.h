#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/call_record.h"
#include "core/lateness_series.h"
#include "core/time_series_interval.h"
#include "verify/timelines.h"

namespace callsim {

// The run as rows of equal stretches of time, computed after the run from the call records, the
// gauge and the per-stretch send lateness: what --csv writes and --html plots.
//
// Row r covers [r * interval, (r + 1) * interval) since the run's start. Counts of events (a call
// started, admitted, turned away, ended) fall in the row whose stretch holds them; levels
// (connecting, admitted live, the gauge) are read at the row's end, with the admitted and gauge
// extremes over the closed stretch, so a short excursion above the cap shows in the row's max.
// What the callers heard (verify/time_series_audio.h) falls in the row of the moment it was
// heard or given up on.
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
  // Calls whose first voiced bot audio played in the row, and the p95 of their time to first
  // audio (unset without one).
  uint64_t greeted = 0;
  std::optional<Nanos> ttfa_p95;
  // Turns whose reply started playing in the row, and the p95 of their reply latency.
  uint64_t turns_replied = 0;
  std::optional<Nanos> reply_latency_p95;
  // Turns given up on in the row: caller_end + reply_timeout falls in it.
  uint64_t no_reply_turns = 0;
};

struct TimeSeries {
  Nanos interval{0};
  Nanos requested_interval{0};  // --interval; 0 = automatic. `interval` differs when widened
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
  Nanos interval{0};   // --interval; 0 = automatic (core/time_series_interval.h)
  Nanos reply_timeout = std::chrono::seconds(5);  // --reply-timeout: when a turn is given up on
};

TimeSeries build_time_series(const TimeSeriesInput& input);

// The calls' share of the rows already laid out in `rows` (consecutive, from/to since `origin`,
// of any widths): the events (started, admitted, rejected, failed, completed), the admitted
// levels and what the callers heard, as build_time_series counts them. A summary by stage is
// the same count over the stages.
void count_calls_by_row(const std::vector<CallRecord>& calls, TimePoint origin, Nanos reply_timeout,
                        std::vector<TimeSeriesRow>& rows);

// The row whose [from, to) holds `t` (since `origin`), or -1 when t is unset, before the first
// row or from the last row's end on.
int64_t row_holding(const std::vector<TimeSeriesRow>& rows, TimePoint origin, TimePoint t);

// When the series should end: the run's end, or later if calls ended or the gauge was watched
// after it (the settle wait: a leak shows as a gauge that stays up after the calls).
TimePoint time_series_end(const std::vector<CallRecord>& calls, const GaugeTimeline* gauge,
                          TimePoint finished);

}  // namespace callsim
