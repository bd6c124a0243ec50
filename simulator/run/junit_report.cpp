#include "run/junit_report.h"

#include <fmt/format.h>

#include "core/markup_escape.h"

namespace callsim {

namespace {

struct Counts {
  int tests = 0;
  int failures = 0;
  int errors = 0;
  int skipped = 0;
  void add(const Counts& other) {
    tests += other.tests;
    failures += other.failures;
    errors += other.errors;
    skipped += other.skipped;
  }
};

std::string attribute(const char* name, const std::string& value) {
  return fmt::format(" {}=\"{}\"", name, markup_escape(value, true));
}

// The failure's body: the numbers, then the first offence and the calls involved, then warnings,
// as the verdict table prints them.
std::string failure_text(const CheckResult& r, TimePoint origin) {
  std::string text = r.summary;
  if (r.offense) {
    text +=
        fmt::format("\nfirst offence at {} (burst {}): {}", format_offset(origin, r.offense->at),
                    r.offense->burst + 1, r.offense->what);
    if (!r.offense->call_sids.empty()) {
      std::string sids;
      for (const auto& sid : r.offense->call_sids) sids += (sids.empty() ? "" : ", ") + sid;
      if (r.offense->more_sids) sids += fmt::format(" (+{} more)", r.offense->more_sids);
      text += "\ncalls: " + sids;
    }
  }
  for (const auto& warning : r.warnings) text += "\nwarning: " + warning;
  return text;
}

std::string check_case(const CheckResult& r, TimePoint origin, Counts& counts) {
  ++counts.tests;
  std::string out = "    <testcase" + attribute("name", r.name) +
                    attribute("classname", "callsim.checks") + " time=\"0\"";
  if (r.verdict == Verdict::kPass) return out + "/>\n";
  out += ">\n";
  if (r.verdict == Verdict::kFail) {
    ++counts.failures;
    std::string message = r.summary;
    if (r.offense) message += "; first offence: " + r.offense->what;
    out += "      <failure" + attribute("type", "FAIL") + attribute("message", message) + ">" +
           markup_escape(failure_text(r, origin)) + "</failure>\n";
  } else if (r.incomplete) {
    ++counts.errors;
    out += "      <error" + attribute("type", "INCOMPLETE") +
           attribute("message", "not judged: " + r.summary) + ">" +
           markup_escape(failure_text(r, origin)) + "</error>\n";
  } else {
    ++counts.skipped;
    out += "      <skipped" + attribute("message", r.summary) + "/>\n";
  }
  return out + "    </testcase>\n";
}

std::string verdict_case(const Verification& v, Counts& counts) {
  ++counts.tests;
  std::string out = "    <testcase" + attribute("name", "verdict") +
                    attribute("classname", "callsim.run") + " time=\"0\"";
  if (v.verdict == "PASS") return out + "/>\n";
  out += ">\n";
  std::string body = v.verdict_line;
  for (const auto& reason : v.incomplete) body += "\n" + reason;
  if (v.verdict == "FAIL") {
    ++counts.failures;
    out += "      <failure" + attribute("type", "FAIL") + attribute("message", v.verdict_line) +
           ">" + markup_escape(body) + "</failure>\n";
  } else {
    ++counts.errors;
    out += "      <error" + attribute("type", v.verdict) + attribute("message", v.verdict_line) +
           ">" + markup_escape(body) + "</error>\n";
  }
  return out + "    </testcase>\n";
}

std::string suite(const std::string& name, const std::string& cases, const Counts& c,
                  const JunitInput& input, const std::string& inner) {
  return "  <testsuite" + attribute("name", name) + fmt::format(" tests=\"{}\"", c.tests) +
         fmt::format(" failures=\"{}\" errors=\"{}\" skipped=\"{}\"", c.failures, c.errors,
                     c.skipped) +
         fmt::format(" time=\"{:.3f}\"", input.duration_seconds) +
         attribute("timestamp", input.timestamp) + ">\n" + inner + cases + "  </testsuite>\n";
}

}  // namespace

std::string render_junit_xml(const JunitInput& input) {
  const Verification& v = *input.verification;
  Counts run;
  std::string cases;
  for (const CheckResult& r : v.total) cases += check_case(r, v.origin, run);
  cases += verdict_case(v, run);
  std::string properties = "    <properties>\n";
  for (const auto& [name, value] : {std::pair<const char*, std::string>{"verdict", v.verdict},
                                    {"verdict_line", v.verdict_line},
                                    {"exit_code", std::to_string(input.exit_code)},
                                    {"cap", std::to_string(v.cap)},
                                    {"gauge", v.gauge},
                                    {"bursts", std::to_string(v.bursts.size())}}) {
    properties += "      <property" + attribute("name", name) + attribute("value", value) + "/>\n";
  }
  properties += "    </properties>\n";
  std::string system_out = "    <system-out>" + markup_escape(input.system_out) + "</system-out>\n";
  std::string suites = suite("callsim", cases, run, input, properties);
  // system-out belongs after the cases in the run's suite: insert it before its closing tag.
  suites.insert(suites.size() - std::string("  </testsuite>\n").size(), system_out);
  Counts all = run;
  if (v.bursts.size() > 1) {
    for (const auto& b : v.bursts) {
      Counts counts;
      std::string burst_cases;
      for (const CheckResult& r : b.checks) burst_cases += check_case(r, v.origin, counts);
      suites += suite(fmt::format("callsim burst {}", b.burst + 1), burst_cases, counts, input, "");
      all.add(counts);
    }
  }
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites" + attribute("name", "callsim") +
         fmt::format(
             " tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"{:.3f}\">\n",
             all.tests, all.failures, all.errors, all.skipped, input.duration_seconds) +
         suites + "</testsuites>\n";
}

}  // namespace callsim
