#include "time_series_csv.h"

#include <fmt/format.h>

namespace callsim {

namespace {

std::string optional_int(const std::optional<int64_t>& v) {
  return v ? fmt::format("{}", *v) : "";
}

std::string optional_ms(const std::optional<Nanos>& v) {
  return v ? fmt::format("{:.3f}", v->count() / 1e6) : "";
}

int64_t whole_ms(Nanos d) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
}

}  // namespace

const char* const kTimeSeriesCsvHeader =
    "from_ms,to_ms,started,admitted,rejected,failed,completed,connecting,admitted_live,"
    "admitted_live_max,cap,gauge,gauge_min,gauge_max,frames_sent,lateness_p99_ms,lateness_max_ms,"
    "greeted,ttfa_p95_ms,turns_replied,reply_latency_p95_ms,no_reply_turns";

std::string format_time_series_csv(const TimeSeries& series) {
  std::string out = kTimeSeriesCsvHeader;
  out += '\n';
  for (const TimeSeriesRow& r : series.rows) {
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n",
                       whole_ms(r.from), whole_ms(r.to), r.started, r.admitted, r.rejected,
                       r.failed, r.completed, r.connecting, r.admitted_live, r.admitted_live_max,
                       series.cap, optional_int(r.gauge), optional_int(r.gauge_min),
                       optional_int(r.gauge_max), r.frames_sent, optional_ms(r.lateness_p99),
                       optional_ms(r.lateness_max), r.greeted, optional_ms(r.ttfa_p95),
                       r.turns_replied, optional_ms(r.reply_latency_p95), r.no_reply_turns);
  }
  return out;
}

}  // namespace callsim
