// --csv on a real run against callsim-bot: the rows add up to exactly what the run did.
#include <gtest/gtest.h>

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
    EXPECT_EQ(row.at("#fields"), "17") << text;
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

}  // namespace
}  // namespace callsim::test
