#pragma once

#include <optional>
#include <string>
#include <vector>

#include "run/report_file.h"

namespace callsim {

// `callsim capacity --html`: the answer, a table of the steps and, per threshold, its value
// against the concurrency with the limit and the knee (the capacity found, the first step not
// met) marked, drawn by the embedded uPlot like the run report's plots.
struct CapacityHtmlThreshold {
  std::string expression;
  std::string verdict;          // PASS, FAIL, SKIP
  std::string text;             // as the table shows it: "812.3ms", "never", "-"
  std::optional<double> value;  // in `unit`; unset when never or unmeasured
  double limit = 0;
  std::string unit;
};

struct CapacityHtmlStep {
  int concurrent = 0;
  std::string result;  // "met", "breached", ...
  std::string reason;
  std::vector<CapacityHtmlThreshold> thresholds;  // in the order of the --threshold/--slo list
};

struct CapacityHtmlInput {
  std::string answer;  // the CAPACITY: line
  std::optional<int> capacity;
  std::optional<int> stopped_at;
  int exit_code = 0;
  std::vector<CapacityHtmlStep> steps;  // in the order run
};

std::string render_capacity_html(const CapacityHtmlInput& in);
void write_capacity_html(ReportFile& file, const CapacityHtmlInput& in);

}  // namespace callsim
