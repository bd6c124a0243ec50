#include "verify_report.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <rapidjson/filewritestream.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "verify/timelines.h"

namespace callsim {

namespace {

double ms_since(TimePoint origin, TimePoint t) {
  return std::round(std::chrono::duration<double, std::micro>(t - origin).count()) / 1000.0;
}

char strip_char(Verdict v) {
  return v == Verdict::kPass ? '.' : v == Verdict::kFail ? 'F' : '-';
}

template <typename JsonWriter>
void write_string(JsonWriter& w, const std::string& s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

template <typename JsonWriter>
void write_offense(JsonWriter& w, const std::optional<Offense>& o, TimePoint origin) {
  if (!o) {
    w.Null();
    return;
  }
  w.StartObject();
  w.Key("t_ms");
  w.Double(ms_since(origin, o->at));
  w.Key("burst");
  w.Int(o->burst + 1);
  w.Key("what");
  write_string(w, o->what);
  w.Key("call_sids");
  w.StartArray();
  for (const auto& sid : o->call_sids) write_string(w, sid);
  w.EndArray();
  w.Key("more_sids");
  w.Uint64(o->more_sids);
  w.EndObject();
}

template <typename JsonWriter>
void write_threshold(JsonWriter& w, const ThresholdMeasure& m) {
  w.Key("threshold");
  w.StartObject();
  w.Key("metric");
  write_string(w, m.metric);
  w.Key("statistic");
  write_string(w, m.statistic);
  w.Key("op");
  write_string(w, m.op);
  w.Key("unit");
  write_string(w, m.unit);
  w.Key("limit");
  w.Double(m.limit);
  w.Key("value");
  if (m.value) {
    w.Double(*m.value);
  } else {
    w.Null();
  }
  w.Key("never");
  w.Bool(m.never);
  w.Key("samples");
  w.Uint64(m.samples);
  w.EndObject();
}

template <typename JsonWriter>
void write_check(JsonWriter& w, const CheckResult& r, TimePoint origin) {
  w.Key("name");
  write_string(w, r.name);
  w.Key("verdict");
  w.String(to_string(r.verdict));
  w.Key("summary");
  write_string(w, r.summary);
  // The checks count durations in integer microseconds; the report speaks milliseconds
  // throughout, and a metric that could not be measured is null with its reason beside it.
  w.Key("metrics");
  w.StartObject();
  std::vector<std::pair<std::string, std::string>> null_reasons;
  for (const auto& m : r.metrics) {
    const std::string& name = m.name;
    const bool micros = name.size() > 3 && name.compare(name.size() - 3, 3, "_us") == 0;
    if (!micros) {
      w.Key(name.c_str());
      w.Int64(m.value);
      continue;
    }
    const std::string key = name.substr(0, name.size() - 3) + "_ms";
    w.Key(key.c_str());
    if (name == "settle_us" && m.value < 0) {
      w.Null();
      null_reasons.emplace_back(key, "the gauge never returned to its baseline");
    } else {
      w.Double(static_cast<double>(m.value) / 1000.0);
    }
  }
  w.EndObject();
  w.Key("null_reasons");
  w.StartObject();
  for (const auto& [key, reason] : null_reasons) {
    w.Key(key.c_str());
    write_string(w, reason);
  }
  w.EndObject();
  w.Key("warnings");
  w.StartArray();
  for (const auto& warning : r.warnings) write_string(w, warning);
  w.EndArray();
  if (r.threshold) write_threshold(w, *r.threshold);
  if (r.incomplete) {
    w.Key("incomplete");
    w.Bool(true);
  }
  w.Key("offense");
  write_offense(w, r.offense, origin);
}

std::vector<const CallRecord*> pointers(const std::vector<CallRecord>& calls) {
  std::vector<const CallRecord*> out;
  for (const auto& c : calls) out.push_back(&c);
  return out;
}

}  // namespace

std::string render_verification_text(const Verification& v) {
  std::string out = fmt::format("Cap verification: cap {}, {} burst{}; gauge: {}\n", v.cap,
                                v.bursts.size(), v.bursts.size() == 1 ? "" : "s", v.gauge);
  const std::string indent(30, ' ');
  out += fmt::format("{:<21} {:<7} {}\n", "CHECK", "RESULT", "DETAIL");
  size_t threshold_width = 0;
  for (size_t c = 0; c < v.total.size(); ++c) {
    const CheckResult& r = v.total[c];
    if (r.threshold) {
      threshold_width = std::max(threshold_width, r.name.size());
      continue;
    }
    out += fmt::format("{:<21} {:<7} {}\n", r.name, to_string(r.verdict), r.summary);
    if (v.bursts.size() > 1 && r.verdict == Verdict::kFail) {
      std::string strip;
      for (const auto& b : v.bursts) strip += strip_char(b.checks[c].verdict);
      out += fmt::format("{}per burst: {}\n", indent, strip);
    }
    if (r.offense) {
      out += fmt::format("{}first offence at {} (burst {}): {}\n", indent,
                         format_offset(v.origin, r.offense->at), r.offense->burst + 1,
                         r.offense->what);
      if (!r.offense->call_sids.empty()) {
        std::string sids;
        for (const auto& sid : r.offense->call_sids) sids += (sids.empty() ? "" : ", ") + sid;
        if (r.offense->more_sids) sids += fmt::format(" (+{} more)", r.offense->more_sids);
        out += fmt::format("{}calls: {}\n", indent, sids);
      }
    }
    for (const auto& warning : r.warnings) out += fmt::format("{}warning: {}\n", indent, warning);
  }
  // Thresholds are judged on the whole run; their one line holds the value beside the limit.
  if (threshold_width > 0) {
    out += fmt::format("{:<{}} {:<7} {}\n", "THRESHOLD", threshold_width, "RESULT", "MEASURED");
    for (const CheckResult& r : v.total) {
      if (!r.threshold) continue;
      out += fmt::format("{:<{}} {:<7} {}\n", r.name, threshold_width, to_string(r.verdict),
                         r.summary);
    }
  }
  out += v.verdict_line + "\n";
  return out;
}

template <typename JsonWriter>
void write_verification_json(JsonWriter& w, const Verification& v) {
  w.StartObject();
  w.Key("verdict");
  write_string(w, v.verdict);
  w.Key("verdict_line");
  write_string(w, v.verdict_line);
  w.Key("incomplete");
  w.StartArray();
  for (const auto& reason : v.incomplete) write_string(w, reason);
  w.EndArray();
  w.Key("cap");
  w.Int(v.cap);
  w.Key("gauge");
  write_string(w, v.gauge);
  w.Key("bursts");
  w.Uint64(v.bursts.size());
  w.Key("checks");
  w.StartArray();
  for (size_t c = 0; c < v.total.size(); ++c) {
    w.StartObject();
    write_check(w, v.total[c], v.origin);
    if (v.bursts.size() > 1 && !v.total[c].threshold) {
      w.Key("per_burst");
      w.StartArray();
      for (const auto& b : v.bursts) {
        w.StartObject();
        w.Key("burst");
        w.Int(b.burst + 1);
        write_check(w, b.checks[c], v.origin);
        w.EndObject();
      }
      w.EndArray();
    }
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

template <typename JsonWriter>
void write_admitted_live_json(JsonWriter& w, const std::vector<CallRecord>& calls,
                              TimePoint origin) {
  AdmittedTimeline timeline(pointers(calls));
  int live = 0;
  w.StartArray();
  for (const auto& s : timeline.steps()) {
    live += s.delta;
    w.StartArray();
    w.Double(ms_since(origin, s.at));
    w.Int(live);
    w.EndArray();
  }
  w.EndArray();
}

std::string render_gauge_timeline_text(const std::vector<CallRecord>& calls,
                                       const GaugeTrace* trace, TimePoint origin, int rows) {
  AdmittedTimeline admitted(pointers(calls));
  std::optional<GaugeTimeline> gauge;
  if (trace && trace->kind != GaugeKind::kNone) gauge = GaugeTimeline::from_trace(*trace);
  TimePoint end = origin;
  for (const auto& s : admitted.steps()) end = std::max(end, s.at);
  if (gauge) end = std::max(end, gauge->observed_until());
  rows = std::max(1, rows);
  Nanos slice = std::max(Nanos(1), (end - origin) / rows);
  std::string out =
      fmt::format("{:>12}  {:>13}  {}\n", "time", "admitted live",
                  gauge ? (gauge->exact() ? "gauge (traced)" : "gauge (sampled)") : "gauge");
  for (int i = 0; i < rows; ++i) {
    TimePoint from = origin + slice * i;
    TimePoint to = i + 1 == rows ? end : from + slice;
    std::string g = "-";
    if (gauge) {
      std::optional<int64_t> lo = gauge->value_at(from), hi = lo;
      auto [first, last] = gauge->range(from, to);
      for (size_t p = first; p < last; ++p) {
        int64_t value = gauge->points()[p].value;
        lo = lo ? std::min(*lo, value) : value;
        hi = hi ? std::max(*hi, value) : value;
      }
      if (lo) g = *lo == *hi ? std::to_string(*lo) : fmt::format("{}..{}", *lo, *hi);
    }
    out += fmt::format("{:>12}  {:>13}  {}\n", format_offset(origin, from),
                       admitted.max_in(from, to), g);
  }
  return out;
}

template void write_verification_json(rapidjson::Writer<rapidjson::StringBuffer>&,
                                      const Verification&);
template void write_verification_json(rapidjson::Writer<rapidjson::FileWriteStream>&,
                                      const Verification&);
template void write_admitted_live_json(rapidjson::Writer<rapidjson::StringBuffer>&,
                                       const std::vector<CallRecord>&, TimePoint);
template void write_admitted_live_json(rapidjson::Writer<rapidjson::FileWriteStream>&,
                                       const std::vector<CallRecord>&, TimePoint);

}  // namespace callsim
