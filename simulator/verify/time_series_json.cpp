#include "time_series_json.h"

#include <rapidjson/filewritestream.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace callsim {

namespace {

double ms(Nanos d) {
  return d.count() / 1e6;
}

template <typename JsonWriter>
void count(JsonWriter& w, const char* name, uint64_t value) {
  w.Key(name);
  w.Uint64(value);
}

template <typename JsonWriter>
void count(JsonWriter& w, const char* name, int64_t value) {
  w.Key(name);
  w.Int64(value);
}

template <typename JsonWriter>
void level(JsonWriter& w, const char* name, const std::optional<int64_t>& value) {
  w.Key(name);
  if (value) {
    w.Int64(*value);
  } else {
    w.Null();
  }
}

template <typename JsonWriter>
void millis(JsonWriter& w, const char* name, const std::optional<Nanos>& value) {
  w.Key(name);
  if (value) {
    w.Double(ms(*value));
  } else {
    w.Null();
  }
}

template <typename JsonWriter>
void write_row(JsonWriter& w, const TimeSeriesRow& r) {
  w.StartObject();
  millis(w, "from_ms", r.from);
  millis(w, "to_ms", r.to);
  count(w, "started", r.started);
  count(w, "admitted", r.admitted);
  count(w, "rejected", r.rejected);
  count(w, "failed", r.failed);
  count(w, "completed", r.completed);
  count(w, "connecting", r.connecting);
  count(w, "admitted_live", r.admitted_live);
  count(w, "admitted_live_max", r.admitted_live_max);
  level(w, "gauge", r.gauge);
  level(w, "gauge_min", r.gauge_min);
  level(w, "gauge_max", r.gauge_max);
  count(w, "frames_sent", r.frames_sent);
  millis(w, "lateness_p99_ms", r.lateness_p99);
  millis(w, "lateness_max_ms", r.lateness_max);
  count(w, "greeted", r.greeted);
  millis(w, "ttfa_p95_ms", r.ttfa_p95);
  count(w, "turns_replied", r.turns_replied);
  millis(w, "reply_latency_p95_ms", r.reply_latency_p95);
  count(w, "no_reply_turns", r.no_reply_turns);
  w.EndObject();
}

}  // namespace

template <typename JsonWriter>
void write_time_series_json(JsonWriter& w, const TimeSeries& series) {
  w.StartObject();
  millis(w, "interval_ms", series.interval);
  millis(w, "requested_interval_ms",
         series.requested_interval.count() > 0 ? std::optional<Nanos>(series.requested_interval)
                                               : std::nullopt);
  w.Key("cap");
  w.Int(series.cap);
  w.Key("has_gauge");
  w.Bool(series.has_gauge);
  w.Key("rows");
  w.StartArray();
  for (const TimeSeriesRow& r : series.rows) write_row(w, r);
  w.EndArray();
  w.EndObject();
}

template void write_time_series_json(rapidjson::Writer<rapidjson::StringBuffer>&,
                                     const TimeSeries&);
template void write_time_series_json(rapidjson::Writer<rapidjson::FileWriteStream>&,
                                     const TimeSeries&);

}  // namespace callsim
