#include "verify/time_series.h"

#include <gtest/gtest.h>

#include "scenario.h"
#include "verify/time_series_csv.h"

namespace callsim {
namespace {

using namespace std::chrono_literals;
using test::ms;
using test::Scenario;

// Five calls and a gauge that briefly counts a rejected call, over 1.9 s (250 ms rows).
struct SmallRun {
  Scenario s;
  LatenessSeries lateness;
  GaugeTimeline gauge;

  SmallRun() {
    s.admit(0, ms(0), ms(100), ms(1100));                         // A: completed
    s.admit(0, ms(10), ms(300), ms(600), Outcome::kClosedEarly);  // B: failed after admission
    s.reject(0, ms(20), ms(260));                                 // C
    CallRecord& d = s.add(0, ms(500));                            // D: refused
    d.outcome = Outcome::kRefused;
    d.ended = s.t0 + ms(520);
    CallRecord& e = s.add(0, ms(1600));  // E: interrupted before its answer
    e.outcome = Outcome::kInterrupted;
    e.ended = s.t0 + ms(1800);
    s.event(ms(0), 0, EventOrigin::kSnapshot);
    s.event(ms(90), 1);
    s.event(ms(255), 2);  // C counted for a moment
    s.event(ms(256), 1);
    s.event(ms(290), 2);
    s.event(ms(610), 1);
    s.event(ms(1120), 0);
    s.sample(ms(1900), 0);
    gauge = GaugeTimeline::from_trace(s.trace);
    lateness.record(ms(100), ms(1));
    lateness.record(ms(200), ms(3));
    lateness.record(ms(300), ms(10));
  }

  TimeSeries series(bool with_gauge = true) const {
    TimeSeriesInput in;
    in.calls = &s.calls;
    in.gauge = with_gauge ? &gauge : nullptr;
    in.lateness = &lateness;
    in.cap = 1;
    in.origin = s.t0;
    in.end = time_series_end(s.calls, in.gauge, s.t0 + ms(1500));
    return build_time_series(in);
  }
};

TEST(TimeSeries, ExactRowsOfASyntheticRun) {
  SmallRun run;
  EXPECT_EQ(
      format_time_series_csv(run.series()),
      "from_ms,to_ms,started,admitted,rejected,failed,completed,connecting,admitted_live,"
      "admitted_live_max,cap,gauge,gauge_min,gauge_max,frames_sent,lateness_p99_ms,"
      "lateness_max_ms,greeted,ttfa_p95_ms,turns_replied,reply_latency_p95_ms,no_reply_turns\n"
      "0,250,3,1,0,0,0,2,1,1,1,1,0,1,2,3.000,3.000,0,,0,,0\n"
      "250,500,0,1,1,0,0,1,2,2,1,2,1,2,1,10.000,10.000,0,,0,,0\n"
      "500,750,1,0,0,2,0,0,1,2,1,1,1,2,0,,,0,,0,,0\n"
      "750,1000,0,0,0,0,0,0,1,1,1,1,1,1,0,,,0,,0,,0\n"
      "1000,1250,0,0,0,0,1,0,0,1,1,0,0,1,0,,,0,,0,,0\n"
      "1250,1500,0,0,0,0,0,0,0,0,1,0,0,0,0,,,0,,0,,0\n"
      "1500,1750,1,0,0,0,0,1,0,0,1,0,0,0,0,,,0,,0,,0\n"
      "1750,2000,0,0,0,0,0,0,0,0,1,0,0,0,0,,,0,,0,,0\n");
}

TEST(TimeSeries, WithoutAGaugeItsColumnsAreEmpty) {
  SmallRun run;
  TimeSeries series = run.series(false);
  EXPECT_FALSE(series.has_gauge);
  ASSERT_EQ(series.rows.size(), 8u);  // the calls' last end (1.8 s) still bounds the series
  const std::string csv = format_time_series_csv(series);
  const size_t second = csv.find('\n') + 1;
  EXPECT_EQ(csv.substr(second, csv.find('\n', second) - second),
            "0,250,3,1,0,0,0,2,1,1,1,,,,2,3.000,3.000,0,,0,,0");
}

TEST(TimeSeries, AnExcursionAboveTheCapShowsInTheRowMaxAlone) {
  SmallRun run;
  const TimeSeries series = run.series();  // a row of a temporary would dangle
  const TimeSeriesRow& row = series.rows[1];
  EXPECT_EQ(row.gauge, 2);
  EXPECT_EQ(row.gauge_max, 2);
  EXPECT_EQ(row.admitted_live_max, 2);
  EXPECT_GT(*row.gauge_max, series.cap);
}

TEST(TimeSeries, TheGaugeIsEmptyWhereItWasNotSeen) {
  Scenario s;
  s.trace.monitored = false;
  s.trace.exact = false;
  s.sample(ms(100), 3);
  s.sample(ms(400), 4);
  s.sample(ms(1400), 5);
  s.sample(ms(1550), 6);
  GaugeLoss loss;
  loss.what = "sampling";
  loss.at = s.t0 + ms(400);
  loss.how = "no sample succeeded for 1.0s";
  loss.back_at = s.t0 + ms(1400);
  s.trace.losses.push_back(loss);
  GaugeTimeline gauge = GaugeTimeline::from_trace(s.trace);
  TimeSeriesInput in;
  in.calls = &s.calls;
  in.gauge = &gauge;
  in.cap = 10;
  in.origin = s.t0;
  in.end = s.t0 + ms(1600);
  TimeSeries series = build_time_series(in);
  ASSERT_EQ(series.rows.size(), 7u);
  // Read 100 ms into the first row: its first reading stands for it.
  EXPECT_EQ(series.rows[0].gauge, 3);
  EXPECT_EQ(series.rows[0].gauge_min, 3);
  // Rows that overlap the loss [400 ms, 1400 ms] are not trusted, even for their seen part.
  for (size_t r = 1; r <= 5; ++r) EXPECT_EQ(series.rows[r].gauge, std::nullopt) << r;
  // The last row, [1500, 1750], was last read at 1550 ms.
  EXPECT_EQ(series.rows[6].gauge, 6);
  EXPECT_EQ(series.rows[6].gauge_min, 5);
  EXPECT_EQ(series.rows[6].gauge_max, 6);
  EXPECT_EQ(series.rows[0].lateness_p99, std::nullopt);
}

TEST(TimeSeries, IntervalIsAQuarterSecondForShortRunsAndBoundsTheRowCount) {
  EXPECT_EQ(time_series_interval(5s, 250ms), 250ms);
  EXPECT_EQ(time_series_interval(20s, 250ms), 250ms);
  EXPECT_EQ(time_series_interval(21s, 250ms), 1s);
  EXPECT_EQ(time_series_interval(1023s, 250ms), 1s);
  EXPECT_EQ(time_series_interval(1024s, 250ms), 2s);
  EXPECT_EQ(time_series_interval(5000s, 250ms), 8s);
  EXPECT_EQ(time_series_interval(5s, 500ms), 500ms);  // never finer than the lateness slots
}

TEST(TimeSeries, ARequestedIntervalIsKeptUnlessTheRunNeedsWiderRows) {
  EXPECT_EQ(time_series_interval(5s, 250ms, 500ms), 500ms);
  EXPECT_EQ(time_series_interval(30s, 250ms, 250ms), 250ms);  // no 1 s default for long runs
  EXPECT_EQ(time_series_interval(5s, 250ms, 750ms), 750ms);
  // Slots of 500 ms (a run past 256 s): 750 ms would cut one, so the next whole number of them.
  EXPECT_EQ(time_series_interval(300s, 500ms, 750ms), 1000ms);
  // 255.75 s / 250 ms = 1023: the last row holds the end, 1024 rows; one more slot doubles.
  EXPECT_EQ(time_series_interval(255750ms, 250ms, 250ms), 250ms);
  EXPECT_EQ(time_series_interval(256s, 250ms, 250ms), 500ms);
  EXPECT_EQ(time_series_interval(1000s, 250ms, 750ms), 1500ms);
}

}  // namespace
}  // namespace callsim
