#include "capacity_command.h"

#include <fmt/format.h>
#include <rapidjson/document.h>
#include <rapidjson/filewritestream.h>
#include <rapidjson/writer.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>

#include "core/capacity_search.h"
#include "core/errors.h"
#include "core/exit_codes.h"
#include "run/capacity_html.h"
#include "run/capacity_junit.h"
#include "run/report_file.h"
#include "run/run_command.h"

namespace callsim {
namespace {

// One threshold's value at one step, as the step's JSON report gave it.
struct ThresholdCell {
  std::string name;
  std::string verdict;  // PASS, FAIL, SKIP
  std::string text;     // "812.3ms", "0.5%", "3", "never", "-"
  std::string summary;
  double over = 0;  // value - limit, in the limit's unit (when measured)
  std::optional<double> value;
  double limit = 0;
  std::string unit;
};

struct StepRun {
  int exit_code = 0;
  std::string verdict_line;
  std::string invalid_reason;
  uint64_t rejected = 0;
  std::vector<ThresholdCell> thresholds;
  std::string report;  // the step's whole JSON report
  std::string junit;   // the step's JUnit XML (capacity --junit)
};

// Each step's report goes to a private directory and is read back: the JSON report is the
// versioned interface of a run, and the capacity report embeds it whole.
class StepDirectory {
 public:
  StepDirectory() {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/callsim-capacity-XXXXXX";
    if (!::mkdtemp(pattern.data())) {
      throw InputError(
          fmt::format("capacity: cannot create a directory for the steps' reports "
                      "under {} (TMPDIR)",
                      tmp && *tmp ? tmp : "/tmp"));
    }
    path_ = pattern;
  }
  ~StepDirectory() { ::rmdir(path_.c_str()); }
  std::string file(int step) const { return fmt::format("{}/step-{}.json", path_, step); }
  std::string junit_file(int step) const { return fmt::format("{}/step-{}.xml", path_, step); }

 private:
  std::string path_;
};

std::string read_whole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string value_text(const rapidjson::Value& t) {
  if (t["never"].GetBool()) return "never";
  if (t["value"].IsNull()) return "-";
  const double v = t["value"].GetDouble();
  const std::string unit = t["unit"].GetString();
  if (unit == "ms") return fmt::format("{:.1f}ms", v);
  if (unit == "%") return fmt::format("{:.3g}%", v);
  return fmt::format("{:.0f}", v);
}

StepRun run_step(const Options& base, const CapacityArgs& args, int concurrent,
                 const std::string& report_path, const std::string& junit_path) {
  Options o = base;
  o.concurrent = concurrent;
  o.calls = 0;
  if (!args.step_hold_text.empty()) o.hold = parse_duration(args.step_hold_text);
  o.report_path = report_path;
  o.junit_path = junit_path;
  o.silent = true;
  o.progress = Options::Progress::kOff;
  StepRun step;
  step.exit_code = run_command(o);
  step.report = read_whole(report_path);
  std::remove(report_path.c_str());
  if (!junit_path.empty()) {
    step.junit = read_whole(junit_path);
    std::remove(junit_path.c_str());
  }
  rapidjson::Document doc;
  doc.Parse(step.report.c_str());
  if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("verification")) {
    throw std::runtime_error(
        fmt::format("capacity: the report of the {}-call step is unreadable", concurrent));
  }
  step.verdict_line = doc["verification"]["verdict_line"].GetString();
  if (doc.HasMember("invalid_reason")) step.invalid_reason = doc["invalid_reason"].GetString();
  step.rejected = doc["outcomes"]["rejected"].GetUint64();
  for (const auto& check : doc["verification"]["checks"].GetArray()) {
    if (!check.HasMember("threshold")) continue;
    const auto& t = check["threshold"];
    ThresholdCell cell;
    cell.name = check["name"].GetString();
    cell.verdict = check["verdict"].GetString();
    cell.summary = check["summary"].GetString();
    cell.text = value_text(t);
    cell.unit = t["unit"].GetString();
    cell.limit = t["limit"].GetDouble();
    if (t["value"].IsNumber() && !t["never"].GetBool()) cell.value = t["value"].GetDouble();
    if (t["value"].IsNumber()) cell.over = t["value"].GetDouble() - cell.limit;
    step.thresholds.push_back(cell);
  }
  return step;
}

CapacityStep classify(const StepRun& run, int concurrent) {
  CapacityStep step;
  step.concurrent = concurrent;
  if (run.exit_code == kExitInterrupted) {
    step.result = CapacityStep::Result::kInterrupted;
    step.reason = "interrupted";
  } else if (run.exit_code == kExitInvalidRun) {
    step.result = CapacityStep::Result::kGeneratorLimit;
    step.reason = run.invalid_reason;
  } else if (run.rejected > 0) {
    step.result = CapacityStep::Result::kRejected;
    step.reason = fmt::format("the server turned {} of {} calls away", run.rejected, concurrent);
  } else if (run.exit_code != kExitPass) {
    step.result = CapacityStep::Result::kFailed;
    step.reason = run.verdict_line;
    for (const auto& t : run.thresholds) {
      if (t.verdict != "FAIL") continue;
      step.result = CapacityStep::Result::kBreached;
      step.reason = fmt::format("{} broke: {}", t.name, t.summary);
      if (t.text != "never") {
        step.reason += t.unit == "ms"  ? fmt::format(" ({:+.1f}ms beyond the limit)", t.over)
                       : t.unit == "%" ? fmt::format(" ({:+.3g} points beyond the limit)", t.over)
                                       : fmt::format(" ({:+.0f} beyond the limit)", t.over);
      }
      break;
    }
  }
  return step;
}

std::string step_row(const StepRun& run, const CapacityStep& step,
                     const std::vector<size_t>& widths) {
  std::string row = fmt::format("{:>6}  {:<15}", step.concurrent, to_string(step.result));
  for (size_t i = 0; i < run.thresholds.size() && i < widths.size(); ++i) {
    const ThresholdCell& t = run.thresholds[i];
    const std::string cell = t.text + (t.verdict == "FAIL"   ? " X"
                                       : t.verdict == "SKIP" ? " ?"
                                                             : "");
    row += fmt::format("  {:<{}}", cell, widths[i]);
  }
  return row + "\n";
}

std::string answer(const CapacitySearch& search, int cap) {
  const std::optional<int> found = search.capacity();
  const CapacityStep* unmet = search.first_unmet();
  if (!unmet) {
    return fmt::format("CAPACITY: at least {} calls: every step up to --max met every threshold",
                       *found);
  }
  if (!found) {
    return fmt::format("CAPACITY: none: the first step ({} calls) was not met: {}",
                       unmet->concurrent, unmet->reason);
  }
  switch (unmet->result) {
    case CapacityStep::Result::kRejected:
      return fmt::format("CAPACITY: {} calls, limited by the cap at {} (at {} calls {})", *found,
                         cap, unmet->concurrent, unmet->reason);
    case CapacityStep::Result::kGeneratorLimit:
      return fmt::format(
          "CAPACITY: at least {} calls; unknown beyond: the generator is the limit at {} ({})",
          *found, unmet->concurrent, unmet->reason);
    default:
      return fmt::format("CAPACITY: {} calls met every threshold; at {} {}", *found,
                         unmet->concurrent, unmet->reason);
  }
}

int exit_code_of(const CapacitySearch& search, const CapacityArgs& args) {
  const CapacityStep* unmet = search.first_unmet();
  if (!search.steps().empty() &&
      search.steps().back().result == CapacityStep::Result::kInterrupted) {
    return kExitInterrupted;
  }
  const int wanted = std::max(args.expect, 1);
  if (search.capacity() && *search.capacity() >= wanted) return kExitPass;
  if (unmet && unmet->result == CapacityStep::Result::kGeneratorLimit) return kExitInvalidRun;
  return kExitCheckFailed;
}

void write_capacity_report(ReportFile& file, const CapacitySearch& search,
                           const std::vector<StepRun>& runs, const CapacityArgs& args,
                           const std::string& line, int exit_code) {
  char buffer[65536];
  rapidjson::FileWriteStream stream(file.stream(), buffer, sizeof buffer);
  rapidjson::Writer<rapidjson::FileWriteStream> w(stream);
  w.StartObject();
  w.Key("schema_version");
  w.Int(1);
  w.Key("kind");
  w.String("capacity");
  w.Key("from");
  w.Int(args.from);
  w.Key("step");
  w.Int(args.step);
  w.Key("max");
  w.Int(args.max);
  w.Key("refine");
  w.Bool(args.refine);
  w.Key("expect");
  w.Int(args.expect);
  w.Key("capacity");
  if (search.capacity()) {
    w.Int(*search.capacity());
  } else {
    w.Null();
  }
  const CapacityStep* unmet = search.first_unmet();
  w.Key("stopped_by");
  w.String(unmet ? to_string(unmet->result) : "max");
  w.Key("stopped_at");
  if (unmet) {
    w.Int(unmet->concurrent);
  } else {
    w.Null();
  }
  w.Key("answer");
  w.String(line.c_str());
  w.Key("exit_code");
  w.Int(exit_code);
  w.Key("steps");
  w.StartArray();
  for (size_t i = 0; i < runs.size(); ++i) {
    const CapacityStep& step = search.steps()[i];
    w.StartObject();
    w.Key("concurrent");
    w.Int(step.concurrent);
    w.Key("result");
    w.String(to_string(step.result));
    w.Key("reason");
    w.String(step.reason.c_str());
    w.Key("exit_code");
    w.Int(runs[i].exit_code);
    w.Key("report");
    w.RawValue(runs[i].report.c_str(), runs[i].report.size(), rapidjson::kObjectType);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  stream.Flush();
  std::fputc('\n', file.stream());
  file.commit();
}

void validate(const Options& o, const CapacityArgs& a) {
  if (a.from < 1) throw InputError("capacity: --from must be at least 1");
  if (a.step < 1) throw InputError("capacity: --step must be at least 1");
  if (a.max < a.from) {
    throw InputError(fmt::format("capacity: --max {} is below --from {}", a.max, a.from));
  }
  if (!a.step_hold_text.empty()) {
    try {
      if (parse_duration(a.step_hold_text).count() <= 0) throw InputError("must be positive");
    } catch (const InputError& e) {
      throw InputError(fmt::format("capacity: --step-hold '{}': {}", a.step_hold_text, e.what()));
    }
  }
  if (o.rate > 0) throw InputError("capacity: steps --concurrent (closed model); drop --rate");
  if (!o.record_dir.empty()) {
    throw InputError("capacity: --record is per run; record a step's load with callsim run");
  }
  for (const auto& [flag, path] : {std::pair<const char*, const std::string*>{"--csv", &o.csv_path},
                                   {"--csv-calls", &o.csv_calls_path}}) {
    if (!path->empty()) {
      throw InputError(fmt::format(
          "capacity: {} is per run; each step's whole JSON report is in capacity's --report "
          "(--junit has a test suite per step, --html a plot per threshold)",
          flag));
    }
  }
}

}  // namespace

CLI::App* add_capacity_subcommand(CLI::App& app, CapacityArgs& args) {
  CLI::App* capacity = app.add_subcommand(
      "capacity",
      "Step the load up, one whole run per step, and report the most concurrent calls that met "
      "every threshold (--threshold/--slo; default --slo voice)");
  capacity->fallthrough();
  capacity->add_option("--from", args.from, "Concurrent calls of the first step")
      ->capture_default_str();
  capacity->add_option("--step", args.step, "Calls added per step")->capture_default_str();
  capacity->add_option("--max", args.max, "The last step")->capture_default_str();
  capacity
      ->add_option("--step-hold", args.step_hold_text,
                   "Each call's --hold in every step (default: the run's --hold)")
      ->type_name("DURATION");
  capacity->add_flag("--refine", args.refine,
                     "Bisect between the last step met and the first not met, to one call");
  capacity->add_option("--expect", args.expect,
                       "Exit 1 unless the capacity found is at least this (default: any)");
  capacity->footer(
      "\nEvery run flag applies to each step (callsim --help). Exit codes: 0 a capacity at or "
      "above --expect was found, 1 below it or none, 2 usage, 3 unreachable, 4 the generator fell "
      "behind before --expect was reached, 130 interrupted.\n");
  return capacity;
}

int capacity_command(const Options& run_options, const CapacityArgs& args) {
  Options base = run_options;
  validate(base, args);
  if (thresholds_of(base).empty()) base.slo = "voice";
  validate(base);
  std::optional<ReportFile> report, junit, html;
  if (!base.report_path.empty()) report.emplace(base.report_path);
  if (!base.junit_path.empty()) junit.emplace(base.junit_path, "--junit");
  if (!base.html_path.empty()) html.emplace(base.html_path, "--html");
  std::FILE* human = base.report_path == "-" || base.junit_path == "-" ? stderr : stdout;

  std::string header = fmt::format("{:>6}  {:<15}", "CALLS", "RESULT");
  std::vector<size_t> widths;
  for (const Threshold& t : thresholds_of(base)) {
    widths.push_back(std::max<size_t>(t.expression.size(), 9));
    header += fmt::format("  {:<{}}", t.expression, widths.back());
  }
  std::fprintf(human, "capacity: from %d calls by %d to %d%s\n%s\n", args.from, args.step, args.max,
               args.refine ? ", refined to one call" : "", header.c_str());
  std::fflush(human);

  StepDirectory directory;
  // --html and --junit are capacity's own; each step writes only the JSON report it reads back.
  Options step_options = base;
  step_options.html_path.clear();
  step_options.junit_path.clear();
  CapacitySearch search({args.from, args.step, args.max, args.refine, base.cap});
  std::vector<StepRun> runs;
  while (const std::optional<int> concurrent = search.next()) {
    const int number = static_cast<int>(runs.size()) + 1;
    StepRun run = run_step(step_options, args, *concurrent, directory.file(number),
                           junit ? directory.junit_file(number) : std::string());
    if (run.exit_code == kExitUnreachable) {
      std::fprintf(stderr, "callsim: capacity: the %d-call step: %s\n", *concurrent,
                   run.verdict_line.c_str());
      return kExitUnreachable;
    }
    const CapacityStep step = classify(run, *concurrent);
    search.record(step);
    std::fputs(step_row(run, step, widths).c_str(), human);
    std::fflush(human);
    runs.push_back(std::move(run));
  }
  const std::string line = answer(search, base.cap);
  const int exit_code = exit_code_of(search, args);
  std::fprintf(human, "%s\n", line.c_str());
  if (report) write_capacity_report(*report, search, runs, args, line, exit_code);
  if (html) {
    CapacityHtmlInput page;
    page.answer = line;
    page.capacity = search.capacity();
    if (const CapacityStep* unmet = search.first_unmet()) page.stopped_at = unmet->concurrent;
    page.exit_code = exit_code;
    for (size_t i = 0; i < runs.size(); ++i) {
      const CapacityStep& step = search.steps()[i];
      CapacityHtmlStep row{step.concurrent, to_string(step.result), step.reason, {}};
      for (const ThresholdCell& t : runs[i].thresholds) {
        row.thresholds.push_back({t.name, t.verdict, t.text, t.value, t.limit, t.unit});
      }
      page.steps.push_back(std::move(row));
    }
    write_capacity_html(*html, page);
  }
  if (junit) {
    std::vector<CapacityJunitStep> steps;
    for (size_t i = 0; i < runs.size(); ++i) {
      steps.push_back({search.steps()[i].concurrent, runs[i].junit});
    }
    const std::string xml = merge_capacity_junit(steps);
    std::fwrite(xml.data(), 1, xml.size(), junit->stream());
    junit->commit();
  }
  return exit_code;
}

}  // namespace callsim
