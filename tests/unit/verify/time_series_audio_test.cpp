// What the callers heard, per row of the time series: exact p95s, the rows of turns given up on,
// and unset rows where nothing was heard.
#include "verify/time_series_audio.h"

#include <gtest/gtest.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "scenario.h"
#include "verify/time_series_csv.h"
#include "verify/time_series_json.h"

namespace callsim {
namespace {

using namespace std::chrono_literals;
using test::ms;
using test::Scenario;

struct HeardRun {
  Scenario s;

  CallRecord& call(Nanos start_sent, std::optional<Nanos> ttfa) {
    CallRecord& c = s.admit(0, start_sent - ms(50), start_sent - ms(10), ms(2800));
    c.start_sent = s.t0 + start_sent;
    if (ttfa) {
      c.audio.greeted = true;
      c.audio.time_to_first_audio = *ttfa;
    }
    return c;
  }
  void replied(CallRecord& c, Nanos caller_end, Nanos bot_start) {
    TurnRecord t;
    t.caller_end = s.t0 + caller_end;
    t.bot_start = s.t0 + bot_start;
    t.latency = bot_start - caller_end;
    t.replied = true;
    c.audio.turns.push_back(t);
  }
  void unanswered(CallRecord& c, Nanos caller_end, bool overlapped = false) {
    TurnRecord t;
    t.caller_end = s.t0 + caller_end;
    t.overlapped = overlapped;
    c.audio.turns.push_back(t);
  }

  // 250 ms rows over [0, 3000 ms]: 13 of them; the reply timeout is 1 s.
  HeardRun() {
    CallRecord& a = call(ms(100), ms(300));        // greeted at 400 ms: row 1
    replied(a, ms(1000), ms(1600));                // 600 ms, row 6
    unanswered(a, ms(2000));                       // given up at 3000 ms: row 12
    CallRecord& b = call(ms(120), ms(350));        // greeted at 470 ms: row 1
    replied(b, ms(1100), ms(1650));                // 550 ms, row 6
    unanswered(b, ms(1200), /*overlapped=*/true);  // no latency, in no count
    CallRecord& c = call(ms(130), ms(900));        // greeted at 1030 ms: row 4
    unanswered(c, ms(1500));                       // given up at 2500 ms: row 10
    unanswered(c, ms(2600));  // 3600 ms is after the series: the call ended first; last row
    CallRecord& d = call(ms(140), std::nullopt);  // never greeted
    replied(d, ms(600), ms(700));                 // 100 ms, row 2
    // Greeted without a start sent (cannot happen): no time to first audio to place.
    CallRecord& e = s.add(0, ms(0));
    e.audio.greeted = true;
    e.audio.time_to_first_audio = ms(5);
  }

  TimeSeries series(Nanos interval = Nanos(0)) const {
    TimeSeriesInput in;
    in.calls = &s.calls;
    in.cap = 5;
    in.origin = s.t0;
    in.end = s.t0 + ms(3000);
    in.reply_timeout = 1s;
    in.interval = interval;
    return build_time_series(in);
  }
};

TEST(TimeSeriesAudio, ExactPerRowValuesAndUnsetRowsWithout) {
  HeardRun run;
  const TimeSeries series = run.series();
  ASSERT_EQ(series.interval, 250ms);
  ASSERT_EQ(series.rows.size(), 13u);
  struct Want {
    uint64_t greeted;
    std::optional<Nanos> ttfa;
    uint64_t replied;
    std::optional<Nanos> latency;
    uint64_t no_reply;
  };
  std::vector<Want> want(13, Want{0, std::nullopt, 0, std::nullopt, 0});
  want[1] = {2, ms(350), 0, std::nullopt, 0};  // nearest rank of 2 values: the 2nd
  want[2] = {0, std::nullopt, 1, ms(100), 0};
  want[4] = {1, ms(900), 0, std::nullopt, 0};
  want[6] = {0, std::nullopt, 2, ms(600), 0};
  want[10] = {0, std::nullopt, 0, std::nullopt, 1};
  want[12] = {0, std::nullopt, 0, std::nullopt, 2};
  for (size_t r = 0; r < want.size(); ++r) {
    const TimeSeriesRow& row = series.rows[r];
    EXPECT_EQ(row.greeted, want[r].greeted) << "row " << r;
    EXPECT_EQ(row.ttfa_p95, want[r].ttfa) << "row " << r;
    EXPECT_EQ(row.turns_replied, want[r].replied) << "row " << r;
    EXPECT_EQ(row.reply_latency_p95, want[r].latency) << "row " << r;
    EXPECT_EQ(row.no_reply_turns, want[r].no_reply) << "row " << r;
  }
}

TEST(TimeSeriesAudio, TheReplyTimeoutPlacesAnUnansweredTurn) {
  HeardRun run;
  TimeSeriesInput in;
  in.calls = &run.s.calls;
  in.origin = run.s.t0;
  in.end = run.s.t0 + ms(3000);
  in.reply_timeout = 400ms;  // c's first turn: 1500 + 400 ms, row 7; a's second: 2400 ms, row 9
  const TimeSeries series = build_time_series(in);
  EXPECT_EQ(series.rows[7].no_reply_turns, 1u);
  EXPECT_EQ(series.rows[9].no_reply_turns, 1u);
  EXPECT_EQ(series.rows[10].no_reply_turns, 0u);
  EXPECT_EQ(series.rows[12].no_reply_turns, 1u);  // c's second, 3000 ms: the last row itself
}

TEST(TimeSeriesAudio, ARequestedIntervalIsTheRowWidth) {
  HeardRun run;
  const TimeSeries series = run.series(500ms);
  EXPECT_EQ(series.interval, 500ms);
  EXPECT_EQ(series.requested_interval, 500ms);
  ASSERT_EQ(series.rows.size(), 7u);
  EXPECT_EQ(series.rows[1].to, 1000ms);
  // [0, 500 ms): a's and b's greetings.
  EXPECT_EQ(series.rows[0].greeted, 2u);
  EXPECT_EQ(series.rows[0].ttfa_p95, ms(350));
  EXPECT_EQ(series.rows[3].turns_replied, 2u);  // [1500, 2000)
  EXPECT_EQ(series.rows[3].reply_latency_p95, ms(600));
  EXPECT_EQ(series.rows[6].no_reply_turns, 2u);
}

TEST(TimeSeriesAudio, NearestRankP95OverTheExactValues) {
  std::vector<Nanos> none;
  EXPECT_EQ(nearest_rank(none, 95), std::nullopt);
  std::vector<Nanos> one = {ms(7)};
  EXPECT_EQ(nearest_rank(one, 95), ms(7));
  std::vector<Nanos> twenty, twenty_one;
  for (int i = 20; i >= 1; --i) twenty.push_back(ms(i));  // descending: nth_element must sort
  EXPECT_EQ(nearest_rank(twenty, 95), ms(19));            // ceil(0.95 * 20) = 19th
  for (int i = 1; i <= 21; ++i) twenty_one.push_back(ms(i));
  EXPECT_EQ(nearest_rank(twenty_one, 95), ms(20));  // ceil(19.95) = 20th
  EXPECT_EQ(nearest_rank(twenty_one, 100), ms(21));
}

TEST(TimeSeriesAudio, CsvEndsWithTheHeardColumns) {
  HeardRun run;
  const std::string csv = format_time_series_csv(run.series());
  const std::string header = csv.substr(0, csv.find('\n'));
  EXPECT_EQ(header.substr(header.find(",lateness_max_ms,")),
            ",lateness_max_ms,greeted,ttfa_p95_ms,turns_replied,reply_latency_p95_ms,"
            "no_reply_turns");
  // The heard columns of a row: what follows its 17th field.
  auto heard = [&csv](const std::string& from_to) {
    const size_t at = csv.find("\n" + from_to + ",");
    if (at == std::string::npos) return std::string("(no row)");
    const std::string line = csv.substr(at + 1, csv.find('\n', at + 1) - at - 1);
    size_t field = 0;
    for (int commas = 0; commas < 17; ++commas) field = line.find(',', field) + 1;
    return line.substr(field);
  };
  EXPECT_EQ(heard("0,250"), "0,,0,,0") << csv;
  EXPECT_EQ(heard("250,500"), "2,350.000,0,,0") << csv;
  EXPECT_EQ(heard("500,750"), "0,,1,100.000,0") << csv;
  EXPECT_EQ(heard("1500,1750"), "0,,2,600.000,0") << csv;
  EXPECT_EQ(heard("3000,3250"), "0,,0,,2") << csv;
}

TEST(TimeSeriesAudio, JsonRowsAreNamedWithNullForUnset) {
  HeardRun run;
  const TimeSeries series = run.series(500ms);
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  write_time_series_json(w, series);
  const std::string json = buffer.GetString();
  const std::string start =
      "{\"interval_ms\":500.0,\"requested_interval_ms\":500.0,\"cap\":5,\"has_gauge\":false,"
      "\"rows\":[{\"from_ms\":0.0,\"to_ms\":500.0,\"started\":5,";
  EXPECT_EQ(json.substr(0, start.size()), start);
  EXPECT_NE(json.find("\"greeted\":2,\"ttfa_p95_ms\":350.0,\"turns_replied\":0,"
                      "\"reply_latency_p95_ms\":null,\"no_reply_turns\":0}"),
            std::string::npos)
      << json;
  EXPECT_NE(json.find("\"gauge\":null,\"gauge_min\":null,\"gauge_max\":null"), std::string::npos);

  const TimeSeries automatic = run.series();
  rapidjson::StringBuffer buffer2;
  rapidjson::Writer<rapidjson::StringBuffer> w2(buffer2);
  write_time_series_json(w2, automatic);
  const std::string automatic_start = "{\"interval_ms\":250.0,\"requested_interval_ms\":null,";
  EXPECT_EQ(std::string(buffer2.GetString()).substr(0, automatic_start.size()), automatic_start);
}

}  // namespace
}  // namespace callsim
