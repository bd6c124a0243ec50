#include "capacity_html.h"

#include <fmt/format.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>

#include "core/markup_escape.h"
#include "run/html_page.h"

namespace callsim {

namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void optional_int(Writer& w, const std::optional<int>& v) {
  if (v) {
    w.Int(*v);
  } else {
    w.Null();
  }
}

// The steps by concurrency (a --refine bisection runs them out of order), and per threshold its
// values split by whether their step was met (every threshold and cap check), so the plot shows
// where they part; the table says which threshold or check broke.
std::string page_data(const CapacityHtmlInput& in, const std::vector<CapacityHtmlStep>& steps) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  w.Key("kind");
  w.String("capacity");
  w.Key("capacity");
  optional_int(w, in.capacity);
  w.Key("stopped_at");
  optional_int(w, in.stopped_at);
  w.Key("concurrent");
  w.StartArray();
  for (const auto& s : steps) w.Int(s.concurrent);
  w.EndArray();
  w.Key("thresholds");
  w.StartArray();
  const size_t count = steps.empty() ? 0 : steps.front().thresholds.size();
  for (size_t t = 0; t < count; ++t) {
    const CapacityHtmlThreshold& first = steps.front().thresholds[t];
    w.StartObject();
    w.Key("expression");
    w.String(first.expression.c_str());
    w.Key("unit");
    w.String(first.unit.c_str());
    w.Key("limit");
    w.Double(first.limit);
    for (const bool met : {true, false}) {
      w.Key(met ? "met" : "not_met");
      w.StartArray();
      for (const auto& s : steps) {
        const CapacityHtmlThreshold* cell = t < s.thresholds.size() ? &s.thresholds[t] : nullptr;
        if (cell && cell->value && (s.result == "met") == met) {
          w.Double(*cell->value);
        } else {
          w.Null();
        }
      }
      w.EndArray();
    }
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return json_for_script(std::string_view(buffer.GetString(), buffer.GetSize()));
}

std::string steps_table(const std::vector<CapacityHtmlStep>& steps) {
  std::string out = "<table class=\"checks\">\n<tr><th>calls</th><th>result</th>";
  if (!steps.empty()) {
    for (const auto& t : steps.front().thresholds) {
      out += "<th>" + markup_escape(t.expression) + "</th>";
    }
  }
  out += "<th>why</th></tr>\n";
  for (const auto& s : steps) {
    const char* word = s.result == "met" ? "PASS" : "FAIL";
    out += fmt::format("<tr><td>{}</td><td class=\"{}\">{}</td>", s.concurrent, word,
                       markup_escape(s.result));
    for (const auto& t : s.thresholds) {
      out +=
          fmt::format("<td class=\"{}\">{}</td>", markup_escape(t.verdict), markup_escape(t.text));
    }
    out += "<td>" + markup_escape(s.reason) + "</td></tr>\n";
  }
  return out + "</table>\n";
}

}  // namespace

std::string render_capacity_html(const CapacityHtmlInput& in) {
  std::vector<CapacityHtmlStep> by_calls = in.steps;
  std::stable_sort(by_calls.begin(), by_calls.end(),
                   [](const auto& a, const auto& b) { return a.concurrent < b.concurrent; });
  const char* word = in.exit_code == 0 ? "PASS" : "FAIL";
  std::string body = "<h1>callsim capacity</h1>\n";
  body += fmt::format("<div class=\"verdict {}\" id=\"verdict\">{}</div>\n", word,
                      in.capacity ? fmt::format("{} calls", *in.capacity) : "none");
  body +=
      fmt::format("<div class=\"verdict-line\" id=\"answer\">{}</div>\n", markup_escape(in.answer));
  body += "<h2>Steps</h2>\n" + steps_table(in.steps);
  body += "<h2>Each threshold against the concurrency</h2>\n<div id=\"capacity-plots\"></div>\n";
  return self_contained_page("callsim capacity", body, page_data(in, by_calls));
}

void write_capacity_html(ReportFile& file, const CapacityHtmlInput& in) {
  const std::string page = render_capacity_html(in);
  std::fwrite(page.data(), 1, page.size(), file.stream());
  file.commit();
}

}  // namespace callsim
