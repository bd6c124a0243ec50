#include "html_report.h"

#include <algorithm>
#include <cstdio>

#include <fmt/format.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "core/errors.h"
#include "core/markup_escape.h"
#include "run/html_page.h"

namespace callsim {

namespace {

using DataWriter = rapidjson::Writer<rapidjson::StringBuffer>;

double seconds(Nanos d) {
  return std::chrono::duration<double>(d).count();
}

void string_field(DataWriter& w, const char* name, const std::string& value) {
  w.Key(name);
  w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

template <typename Get>
void column(DataWriter& w, const char* name, const TimeSeries& s, Get get) {
  w.Key(name);
  w.StartArray();
  for (const TimeSeriesRow& r : s.rows) get(w, r);
  w.EndArray();
}

void optional_int(DataWriter& w, const std::optional<int64_t>& v) {
  if (v) {
    w.Int64(*v);
  } else {
    w.Null();
  }
}

void optional_ms(DataWriter& w, const std::optional<Nanos>& v) {
  if (v) {
    w.Double(v->count() / 1e6);
  } else {
    w.Null();
  }
}

void write_series(DataWriter& w, const TimeSeries& s) {
  w.StartObject();
  w.Key("interval_ms");
  w.Double(s.interval.count() / 1e6);
  column(w, "from_s", s, [](DataWriter& w, const TimeSeriesRow& r) { w.Double(seconds(r.from)); });
  column(w, "to_s", s, [](DataWriter& w, const TimeSeriesRow& r) { w.Double(seconds(r.to)); });
  column(w, "admitted_live", s,
         [](DataWriter& w, const TimeSeriesRow& r) { w.Int64(r.admitted_live); });
  column(w, "admitted_live_max", s,
         [](DataWriter& w, const TimeSeriesRow& r) { w.Int64(r.admitted_live_max); });
  column(w, "connecting", s, [](DataWriter& w, const TimeSeriesRow& r) { w.Int64(r.connecting); });
  column(w, "rejected", s, [](DataWriter& w, const TimeSeriesRow& r) { w.Int64(r.rejected); });
  column(w, "failed", s, [](DataWriter& w, const TimeSeriesRow& r) { w.Int64(r.failed); });
  column(w, "completed", s, [](DataWriter& w, const TimeSeriesRow& r) { w.Int64(r.completed); });
  column(w, "gauge_max", s,
         [](DataWriter& w, const TimeSeriesRow& r) { optional_int(w, r.gauge_max); });
  column(w, "lateness_p99_ms", s,
         [](DataWriter& w, const TimeSeriesRow& r) { optional_ms(w, r.lateness_p99); });
  column(w, "lateness_max_ms", s,
         [](DataWriter& w, const TimeSeriesRow& r) { optional_ms(w, r.lateness_max); });
  column(w, "ttfa_p95_ms", s,
         [](DataWriter& w, const TimeSeriesRow& r) { optional_ms(w, r.ttfa_p95); });
  column(w, "reply_latency_p95_ms", s,
         [](DataWriter& w, const TimeSeriesRow& r) { optional_ms(w, r.reply_latency_p95); });
  w.EndObject();
}

struct Step {
  TimePoint at;
  std::optional<int64_t> gauge;
  int64_t admitted = 0;
};

// Every moment the gauge or the admitted count changed, with both values then: the exact
// picture. Empty when there are more than kMaxPlotSteps (the page falls back to the rows).
std::vector<Step> plot_steps(const std::vector<CallRecord>& calls, const GaugeTimeline* gauge,
                             TimePoint origin, TimePoint end) {
  std::vector<const CallRecord*> pointers;
  for (const CallRecord& c : calls) pointers.push_back(&c);
  const AdmittedTimeline admitted(pointers);
  std::vector<TimePoint> times = {origin, end};
  for (const auto& s : admitted.steps()) times.push_back(s.at);
  if (gauge) {
    std::optional<int64_t> last;
    for (const auto& p : gauge->points()) {
      if (last != p.value) times.push_back(p.at);
      last = p.value;
    }
    if (!gauge->empty()) times.push_back(gauge->observed_until());
    for (const auto& b : gauge->blind()) {
      times.push_back(b.from);
      if (b.to != TimePoint::max()) times.push_back(b.to);
    }
  }
  std::sort(times.begin(), times.end());
  times.erase(std::unique(times.begin(), times.end()), times.end());
  if (times.size() > kMaxPlotSteps) return {};
  std::vector<Step> steps;
  const auto& changes = admitted.steps();
  size_t next = 0;
  int64_t live = 0;
  for (TimePoint t : times) {
    if (t < origin) continue;
    while (next < changes.size() && changes[next].at <= t) live += changes[next++].delta;
    Step step{t, std::nullopt, live};
    if (gauge && t <= gauge->observed_until()) {
      const GaugeTimeline::Blind* blind = gauge->blind_in(t, t);
      // The loss's own start was still seen; inside it nothing was.
      if (!blind || blind->from == t) step.gauge = gauge->value_at(t);
    }
    if (!steps.empty() && steps.back().gauge == step.gauge && steps.back().admitted == live &&
        t != end) {
      continue;
    }
    steps.push_back(step);
  }
  return steps;
}

void write_steps(DataWriter& w, const std::vector<Step>& steps, TimePoint origin) {
  w.StartObject();
  w.Key("t");
  w.StartArray();
  for (const Step& s : steps) w.Double(seconds(s.at - origin));
  w.EndArray();
  w.Key("gauge");
  w.StartArray();
  for (const Step& s : steps) optional_int(w, s.gauge);
  w.EndArray();
  w.Key("admitted");
  w.StartArray();
  for (const Step& s : steps) w.Int64(s.admitted);
  w.EndArray();
  string_field(w, "note", "Every change of the gauge and of the admitted calls, as stepped lines.");
  w.EndObject();
}

void write_histogram(DataWriter& w, const char* title, const LatencyHistogram& h) {
  w.StartObject();
  string_field(w, "title", title);
  w.Key("count");
  w.Uint64(h.count());
  w.Key("p50_ms");
  w.Double(h.percentile(50).count() / 1e6);
  w.Key("p99_ms");
  w.Double(h.percentile(99).count() / 1e6);
  std::vector<std::pair<double, uint64_t>> buckets;
  h.for_each_bucket(
      [&](Nanos, Nanos upper, uint64_t n) { buckets.emplace_back(upper.count() / 1e6, n); });
  w.Key("upper_ms");
  w.StartArray();
  for (const auto& b : buckets) w.Double(b.first);
  w.EndArray();
  w.Key("counts");
  w.StartArray();
  for (const auto& b : buckets) w.Uint64(b.second);
  w.EndArray();
  w.EndObject();
}

// The page's data, safe inside the page's <script>.
std::string page_data(const HtmlReportInput& in) {
  const RunSummary& run = *in.run;
  rapidjson::StringBuffer buffer;
  DataWriter w(buffer);
  w.StartObject();
  w.Key("cap");
  w.Int(in.series->cap);
  w.Key("has_gauge");
  w.Bool(in.series->has_gauge);
  w.Key("series");
  write_series(w, *in.series);
  std::vector<Step> steps = plot_steps(run.stats->calls, in.gauge, run.started,
                                       time_series_end(run.stats->calls, in.gauge, run.finished));
  w.Key("steps");
  if (steps.empty()) {
    w.Null();
  } else {
    write_steps(w, steps, run.started);
  }
  w.Key("histograms");
  w.StartArray();
  write_histogram(w, "Send lateness (frame sent minus its deadline)", run.stats->lateness);
  write_histogram(w, "Handshake (TCP connect to 101)", run.stats->handshake);
  write_histogram(w, "Time to the server's first message (after start)", run.stats->first_message);
  w.EndArray();
  w.EndObject();
  return json_for_script(std::string_view(buffer.GetString(), buffer.GetSize()));
}

std::string verdict_word(const std::string& verdict) {
  const auto space = verdict.find_first_of(" :");
  return verdict.substr(0, space);
}

std::string facts_table(const HtmlReportInput& in) {
  const RunSummary& run = *in.run;
  const RunStats& s = *run.stats;
  const Options* o = run.options;
  std::vector<std::pair<std::string, std::string>> rows;
  if (o) {
    rows.emplace_back(o->webhook_url.empty() ? "target" : "webhook",
                      o->webhook_url.empty() ? o->url : o->webhook_url);
  }
  std::string outcomes;
  for (size_t i = 1; i < s.outcomes.size(); ++i) {
    if (s.outcomes[i]) {
      outcomes += fmt::format("{}{} {}", outcomes.empty() ? "" : ", ",
                              to_string(static_cast<Outcome>(i)), s.outcomes[i]);
    }
  }
  rows.emplace_back("calls", fmt::format("{} in {:.1f} s{}: {}", s.calls.size(),
                                         seconds(run.finished - run.started),
                                         run.interrupted ? " (interrupted)"
                                         : run.timed_out ? " (--duration reached)"
                                                         : "",
                                         outcomes.empty() ? "none" : outcomes));
  rows.emplace_back("cap", fmt::format("{}", in.series->cap));
  rows.emplace_back("gauge", in.verification->gauge);
  if (o) {
    rows.emplace_back("load", fmt::format("--concurrent {}, --calls {}, --hold {:.1f} s, "
                                          "--bursts {}, {} threads",
                                          o->concurrent, o->total_calls(), seconds(run.hold),
                                          o->bursts, run.threads));
  }
  rows.emplace_back(
      "send lateness",
      fmt::format("p50 {:.2f} ms, p99 {:.2f} ms, max {:.2f} ms over {} frames",
                  s.lateness.percentile(50).count() / 1e6, s.lateness.percentile(99).count() / 1e6,
                  s.lateness.max().count() / 1e6, s.frames_sent));
  rows.emplace_back("seed", fmt::format("{}", run.seed));
  rows.emplace_back("exit code", fmt::format("{}", in.exit_code));
  if (run.invalid) rows.emplace_back("run invalid", run.invalid_reason);
  std::string out = "<table class=\"facts\">\n";
  for (const auto& [name, value] : rows) {
    out +=
        fmt::format("<tr><td>{}</td><td>{}</td></tr>\n", markup_escape(name), markup_escape(value));
  }
  return out + "</table>\n";
}

std::string checks_table(const Verification& v) {
  std::string out =
      "<table class=\"checks\">\n<tr><th>check</th><th>result</th><th>detail</th></tr>\n";
  for (const CheckResult& r : v.total) {
    const std::string verdict = to_string(r.verdict);
    std::string detail = markup_escape(r.summary);
    if (r.offense) {
      detail += fmt::format("<div class=\"offense\">first offence at {} (burst {}): {}</div>",
                            markup_escape(format_offset(v.origin, r.offense->at)),
                            r.offense->burst + 1, markup_escape(r.offense->what));
      if (!r.offense->call_sids.empty()) {
        std::string sids;
        for (const auto& sid : r.offense->call_sids) sids += (sids.empty() ? "" : ", ") + sid;
        if (r.offense->more_sids) sids += fmt::format(" (+{} more)", r.offense->more_sids);
        detail += fmt::format("<div class=\"sids\">calls: {}</div>", markup_escape(sids));
      }
    }
    for (const auto& warning : r.warnings) {
      detail += fmt::format("<div class=\"warning\">warning: {}</div>", markup_escape(warning));
    }
    out += fmt::format(
        "<tr><td class=\"check-name\">{}</td><td class=\"{}\">{}</td><td>{}</td></tr>\n",
        markup_escape(r.name), verdict, verdict, detail);
  }
  return out + "</table>\n";
}

}  // namespace

std::string render_html_report(const HtmlReportInput& in) {
  const Verification& v = *in.verification;
  const std::string word = verdict_word(v.verdict);
  std::string body = "<h1>callsim report</h1>\n";
  body += fmt::format("<div class=\"verdict {}\" id=\"verdict\">{}</div>\n", markup_escape(word),
                      markup_escape(word));
  body += fmt::format("<div class=\"verdict-line\">{}</div>\n", markup_escape(v.verdict_line));
  for (const auto& reason : v.incomplete) {
    body += fmt::format("<div class=\"warning\">{}</div>\n", markup_escape(reason));
  }
  body += "<h2>Run</h2>\n" + facts_table(in);
  body += fmt::format("<h2>Checks (cap {}, {} burst{})</h2>\n", v.cap, v.bursts.size(),
                      v.bursts.size() == 1 ? "" : "s");
  body += checks_table(v);
  body += "<h2>Over time</h2>\n";
  body += "<div class=\"plot\" id=\"plot-gauge\"></div>\n";
  body += "<div class=\"plot\" id=\"plot-calls\"></div>\n";
  body += "<div class=\"plot\" id=\"plot-lateness\"></div>\n";
  body += "<div class=\"plot\" id=\"plot-audio\"></div>\n";
  body += "<h2>Latency histograms</h2>\n<div id=\"histograms\"></div>\n";
  return self_contained_page("callsim: " + v.verdict, body, page_data(in));
}

void write_html_report(ReportFile& file, const HtmlReportInput& in) {
  const std::string page = render_html_report(in);
  std::fwrite(page.data(), 1, page.size(), file.stream());
  file.commit();
}

}  // namespace callsim
