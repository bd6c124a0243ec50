// The callsim binary as a user meets it: exit codes, one-line errors, SIGINT, the JSON report.
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <signal.h>

#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "child_process.h"
#include "scripted_server.h"

namespace callsim {
namespace {

using namespace std::chrono_literals;
using test::ChildProcess;
using test::ScriptedServer;
using test::TempDir;

const std::string kCallsim = std::string(CALLSIM_BIN_DIR) + "/callsim";

struct Result {
  int status = -1;
  std::string output;
};

Result run_callsim(const std::vector<std::string>& args, const TempDir& dir,
                   std::chrono::seconds timeout = 60s) {
  std::vector<std::string> argv = {kCallsim};
  argv.insert(argv.end(), args.begin(), args.end());
  // CI runs tests side by side on two cores: unless a test is about the lateness budget, a
  // descheduled generator must not turn its run INVALID.
  if (std::find(args.begin(), args.end(), "--lateness-budget") == args.end()) {
    argv.insert(argv.end(), {"--lateness-budget", "1s"});
  }
  ChildProcess process(argv, dir.path() + "/out.txt");
  Result r;
  r.status = process.wait_for(timeout).value_or(-1);
  r.output = process.output();
  return r;
}

size_t line_count(const std::string& text) {
  return static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
}

rapidjson::Document read_json(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  rapidjson::Document doc;
  doc.Parse(ss.str().c_str());
  EXPECT_FALSE(doc.HasParseError()) << path;
  return doc;
}

TEST(Cli, UnknownFlagIsOneLineAndExit2) {
  TempDir dir;
  Result r = run_callsim({"--concurent", "60"}, dir);
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(line_count(r.output), 1u) << r.output;
  EXPECT_NE(r.output.find("--concurent"), std::string::npos) << r.output;
}

TEST(Cli, BadValuesNameTheirFlagAndExit2) {
  TempDir dir;
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"--hold", "5"},
        {"--concurrent", "0"},
        {"--url", "http://x/"},
        {"--calls", "10", "--concurrent", "20"},
        {"--rate", "20"},
        {"--gauge-trace", "bogus"},
        {"--redis", "mysql://x"},
        {"--drop-ratio", "1.5"},
        {"--param", "novalue"},
        {"--webhook", "ftp://x/"},
        {"--skip-stream-ratio", "0.5"},
        {"--from", "", "--webhook", "http://127.0.0.1:1/v"}}) {
    Result r = run_callsim(args, dir);
    EXPECT_EQ(r.status, 2) << args[0] << ": " << r.output;
    EXPECT_EQ(line_count(r.output), 1u) << r.output;
    EXPECT_NE(r.output.find(args[0]), std::string::npos) << r.output;
  }
}

// Each --interval the time series cannot honour is refused before the run, by name: an explicit
// 0, a negative width, one finer than or cutting the 250 ms lateness slots, and one that would
// need more than 1,024 rows over the --duration.
TEST(Cli, BadIntervalsNameIntervalAndExit2) {
  TempDir dir;
  for (const std::vector<std::string>& args : {std::vector<std::string>{"--interval", "0"},
                                               {"--interval", "-1s"},
                                               {"--interval", "100ms"},
                                               {"--interval", "300ms"},
                                               {"--interval", "250ms", "--duration", "300s"}}) {
    Result r = run_callsim(args, dir);
    EXPECT_EQ(r.status, 2) << args[1] << ": " << r.output;
    EXPECT_EQ(line_count(r.output), 1u) << r.output;
    EXPECT_NE(r.output.find("--interval"), std::string::npos) << r.output;
  }
  Result fits = run_callsim({"--interval", "500ms", "--duration", "300s", "--gauge", "none",
                             "--url", "ws://127.0.0.1:1/ws"},
                            dir);
  EXPECT_EQ(fits.status, 3) << fits.output;  // past validation, to the unreachable target
}

TEST(Cli, MissingFixtureNamesTheFile) {
  TempDir dir;
  Result r = run_callsim({"--fixture", "/no/such/file.wav", "--gauge", "none"}, dir);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("/no/such/file.wav"), std::string::npos) << r.output;
}

TEST(Cli, UnreachableTargetIsExit3BeforeAnyCall) {
  TempDir dir;
  std::string url = "ws://127.0.0.1:" + std::to_string(test::free_tcp_port()) + "/ws/twilio-media";
  Result r = run_callsim({"--url", url, "--gauge", "none"}, dir);
  EXPECT_EQ(r.status, 3) << r.output;
  EXPECT_NE(r.output.find("cannot reach"), std::string::npos) << r.output;
}

TEST(Cli, UnreachableRedisIsExit3) {
  TempDir dir;
  ScriptedServer server(ScriptedServer::Behaviour::kSink);
  std::string redis = "redis://127.0.0.1:" + std::to_string(test::free_tcp_port()) + "/0";
  Result r = run_callsim({"--url", server.url(), "--redis", redis}, dir);
  EXPECT_EQ(r.status, 3) << r.output;
  EXPECT_TRUE(server.connections().empty());
}

TEST(Cli, GeneratorFallingBehindIsExit4) {
  TempDir dir;
  ScriptedServer server(ScriptedServer::Behaviour::kSink);
  Result r = run_callsim({"--url", server.url(), "--gauge", "none", "--concurrent", "5", "--hold",
                          "1s", "--lateness-budget", "1ns", "--progress", "off"},
                         dir);
  EXPECT_EQ(r.status, 4) << r.output;
  EXPECT_NE(r.output.find("RUN INVALID"), std::string::npos) << r.output;
}

TEST(Cli, SigintStopsLiveCallsWithStopAndWritesAnInterruptedReport) {
  TempDir dir;
  ScriptedServer server(ScriptedServer::Behaviour::kSink);
  std::string report = dir.path() + "/run.json";
  ChildProcess process(
      {kCallsim, "--url", server.url(), "--gauge", "none", "--concurrent", "8", "--hold", "60s",
       "--progress", "off", "--lateness-budget", "1s", "--report", report},
      dir.path() + "/out.txt");
  ASSERT_TRUE(test::eventually(
      [&] {
        auto cons = server.connections();
        if (cons.size() < 8) return false;
        for (const auto& c : cons) {
          if (c.messages.size() < 5) return false;
        }
        return true;
      },
      20s));
  process.signal(SIGINT);
  auto status = process.wait_for(20s);
  ASSERT_TRUE(status.has_value()) << "callsim did not exit after SIGINT";
  EXPECT_EQ(*status, 130) << process.output();
  ASSERT_TRUE(test::eventually([&] { return server.closed_count() == 8; }, 10s));
  for (const auto& con : server.connections()) {
    ASSERT_FALSE(con.messages.empty());
    EXPECT_NE(con.messages.back().text.find("\"event\":\"stop\""), std::string::npos);
    EXPECT_EQ(con.close_code, 1000);
  }
  auto doc = read_json(report);
  EXPECT_TRUE(doc["interrupted"].GetBool());
  EXPECT_EQ(doc["calls"].Size(), 8u);
  EXPECT_EQ(doc["outcomes"]["interrupted"].GetUint64(), 8u);
}

TEST(Cli, ReportHoldsConfigOutcomesHistogramsAndEveryCall) {
  TempDir dir;
  ScriptedServer server(ScriptedServer::Behaviour::kSink);
  std::string report = dir.path() + "/run.json";
  Result r = run_callsim(
      {"--url", server.url(), "--gauge", "none", "--concurrent", "6", "--calls", "9", "--hold",
       "1s", "--seed", "7", "--progress", "off", "--report", report, "--param", "tenant=acme"},
      dir);
  ASSERT_EQ(r.status, 0) << r.output;
  auto doc = read_json(report);
  EXPECT_EQ(doc["config"]["concurrent"].GetInt(), 6);
  EXPECT_EQ(doc["config"]["calls"].GetInt64(), 9);
  EXPECT_STREQ(doc["config"]["seed"].GetString(), "7");
  EXPECT_STREQ(doc["config"]["params"]["tenant"].GetString(), "acme");
  EXPECT_EQ(doc["outcomes"]["completed"].GetUint64(), 9u);
  EXPECT_EQ(doc["frames_sent"].GetUint64(), 9u * 50u);
  EXPECT_EQ(doc["histograms"]["send_lateness"]["count"].GetUint64(), 450u);
  ASSERT_EQ(doc["calls"].Size(), 9u);
  for (const auto& call : doc["calls"].GetArray()) {
    EXPECT_STREQ(call["outcome"].GetString(), "completed");
    EXPECT_EQ(std::string(call["call_sid"].GetString()).size(), 34u);
    EXPECT_EQ(call["frames_sent"].GetUint64(), 50u);
  }
  // Replacement calls: 9 connections with only 6 at a time.
  EXPECT_EQ(server.connections().size(), 9u);
  // customParameters reach the server in start.
  EXPECT_NE(
      server.connections()[0].messages[1].text.find(R"("customParameters":{"tenant":"acme"})"),
      std::string::npos);
}

}  // namespace
}  // namespace callsim

namespace callsim {
namespace {

std::vector<double> scheduled_ms(const rapidjson::Document& doc) {
  std::vector<double> out(doc["calls"].Size());
  for (const auto& call : doc["calls"].GetArray()) {
    out[call["index"].GetUint64()] = call["scheduled_ms"].GetDouble();
  }
  return out;
}

TEST(Cli, RateSchedulesEveryCallAtItsOwnTime) {
  TempDir dir;
  ScriptedServer server(ScriptedServer::Behaviour::kSink);
  std::string report = dir.path() + "/run.json";
  Result r =
      run_callsim({"--url", server.url(), "--gauge", "none", "--rate", "20", "--concurrent", "20",
                   "--calls", "10", "--hold", "500ms", "--progress", "off", "--report", report},
                  dir);
  ASSERT_EQ(r.status, 0) << r.output;
  auto doc = read_json(report);
  auto times = scheduled_ms(doc);
  ASSERT_EQ(times.size(), 10u);
  for (size_t i = 1; i < times.size(); ++i) EXPECT_NEAR(times[i] - times[0], 50.0 * i, 1e-3);
  for (const auto& call : doc["calls"].GetArray()) {
    // A call never connects before its time (and on a quiet machine, right at it).
    EXPECT_GE(call["connect_ms"].GetDouble(), call["scheduled_ms"].GetDouble() - 0.25);
  }
}

// --rate 20 --duration 1s -c 2 used to place just 2 calls; now 20 arrive, and those that find
// 2 calls in flight are dropped, counted in the summary and the report.
TEST(Cli, RateWithDurationSchedulesRateTimesDurationAndCountsDrops) {
  TempDir dir;
  ScriptedServer server(ScriptedServer::Behaviour::kSink);
  std::string report = dir.path() + "/run.json";
  Result r = run_callsim(
      {"--url", server.url(), "--gauge", "none", "--rate", "20", "--duration", "1s", "--concurrent",
       "2", "--threads", "1", "--hold", "300ms", "--progress", "off", "--report", report},
      dir);
  auto doc = read_json(report);
  const uint64_t started = doc["arrivals_started"].GetUint64();
  const uint64_t dropped = doc["arrivals_dropped"].GetUint64();
  EXPECT_EQ(doc["arrivals_scheduled"].GetUint64(), 20u) << r.output;
  EXPECT_EQ(started + dropped, 20u) << r.output;
  EXPECT_GT(dropped, 0u) << r.output;
  EXPECT_EQ(doc["calls"].Size(), started);
  EXPECT_NE(
      r.output.find(fmt::format("arrivals: 20 scheduled, {} started, {} dropped (--concurrent "
                                "2 in flight)",
                                started, dropped)),
      std::string::npos)
      << r.output;
}

TEST(Cli, RampSpreadsTheFirstBurst) {
  TempDir dir;
  ScriptedServer server(ScriptedServer::Behaviour::kSink);
  std::string report = dir.path() + "/run.json";
  Result r = run_callsim({"--url", server.url(), "--gauge", "none", "--concurrent", "4", "--ramp",
                          "600ms", "--hold", "500ms", "--progress", "off", "--report", report},
                         dir);
  ASSERT_EQ(r.status, 0) << r.output;
  auto times = scheduled_ms(read_json(report));
  ASSERT_EQ(times.size(), 4u);
  for (size_t i = 1; i < 4; ++i) EXPECT_NEAR(times[i] - times[0], 150.0 * i, 1e-3);
}

TEST(Cli, DurationBoundsTheRunAndEndsCallsWithStop) {
  TempDir dir;
  ScriptedServer server(ScriptedServer::Behaviour::kSink);
  std::string report = dir.path() + "/run.json";
  Result r = run_callsim({"--url", server.url(), "--gauge", "none", "--concurrent", "3", "--hold",
                          "60s", "--duration", "1s", "--progress", "off", "--report", report},
                         dir, 30s);
  EXPECT_EQ(r.status, 0) << r.output;
  auto doc = read_json(report);
  EXPECT_TRUE(doc["timed_out"].GetBool());
  EXPECT_EQ(doc["outcomes"]["interrupted"].GetUint64(), 3u);
  EXPECT_LT(doc["duration_ms"].GetDouble(), 20000.0);
  for (const auto& con : server.connections()) {
    EXPECT_NE(con.messages.back().text.find("\"event\":\"stop\""), std::string::npos);
  }
}

}  // namespace
}  // namespace callsim
