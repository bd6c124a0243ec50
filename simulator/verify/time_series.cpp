#include "time_series.h"

#include <algorithm>

#include "verify/time_series_audio.h"

namespace callsim {

namespace {

void count_events(const std::vector<CallRecord>& calls, TimePoint origin,
                  std::vector<TimeSeriesRow>& rows) {
  auto bump = [&](TimePoint t, int64_t TimeSeriesRow::*field) {
    const int64_t row = row_holding(rows, origin, t);
    if (row >= 0) ++(rows[static_cast<size_t>(row)].*field);
  };
  for (const CallRecord& c : calls) {
    bump(start_time(c), &TimeSeriesRow::started);
    if (c.admitted()) bump(c.admitted_at(), &TimeSeriesRow::admitted);
    if (c.outcome == Outcome::kRejected) bump(c.ended, &TimeSeriesRow::rejected);
    if (is_failed_outcome(c.outcome)) bump(c.ended, &TimeSeriesRow::failed);
    if (c.outcome == Outcome::kCompleted) bump(c.ended, &TimeSeriesRow::completed);
  }
}

// Calls started by `t` and not yet decided at `t` (undecided calls: until they ended).
void count_connecting(const std::vector<CallRecord>& calls, TimePoint origin, TimeSeries& series) {
  for (const CallRecord& c : calls) {
    const TimePoint start = start_time(c);
    if (start == TimePoint{}) continue;
    std::optional<TimePoint> decided = decision_time(c);
    const TimePoint until = decided ? *decided : c.ended;  // unset ended: still connecting
    for (TimeSeriesRow& row : series.rows) {
      const TimePoint at = origin + row.to;
      if (start <= at && (until == TimePoint{} || at < until)) ++row.connecting;
    }
  }
}

// One sweep over the admitted calls' steps: the level at each row's end, the max over it.
void admitted_levels(const std::vector<CallRecord>& calls, TimePoint origin,
                     std::vector<TimeSeriesRow>& rows) {
  std::vector<const CallRecord*> pointers;
  pointers.reserve(calls.size());
  for (const CallRecord& c : calls) pointers.push_back(&c);
  const AdmittedTimeline timeline(pointers);
  const auto& steps = timeline.steps();
  size_t next = 0;
  int64_t live = 0;
  for (TimeSeriesRow& row : rows) {
    const TimePoint from = origin + row.from, to = origin + row.to;
    while (next < steps.size() && steps[next].at < from) live += steps[next++].delta;
    int64_t best = live;
    while (next < steps.size() && steps[next].at < to) {
      live += steps[next++].delta;
      best = std::max(best, live);
    }
    int64_t at_end = live;  // the steps at `to` belong to the next row too
    for (size_t i = next; i < steps.size() && steps[i].at == to; ++i) {
      at_end += steps[i].delta;
      best = std::max(best, at_end);
    }
    row.admitted_live = at_end;
    row.admitted_live_max = best;
  }
}

void gauge_levels(const GaugeTimeline& gauge, TimePoint origin, TimeSeries& series) {
  const auto& points = gauge.points();
  for (TimeSeriesRow& row : series.rows) {
    const TimePoint from = origin + row.from, to = origin + row.to;
    // Seen over the stretch: no blind part, still watched at its end (the last row may end a
    // moment after the last reading), and read at its start or within it (the first reading
    // comes a moment after the run's start).
    if (gauge.blind_in(from, to) != nullptr) continue;
    const bool last_row = &row == &series.rows.back();
    if (gauge.observed_until() < (last_row ? from : to)) continue;
    auto [begin, end] = gauge.range(from, to);
    std::optional<int64_t> first = gauge.value_at(from);
    if (!first && begin < end) first = points[begin].value;
    if (!first) continue;
    int64_t low = *first, high = *first;
    for (size_t i = begin; i < end; ++i) {
      low = std::min(low, points[i].value);
      high = std::max(high, points[i].value);
    }
    row.gauge = gauge.value_at(std::min(to, gauge.observed_until()));
    row.gauge_min = low;
    row.gauge_max = high;
  }
}

void lateness_levels(const LatenessSeries& lateness, TimeSeries& series) {
  for (TimeSeriesRow& row : series.rows) {
    LatenessSeries::Summary s = lateness.summarize(row.from, row.to);
    row.frames_sent = s.frames;
    if (s.frames == 0) continue;
    row.lateness_p99 = s.p99;
    row.lateness_max = s.max;
  }
}

}  // namespace

int64_t row_holding(const std::vector<TimeSeriesRow>& rows, TimePoint origin, TimePoint t) {
  if (t == TimePoint{} || rows.empty() || t < origin + rows.front().from) return -1;
  const Nanos since = t - origin;
  auto after = std::upper_bound(rows.begin(), rows.end(), since,
                                [](Nanos v, const TimeSeriesRow& row) { return v < row.to; });
  return after == rows.end() ? -1 : after - rows.begin();
}

void count_calls_by_row(const std::vector<CallRecord>& calls, TimePoint origin, Nanos reply_timeout,
                        std::vector<TimeSeriesRow>& rows) {
  count_events(calls, origin, rows);
  admitted_levels(calls, origin, rows);
  audio_levels(calls, origin, reply_timeout, rows);
}

TimePoint time_series_end(const std::vector<CallRecord>& calls, const GaugeTimeline* gauge,
                          TimePoint finished) {
  TimePoint end = finished;
  for (const CallRecord& c : calls) end = std::max({end, c.ended, c.hung_up});
  if (gauge && !gauge->empty()) end = std::max(end, gauge->observed_until());
  return end;
}

TimeSeries build_time_series(const TimeSeriesInput& input) {
  TimeSeries series;
  series.cap = input.cap;
  series.has_gauge = input.gauge != nullptr;
  const Nanos length = std::max(Nanos(0), input.end - input.origin);
  const Nanos width = input.lateness ? input.lateness->width() : LatenessSeries::kBaseWidth;
  series.requested_interval = input.interval;
  series.interval = time_series_interval(length, width, input.interval);
  // Rows up to and including the one holding `end`.
  const size_t rows = static_cast<size_t>(length / series.interval) + 1;
  series.rows.resize(rows);
  for (size_t r = 0; r < rows; ++r) {
    series.rows[r].from = series.interval * static_cast<int64_t>(r);
    series.rows[r].to = series.interval * static_cast<int64_t>(r + 1);
  }
  static const std::vector<CallRecord> kNoCalls;
  const std::vector<CallRecord>& calls = input.calls ? *input.calls : kNoCalls;
  count_calls_by_row(calls, input.origin, input.reply_timeout, series.rows);
  count_connecting(calls, input.origin, series);
  if (input.gauge) gauge_levels(*input.gauge, input.origin, series);
  if (input.lateness) lateness_levels(*input.lateness, series);
  return series;
}

}  // namespace callsim
