#include "gauge_trace.h"

#include <cmath>

#include <rapidjson/filewritestream.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace callsim {

namespace {

double ms_since(TimePoint origin, TimePoint t) {
  // Rounded to the microsecond: finer digits are noise and bloat the report.
  return std::round(std::chrono::duration<double, std::micro>(t - origin).count()) / 1000.0;
}

const char* kind_name(GaugeKind kind) {
  switch (kind) {
    case GaugeKind::kNone:
      return "none";
    case GaugeKind::kRedisGet:
      return "get";
    case GaugeKind::kRedisScard:
      return "scard";
    case GaugeKind::kRedisHlen:
      return "hlen";
    case GaugeKind::kRedisZcard:
      return "zcard";
    case GaugeKind::kHttpJson:
      return "http_json";
  }
  return "unknown";
}

}  // namespace

const char* to_string(EventOrigin origin) {
  switch (origin) {
    case EventOrigin::kSnapshot:
      return "snapshot";
    case EventOrigin::kClient:
      return "client";
    case EventOrigin::kScript:
      return "script";
    case EventOrigin::kExpiry:
      return "expiry";
    case EventOrigin::kResync:
      return "resync";
  }
  return "unknown";
}

template <typename JsonWriter>
void write_gauge_trace_json(JsonWriter& w, const GaugeTrace& trace, TimePoint origin) {
  auto count = [&](const char* name, uint64_t value) {
    w.Key(name);
    w.Uint64(value);
  };
  w.StartObject();
  w.Key("source");
  w.String(trace.source.data(), static_cast<rapidjson::SizeType>(trace.source.size()));
  w.Key("kind");
  w.String(kind_name(trace.kind));
  w.Key("trace_requested");
  w.String(to_string(trace.requested));
  w.Key("monitored");
  w.Bool(trace.monitored);
  w.Key("exact");
  w.Bool(trace.exact);
  w.Key("not_exact_reason");
  if (trace.not_exact_reason.empty()) {
    w.Null();
  } else {
    w.String(trace.not_exact_reason.data(),
             static_cast<rapidjson::SizeType>(trace.not_exact_reason.size()));
  }
  w.Key("interval_ms");
  w.Double(std::chrono::duration<double, std::milli>(trace.interval).count());
  w.Key("clock_uncertainty_ms");
  w.Double(std::chrono::duration<double, std::milli>(trace.clock_uncertainty).count());
  count("sample_errors", trace.sample_errors);
  w.Key("first_sample_error");
  if (trace.first_sample_error.empty()) {
    w.Null();
  } else {
    w.String(trace.first_sample_error.data(),
             static_cast<rapidjson::SizeType>(trace.first_sample_error.size()));
  }
  count("monitor_lines", trace.monitor_lines);
  count("unparsed_lines", trace.unparsed_lines);
  count("commands_on_key", trace.commands_on_key);
  count("checkpoints", trace.checkpoints);
  count("divergences", trace.divergences);
  count("resyncs", trace.resyncs);
  w.Key("losses");
  w.StartArray();
  for (const auto& loss : trace.losses) {
    w.StartObject();
    w.Key("what");
    w.String(loss.what.c_str());
    w.Key("t_ms");
    w.Double(ms_since(origin, loss.at));
    w.Key("how");
    w.String(loss.how.data(), static_cast<rapidjson::SizeType>(loss.how.size()));
    w.Key("back_t_ms");
    if (loss.back_at)
      w.Double(ms_since(origin, *loss.back_at));
    else
      w.Null();
    w.EndObject();
  }
  w.EndArray();

  w.Key("samples");
  w.StartArray();
  for (const auto& s : trace.samples) {
    w.StartArray();
    w.Double(ms_since(origin, s.at));
    w.Int64(s.value);
    w.Double(std::chrono::duration<double, std::milli>(s.round_trip).count());
    w.EndArray();
  }
  w.EndArray();

  w.Key("events");
  w.StartArray();
  for (const auto& e : trace.events) {
    w.StartObject();
    w.Key("t_ms");
    w.Double(ms_since(origin, e.at));
    w.Key("value");
    if (e.value)
      w.Int64(*e.value);
    else
      w.Null();
    w.Key("origin");
    w.String(to_string(e.origin));
    if (!e.command.empty()) {
      w.Key("command");
      w.String(e.command.c_str());
    }
    w.Key("redis_time_us");
    w.Int64(e.redis_time_us);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

template void write_gauge_trace_json(rapidjson::Writer<rapidjson::StringBuffer>&, const GaugeTrace&,
                                     TimePoint);
template void write_gauge_trace_json(rapidjson::Writer<rapidjson::FileWriteStream>&,
                                     const GaugeTrace&, TimePoint);

}  // namespace callsim
