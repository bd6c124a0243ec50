// The HTML page as text, from synthetic runs: what a server sent is escaped, the data cannot end
// its <script>, and a run too busy to draw step by step falls back to the rows.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "headless_chromium.h"
#include "report_artifacts.h"
#include "run/html_report.h"

namespace callsim {
namespace {

using std::chrono::milliseconds;

struct Page {
  Options options;
  RunStats stats;
  RunSummary run;
  Verification verification;
  TimeSeries series;
  GaugeTimeline gauge;
  TimePoint t0 = TimePoint(std::chrono::seconds(1000));

  explicit Page(int calls) {
    for (int i = 0; i < calls; ++i) {
      CallRecord c;
      c.index = static_cast<uint64_t>(i);
      c.scheduled = c.connect_started = t0 + milliseconds(i);
      c.upgraded = t0 + milliseconds(i) + std::chrono::microseconds(500);
      c.ended = t0 + milliseconds(i + 5000);
      c.outcome = Outcome::kCompleted;
      stats.calls.push_back(c);
    }
    run.options = &options;
    run.stats = &stats;
    run.started = t0;
    run.finished = t0 + milliseconds(calls + 5000);
    CheckResult check;
    check.name = "no_leak";
    check.verdict = Verdict::kFail;
    check.summary = "close reason </script><img src=x onerror=alert(1)> & more";
    verification.total.push_back(check);
    verification.verdict = "FAIL";
    verification.verdict_line = "VERDICT: FAIL (no_leak)";
    verification.origin = t0;
    TimeSeriesInput in;
    in.calls = &stats.calls;
    in.lateness = &stats.lateness_over_time;
    in.cap = 50;
    in.origin = t0;
    in.end = run.finished;
    series = build_time_series(in);
  }

  std::string render() const {
    HtmlReportInput in;
    in.run = &run;
    in.verification = &verification;
    in.series = &series;
    in.exit_code = 1;
    return render_html_report(in);
  }
};

std::string data_of(const std::string& page) {
  const std::string open = "<script type=\"application/json\" id=\"callsim-data\">";
  const size_t from = page.find(open) + open.size();
  return page.substr(from, page.find("</script>", from) - from);
}

TEST(HtmlRender, WhatAServerSaidIsEscaped) {
  const std::string page = Page(3).render();
  EXPECT_EQ(page.find("<img"), std::string::npos);
  EXPECT_NE(page.find("close reason &lt;/script&gt;&lt;img src=x onerror=alert(1)&gt; &amp; more"),
            std::string::npos);
  EXPECT_NE(page.find("<td class=\"check-name\">no_leak</td><td class=\"FAIL\">FAIL</td>"),
            std::string::npos);
  EXPECT_EQ(data_of(page).find('<'), std::string::npos);
}

TEST(HtmlRender, EveryStepIsDrawnUpToTheLimit) {
  const std::string data = data_of(Page(100).render());
  // 100 admissions and 100 ends, the start and the end: every change is a point.
  EXPECT_NE(data.find("\"steps\":{\"t\":[0.0,"), std::string::npos) << data.substr(0, 400);
  EXPECT_NE(data.find("\"gauge\":[null,"), std::string::npos);
}

TEST(HtmlRender, ARunTooBusyToDrawStepByStepFallsBackToTheRows) {
  const std::string data = data_of(Page(static_cast<int>(kMaxPlotSteps / 2) + 1).render());
  EXPECT_NE(data.find("\"steps\":null"), std::string::npos);
  EXPECT_NE(data.find("\"admitted_live_max\":["), std::string::npos);
}

// The browser check can fail: a page whose script throws is caught, by the page itself
// (#render-status) and in Chromium's console log.
TEST(HtmlRender, APageWhoseScriptThrowsIsCaughtInTheBrowser) {
  std::string page = Page(3).render();
  const std::string call = "uPlot.paths.stepped(";
  const size_t at = page.rfind(call);
  ASSERT_NE(at, std::string::npos);
  page.replace(at, call.size(), "uPlot.paths.no_such_path(");
  const std::string broken = test::artifact("broken-script.html");
  std::ofstream(broken) << page;
  test::PageReading reading = test::load_page(broken);
  ASSERT_TRUE(reading.ran) << reading.log;
  EXPECT_EQ(reading.state, "error") << reading.render_status;
  EXPECT_NE(reading.render_status.find("no_such_path is not a function"), std::string::npos)
      << reading.render_status;
  ASSERT_FALSE(reading.console.empty()) << reading.log;
  EXPECT_NE(reading.console[0].find("Uncaught TypeError"), std::string::npos) << reading.console[0];
}

}  // namespace
}  // namespace callsim
