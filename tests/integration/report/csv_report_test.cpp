// --csv on a real run against callsim-bot: the rows add up to exactly what the run did.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <string>

#include "report_artifacts.h"
#include "verdict_run.h"
#include "verify/time_series_csv.h"

namespace callsim::test {
namespace {

TEST(CsvReport, TheRowsOfARealRunAddUpToItsCalls) {
  const std::string csv = artifact("correct-server.csv");
  std::remove(csv.c_str());
  std::vector<std::string> args = burst_args(1, "1s");
  args.insert(args.end(), {"--csv", csv});
  VerdictRun run = run_callsim_against_bot({"--admission", "lua"}, args);
  ASSERT_EQ(run.exit_code, 0) << run.describe();
  const std::string text = slurp(csv);
  Csv rows = Csv::parse(text);
  EXPECT_EQ(rows.header, kTimeSeriesCsvHeader);
  ASSERT_GE(rows.rows.size(), 4u) << text;  // a run of over a second, in 250 ms rows
  for (size_t r = 0; r < rows.rows.size(); ++r) {
    const auto& row = rows.rows[r];
    EXPECT_EQ(row.at("#fields"), "22") << text;
    EXPECT_EQ(row.at("from_ms"), std::to_string(250 * r)) << text;
    EXPECT_EQ(row.at("to_ms"), std::to_string(250 * (r + 1))) << text;
    EXPECT_EQ(row.at("cap"), "50");
    // The correct server never counts past its cap, nor lets more than the cap in.
    EXPECT_LE(std::stol(row.at("gauge_max")), 50) << text;
    EXPECT_LE(std::stol(row.at("admitted_live_max")), 50) << text;
  }
  EXPECT_EQ(rows.sum("started"), kBurstSize) << text;
  EXPECT_EQ(rows.sum("admitted"), kCap) << text;
  EXPECT_EQ(rows.sum("rejected"), kBurstSize - kCap) << text;
  EXPECT_EQ(rows.sum("completed"), kCap) << text;
  EXPECT_EQ(rows.sum("failed"), 0) << text;
  EXPECT_EQ(rows.max("admitted_live_max"), kCap) << text;
  EXPECT_EQ(rows.max("gauge_max"), kCap) << text;
  EXPECT_EQ(rows.rows.back().at("admitted_live"), "0") << text;
  EXPECT_EQ(rows.rows.back().at("connecting"), "0") << text;
  EXPECT_EQ(rows.rows.back().at("gauge"), "0") << text;

  // Every frame the summary counted is in some row.
  const std::string& out = run.callsim_output;
  const size_t at = out.find("frames sent ");
  ASSERT_NE(at, std::string::npos) << out;
  EXPECT_EQ(rows.sum("frames_sent"), std::stol(out.substr(at + 12))) << text;
}

TEST(CsvReport, WithoutAGaugeItsColumnsAreEmpty) {
  const std::string csv = artifact("no-gauge.csv");
  std::vector<std::string> args = burst_args(1, "1s");
  args.insert(args.end(), {"--gauge", "none", "--csv", csv});
  VerdictRun run = run_callsim_against_bot({"--admission", "lua"}, args);
  ASSERT_EQ(run.exit_code, 0) << run.describe();
  Csv rows = Csv::parse(slurp(csv));
  ASSERT_FALSE(rows.rows.empty());
  for (const auto& row : rows.rows) {
    EXPECT_EQ(row.at("gauge"), "");
    EXPECT_EQ(row.at("gauge_min"), "");
    EXPECT_EQ(row.at("gauge_max"), "");
  }
  EXPECT_EQ(rows.sum("admitted"), kCap);
}

// --interval 500ms on a short conversation run: the JSON report's time_series and the CSV have
// the same rows, 500 ms wide, and what the callers heard is in them: every greeting and every
// answered turn in some row, with its p95.
TEST(CsvReport, AnIntervalGivesRowsThatWideInTheJsonAndTheCsv) {
  const std::string csv = artifact("interval-500ms.csv");
  std::remove(csv.c_str());
  VerdictRun run =
      run_callsim_against_bot({}, {"--concurrent", "5", "--interval", "500ms", "--csv", csv});
  ASSERT_EQ(run.exit_code, 0) << run.describe();
  const std::string text = slurp(csv);
  Csv rows = Csv::parse(text);
  ASSERT_GE(rows.rows.size(), 3u) << text;
  rapidjson::Document doc;
  doc.Parse(run.report.c_str());
  ASSERT_FALSE(doc.HasParseError()) << run.report;
  ASSERT_TRUE(doc.HasMember("time_series") && doc["time_series"].IsObject()) << run.report;
  const auto& series = doc["time_series"];
  EXPECT_EQ(series["interval_ms"].GetDouble(), 500.0);
  EXPECT_EQ(series["requested_interval_ms"].GetDouble(), 500.0);
  const auto& json_rows = series["rows"].GetArray();
  ASSERT_EQ(json_rows.Size(), rows.rows.size()) << text;
  long greeted = 0, replied = 0, rows_with_ttfa = 0, rows_with_latency = 0;
  for (size_t r = 0; r < rows.rows.size(); ++r) {
    const auto& row = rows.rows[r];
    const auto& json = json_rows[static_cast<rapidjson::SizeType>(r)];
    EXPECT_EQ(row.at("from_ms"), std::to_string(500 * r)) << text;
    EXPECT_EQ(row.at("to_ms"), std::to_string(500 * (r + 1))) << text;
    EXPECT_EQ(json["from_ms"].GetDouble(), 500.0 * r);
    EXPECT_EQ(json["to_ms"].GetDouble(), 500.0 * (r + 1));
    EXPECT_EQ(std::to_string(json["greeted"].GetUint64()), row.at("greeted")) << text;
    EXPECT_EQ(std::to_string(json["turns_replied"].GetUint64()), row.at("turns_replied"));
    EXPECT_EQ(std::to_string(json["no_reply_turns"].GetUint64()), row.at("no_reply_turns"));
    // A p95 exactly where the row has values, null (empty in the CSV) elsewhere.
    const bool has_ttfa = json["greeted"].GetUint64() > 0;
    EXPECT_EQ(json["ttfa_p95_ms"].IsNumber(), has_ttfa) << r;
    EXPECT_EQ(row.at("ttfa_p95_ms").empty(), !has_ttfa) << text;
    if (has_ttfa) {
      EXPECT_GT(json["ttfa_p95_ms"].GetDouble(), 0.0);
      EXPECT_NEAR(std::stod(row.at("ttfa_p95_ms")), json["ttfa_p95_ms"].GetDouble(), 0.001);
      ++rows_with_ttfa;
    }
    const bool has_latency = json["turns_replied"].GetUint64() > 0;
    EXPECT_EQ(json["reply_latency_p95_ms"].IsNumber(), has_latency) << r;
    if (has_latency) {
      // The bot thinks 400 ms after the caller stops; the reply timeout is 5 s.
      EXPECT_GE(json["reply_latency_p95_ms"].GetDouble(), 400.0);
      EXPECT_LT(json["reply_latency_p95_ms"].GetDouble(), 5000.0);
      ++rows_with_latency;
    }
    greeted += static_cast<long>(json["greeted"].GetUint64());
    replied += static_cast<long>(json["turns_replied"].GetUint64());
  }
  // All five calls are admitted, greeted and answered once (the fixture is one utterance).
  EXPECT_EQ(greeted, 5) << text;
  EXPECT_EQ(replied, 5) << text;
  EXPECT_EQ(rows.sum("no_reply_turns"), 0) << text;
  EXPECT_GE(rows_with_ttfa, 1) << text;
  EXPECT_GE(rows_with_latency, 1) << text;
}

}  // namespace
}  // namespace callsim::test
