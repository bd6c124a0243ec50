#pragma once

#include <string>

#include "run/report_file.h"
#include "run/run_report.h"
#include "verify/time_series.h"
#include "verify/timelines.h"
#include "verify/verifier.h"

namespace callsim {

// What the HTML report (--html) shows: the run, its verdict and checks, and the time series.
struct HtmlReportInput {
  const RunSummary* run = nullptr;
  const Verification* verification = nullptr;
  const TimeSeries* series = nullptr;
  const GaugeTimeline* gauge = nullptr;  // null: --gauge none
  int exit_code = 0;
};

// The gauge plot draws every change of the gauge and of the admitted calls up to this many
// points; beyond, it draws the time series' per-interval maxima.
constexpr size_t kMaxPlotSteps = 20000;

// One self-contained page: the verdict, the run's facts and the checks table as HTML, then the
// plots (gauge vs admitted calls vs cap, calls, send lateness, time to first audio and reply
// latency, latency histograms) drawn by the
// embedded uPlot from the run's data embedded as JSON. Needs no network to view.
std::string render_html_report(const HtmlReportInput& in);

// Writes it and commits the file (InputError naming --html when it cannot be written).
void write_html_report(ReportFile& file, const HtmlReportInput& in);

}  // namespace callsim
