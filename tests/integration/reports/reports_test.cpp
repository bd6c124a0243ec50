// The reports of real runs, one per way a started run can end: the JSON report valid against
// simulator/run/report.schema.json, the JUnit XML valid against a JUnit XSD, exact testcases
// and failure text for a known failure, --report - on stdout, the rerun line, the per-call CSV.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fcntl.h>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "child_process.h"
#include "redis_server.h"
#include "scripted_server.h"

namespace callsim {
namespace {

using namespace std::chrono_literals;
using test::ChildProcess;
using test::ScriptedServer;
using test::TempDir;
using ::testing::HasSubstr;

const std::string kCallsim = std::string(CALLSIM_BIN_DIR) + "/callsim";

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

rapidjson::Document parse_json(const std::string& text) {
  rapidjson::Document doc;
  doc.Parse(text.c_str());
  EXPECT_FALSE(doc.HasParseError()) << text.substr(0, 400);
  return doc;
}

struct RunResult {
  int status = -1;
  std::string output;
  std::string report;  // path
  std::string junit;
  std::string csv;
};

std::vector<std::string> with_outputs(const std::vector<std::string>& args, const TempDir& dir,
                                      RunResult& run) {
  run.report = dir.path() + "/run.json";
  run.junit = dir.path() + "/run.xml";
  run.csv = dir.path() + "/calls.csv";
  std::vector<std::string> argv = {kCallsim,  "--progress", "off",         "--report", run.report,
                                   "--junit", run.junit,    "--csv-calls", run.csv};
  argv.insert(argv.end(), args.begin(), args.end());
  if (std::find(args.begin(), args.end(), "--lateness-budget") == args.end()) {
    argv.insert(argv.end(), {"--lateness-budget", "1s"});
  }
  return argv;
}

RunResult run_callsim(const std::vector<std::string>& args, const TempDir& dir) {
  RunResult run;
  ChildProcess process(with_outputs(args, dir, run), dir.path() + "/out.txt");
  run.status = process.wait_for(90s).value_or(-1);
  run.output = process.output();
  return run;
}

// Runs a checker program; its exit status and what it printed.
std::pair<int, std::string> check_with(const std::vector<std::string>& argv, const TempDir& dir) {
  ChildProcess process(argv, dir.path() + "/check.txt");
  int status = process.wait_for(60s).value_or(-1);
  return {status, process.output()};
}

std::pair<int, std::string> validate_json(const std::string& path, const TempDir& dir) {
  return check_with({"python3", CALLSIM_VALIDATE_JSON, CALLSIM_REPORT_SCHEMA, path}, dir);
}

std::pair<int, std::string> validate_junit(const std::string& path, const TempDir& dir) {
  return check_with({"xmllint", "--noout", "--schema", CALLSIM_JUNIT_XSD, path}, dir);
}

void expect_valid_reports(const RunResult& run, int exit_code, const std::string& verdict,
                          const TempDir& dir) {
  ASSERT_EQ(run.status, exit_code) << run.output;
  auto [json_status, json_out] = validate_json(run.report, dir);
  EXPECT_EQ(json_status, 0) << json_out;
  auto doc = parse_json(read_file(run.report));
  EXPECT_EQ(doc["schema_version"].GetInt(), 1);
  EXPECT_EQ(doc["exit_code"].GetInt(), exit_code);
  EXPECT_STREQ(doc["verdict"].GetString(), verdict.c_str());
  auto [xml_status, xml_out] = validate_junit(run.junit, dir);
  EXPECT_EQ(xml_status, 0) << xml_out << "\n" << read_file(run.junit);
  EXPECT_THAT(read_file(run.junit),
              HasSubstr("<property name=\"verdict\" value=\"" + verdict + "\"/>"));
  const std::string csv = read_file(run.csv);
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 1 + doc["calls"].Size()) << csv;
}

// A TCP listener that never accepts: every upgrade waits forever, so no call is decided.
class SilentListener {
 public:
  SilentListener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::listen(fd_, 128);
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
  }
  ~SilentListener() { ::close(fd_); }
  std::string url() const { return "ws://127.0.0.1:" + std::to_string(port_) + "/ws/twilio-media"; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

TEST(Reports, PassRunIsValid) {
  TempDir dir;
  ScriptedServer server(ScriptedServer::Behaviour::kSink);
  RunResult run = run_callsim(
      {"--url", server.url(), "--gauge", "none", "--concurrent", "3", "--hold", "1s"}, dir);
  expect_valid_reports(run, 0, "PASS", dir);
}

TEST(Reports, FailRunIsValid) {
  TempDir dir;
  ScriptedServer server(ScriptedServer::Behaviour::kCloseMidCall);
  RunResult run = run_callsim({"--url", server.url(), "--gauge", "none", "--concurrent", "3",
                               "--hold", "2s", "--bursts", "2"},
                              dir);
  expect_valid_reports(run, 1, "FAIL", dir);
}

// Thresholds are checks of the whole run beside the cap checks, in every output; with two
// bursts the cap checks have per-burst verdicts and the thresholds do not.
TEST(Reports, ThresholdRunIsValidAndEveryOutputHoldsTheThresholds) {
  TempDir dir;
  ScriptedServer server(ScriptedServer::Behaviour::kSink);  // never speaks: no call is greeted
  RunResult run =
      run_callsim({"--url", server.url(), "--gauge", "none", "--concurrent", "3", "--hold", "1s",
                   "--bursts", "2", "--threshold", "setup.p99<5s", "--threshold", "ttfa.p95 < 2s"},
                  dir);
  expect_valid_reports(run, 1, "FAIL", dir);
  EXPECT_THAT(run.output, HasSubstr("VERDICT: FAIL (ttfa.p95<2s)"));
  EXPECT_THAT(run.output, HasSubstr("ttfa.p95<2s  FAIL    p95 never over 6 admitted calls (6 "
                                    "never greeted); limit <2s"));
  auto doc = parse_json(read_file(run.report));
  const auto& checks = doc["verification"]["checks"];
  const auto& ttfa = checks[checks.Size() - 1];
  EXPECT_STREQ(ttfa["name"].GetString(), "ttfa.p95<2s");
  EXPECT_TRUE(ttfa["threshold"]["value"].IsNull());
  EXPECT_TRUE(ttfa["threshold"]["never"].GetBool());
  EXPECT_EQ(ttfa["threshold"]["samples"].GetUint64(), 6u);
  EXPECT_FALSE(ttfa.HasMember("per_burst"));
  const auto& setup = checks[checks.Size() - 2];
  EXPECT_STREQ(setup["verdict"].GetString(), "PASS");
  EXPECT_GT(setup["threshold"]["value"].GetDouble(), 0.0);
  EXPECT_LT(setup["threshold"]["value"].GetDouble(), 5000.0);
  EXPECT_THAT(read_file(run.junit), HasSubstr("name=\"ttfa.p95&lt;2s\""));
}

TEST(Reports, IncompleteRunIsValid) {
  TempDir dir;
  SilentListener silent;
  RunResult run = run_callsim({"--url", silent.url(), "--gauge", "none", "--concurrent", "3",
                               "--hold", "5s", "--duration", "1s"},
                              dir);
  expect_valid_reports(run, 5, "INCOMPLETE", dir);
}

TEST(Reports, InvalidRunIsValid) {
  TempDir dir;
  ScriptedServer server(ScriptedServer::Behaviour::kSink);
  RunResult run = run_callsim({"--url", server.url(), "--gauge", "none", "--concurrent", "3",
                               "--hold", "1s", "--lateness-budget", "1ns"},
                              dir);
  expect_valid_reports(run, 4, "INVALID", dir);
}

TEST(Reports, InterruptedRunIsValid) {
  TempDir dir;
  ScriptedServer server(ScriptedServer::Behaviour::kSink);
  RunResult run;
  ChildProcess process(
      with_outputs({"--url", server.url(), "--gauge", "none", "--concurrent", "3", "--hold", "60s"},
                   dir, run),
      dir.path() + "/out.txt");
  ASSERT_TRUE(test::eventually([&] { return server.connections().size() == 3; }, 20s));
  std::this_thread::sleep_for(300ms);
  process.signal(SIGINT);
  run.status = process.wait_for(30s).value_or(-1);
  run.output = process.output();
  expect_valid_reports(run, 130, "INTERRUPTED", dir);
}

TEST(Reports, TheValidatorsRejectBrokenReports) {
  // The schema and the XSD must be able to fail: a seed as a number (inexact in JavaScript), a
  // missing schema_version, a broken time-series row, and a JUnit testcase without a name.
  TempDir dir;
  ScriptedServer server(ScriptedServer::Behaviour::kSink);
  RunResult run = run_callsim(
      {"--url", server.url(), "--gauge", "none", "--concurrent", "2", "--hold", "1s"}, dir);
  ASSERT_EQ(run.status, 0) << run.output;
  auto doc = parse_json(read_file(run.report));
  doc["config"]["seed"].SetUint64(7);
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  doc.Accept(writer);
  const std::string bad = dir.path() + "/bad.json";
  std::ofstream(bad) << buffer.GetString();
  auto [status, out] = validate_json(bad, dir);
  EXPECT_EQ(status, 1) << out;
  EXPECT_THAT(out, HasSubstr("config/seed"));

  doc.RemoveMember("schema_version");
  doc["config"]["seed"].SetString("7");
  buffer.Clear();
  rapidjson::Writer<rapidjson::StringBuffer> writer2(buffer);
  doc.Accept(writer2);
  std::ofstream(bad) << buffer.GetString();
  auto [status2, out2] = validate_json(bad, dir);
  EXPECT_EQ(status2, 1) << out2;
  EXPECT_THAT(out2, HasSubstr("schema_version"));

  // A time-series row with a sentinel for "no greeting" instead of null, and one without its
  // reply latency.
  doc.AddMember("schema_version", 1, doc.GetAllocator());
  ASSERT_TRUE(doc["time_series"]["rows"].IsArray() && !doc["time_series"]["rows"].Empty());
  auto& row = doc["time_series"]["rows"][0];
  ASSERT_TRUE(row["ttfa_p95_ms"].IsNull()) << "a sink server never greets";
  row["ttfa_p95_ms"].SetString("none");
  row.RemoveMember("reply_latency_p95_ms");
  buffer.Clear();
  rapidjson::Writer<rapidjson::StringBuffer> writer3(buffer);
  doc.Accept(writer3);
  std::ofstream(bad) << buffer.GetString();
  auto [status3, out3] = validate_json(bad, dir);
  EXPECT_EQ(status3, 1) << out3;
  EXPECT_THAT(out3, HasSubstr("time_series/rows/0/ttfa_p95_ms"));
  EXPECT_THAT(out3, HasSubstr("reply_latency_p95_ms"));

  std::string xml = read_file(run.junit);
  const std::string named = "<testcase name=\"no_leak\"";
  ASSERT_NE(xml.find(named), std::string::npos) << xml;
  xml.replace(xml.find(named), named.size(), "<testcase");
  const std::string bad_xml = dir.path() + "/bad.xml";
  std::ofstream(bad_xml) << xml;
  EXPECT_NE(validate_junit(bad_xml, dir).first, 0);
}

TEST(Reports, JunitOfAKnownFailureHasEveryCheckAndItsFirstOffence) {
  TempDir dir;
  ScriptedServer server(ScriptedServer::Behaviour::kCloseMidCall);
  RunResult run = run_callsim({"--url", server.url(), "--gauge", "none", "--concurrent", "3",
                               "--hold", "2s", "--bursts", "2"},
                              dir);
  ASSERT_EQ(run.status, 1) << run.output;
  const std::string xml = read_file(run.junit);
  auto doc = parse_json(read_file(run.report));
  // The run's suite, then one per burst (1-based).
  EXPECT_THAT(xml, HasSubstr("<testsuites name=\"callsim\" tests=\"25\" failures=\"4\" "
                             "errors=\"0\" skipped=\"15\" time=\""));
  EXPECT_THAT(xml, HasSubstr("<testsuite name=\"callsim\" tests=\"9\" failures=\"2\" "
                             "errors=\"0\" skipped=\"5\" time=\""));
  EXPECT_THAT(xml, HasSubstr("<testsuite name=\"callsim burst 1\" tests=\"8\" failures=\"1\" "
                             "errors=\"0\" skipped=\"5\""));
  EXPECT_THAT(xml, HasSubstr("<testsuite name=\"callsim burst 2\" tests=\"8\" failures=\"1\" "
                             "errors=\"0\" skipped=\"5\""));
  for (const char* passed : {"admitted_within_cap", "full_admission"}) {
    EXPECT_THAT(xml, HasSubstr(std::string("<testcase name=\"") + passed +
                               "\" classname=\"callsim.checks\" time=\"0\"/>"));
  }
  // The gauge checks, skipped by --gauge none, and rejections_clean with nothing turned away.
  for (const auto& check : doc["verification"]["checks"].GetArray()) {
    const std::string name = check["name"].GetString();
    const std::string verdict = check["verdict"].GetString();
    const std::string summary = check["summary"].GetString();
    const std::string open =
        "<testcase name=\"" + name + "\" classname=\"callsim.checks\" time=\"0\">\n";
    if (verdict == "SKIP") {
      EXPECT_THAT(xml, HasSubstr(open + "      <skipped message=\"" + summary + "\"/>\n"));
    }
    if (verdict == "FAIL") {
      EXPECT_EQ(name, "calls_completed");
      const std::string what = check["offense"]["what"].GetString();
      EXPECT_THAT(summary, HasSubstr("admitted calls did not run to their planned end"));
      EXPECT_THAT(xml,
                  HasSubstr(open + "      <failure type=\"FAIL\" message=\"" + summary +
                            "; first offence: " + what + "\">" + summary + "\nfirst offence at +"));
      EXPECT_THAT(xml, HasSubstr("(burst 1): " + what + "\ncalls: CA"));
    }
  }
  EXPECT_EQ(doc["verification"]["checks"][7]["verdict"], "FAIL");
  EXPECT_THAT(xml, HasSubstr("<testcase name=\"verdict\" classname=\"callsim.run\" time=\"0\">\n"
                             "      <failure type=\"FAIL\" message=\"VERDICT: FAIL "
                             "(calls_completed)\">"));
  EXPECT_THAT(xml, HasSubstr("<system-out>callsim: 6 calls in "));
}

TEST(Reports, IncompleteRunIsAnErrorInJunit) {
  TempDir dir;
  SilentListener silent;
  RunResult run = run_callsim({"--url", silent.url(), "--gauge", "none", "--concurrent", "3",
                               "--hold", "5s", "--duration", "1s"},
                              dir);
  ASSERT_EQ(run.status, 5) << run.output;
  const std::string xml = read_file(run.junit);
  EXPECT_THAT(xml, HasSubstr("<testcase name=\"verdict\" classname=\"callsim.run\" time=\"0\">\n"
                             "      <error type=\"INCOMPLETE\" message=\"VERDICT: INCOMPLETE: "
                             "no call was decided"));
  EXPECT_THAT(xml, HasSubstr("errors=\"1\""));
}

TEST(Reports, ReportDashWritesOnlyJsonToStdoutAndTheSummaryToStderr) {
  TempDir dir;
  ScriptedServer server(ScriptedServer::Behaviour::kSink);
  const std::string out_path = dir.path() + "/stdout.json";
  int out_fd = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  ASSERT_GE(out_fd, 0);
  ChildProcess process(
      {kCallsim, "--url", server.url(), "--gauge", "none", "--concurrent", "2", "--hold", "1s",
       "--progress", "off", "--lateness-budget", "1s", "--report", "-"},
      dir.path() + "/stderr.txt", out_fd, -1);
  ::close(out_fd);
  ASSERT_EQ(process.wait_for(60s).value_or(-1), 0) << process.output();
  auto doc = parse_json(read_file(out_path));
  EXPECT_STREQ(doc["verdict"].GetString(), "PASS");
  EXPECT_STREQ(doc["config"]["report"].GetString(), "-");
  EXPECT_THAT(process.output(), HasSubstr("VERDICT: PASS"));
  auto [status, out] = validate_json(out_path, dir);
  EXPECT_EQ(status, 0) << out;
}

TEST(Reports, AnOutputThatCannotBeWrittenDoesNotCostTheOthers) {
  TempDir dir;
  ScriptedServer server(ScriptedServer::Behaviour::kSink);
  const std::string report = dir.path() + "/run.json";
  ChildProcess process(
      {kCallsim, "--url", server.url(), "--gauge", "none", "--concurrent", "2", "--hold", "1s",
       "--progress", "off", "--lateness-budget", "1s", "--junit", "/dev/full", "--report", report},
      dir.path() + "/out.txt");
  EXPECT_EQ(process.wait_for(60s).value_or(-1), 2) << process.output();
  EXPECT_THAT(process.output(),
              HasSubstr("callsim: --junit /dev/full: cannot write: No space left on device\n"));
  auto doc = parse_json(read_file(report));
  EXPECT_STREQ(doc["verdict"].GetString(), "PASS");
}

TEST(Reports, TheRerunLineRepeatsTheCallsOfARandomSeed) {
  TempDir dir;
  ScriptedServer server(ScriptedServer::Behaviour::kSink);
  RunResult first = run_callsim(
      {"--url", server.url(), "--gauge", "none", "--concurrent", "2", "--hold", "1s"}, dir);
  ASSERT_EQ(first.status, 0) << first.output;
  auto doc = parse_json(read_file(first.report));
  const std::string seed = doc["config"]["seed"].GetString();
  const std::string rerun = doc["rerun_command"].GetString();
  EXPECT_THAT(first.output, HasSubstr("  seed " + seed + " (random)\n"));
  EXPECT_THAT(first.output, HasSubstr("  rerun with: " + rerun + "\n"));
  ASSERT_THAT(rerun, ::testing::EndsWith(" --seed " + seed));
  // Every word of this command line is plain (no quoting): split it and run it again.
  std::vector<std::string> argv;
  std::istringstream words(rerun);
  for (std::string word; words >> word;) argv.push_back(word);
  ChildProcess again(argv, dir.path() + "/again.txt");
  ASSERT_EQ(again.wait_for(60s).value_or(-1), 0) << again.output();
  auto doc2 = parse_json(read_file(first.report));  // the rerun wrote the same paths
  EXPECT_EQ(std::string(doc2["config"]["seed"].GetString()), seed);
  EXPECT_TRUE(doc2["config"]["seed_given"].GetBool());
  std::set<std::string> sids1, sids2;
  for (const auto& c : doc["calls"].GetArray()) sids1.insert(c["call_sid"].GetString());
  for (const auto& c : doc2["calls"].GetArray()) sids2.insert(c["call_sid"].GetString());
  EXPECT_EQ(sids1, sids2);
  EXPECT_EQ(sids1.size(), 2u);
}

TEST(Reports, ConfigEchoesWebhookOnlyWhenUsedAndMasksTheRedisPassword) {
  TempDir dir;
  ScriptedServer server(ScriptedServer::Behaviour::kSink);
  RunResult run =
      run_callsim({"--url", server.url(), "--gauge", "none", "--concurrent", "2", "--hold", "1s",
                   "--drop-ratio", "0.5", "--settle", "3s", "--reject-window", "1500ms"},
                  dir);
  ASSERT_EQ(run.status, 0) << run.output;
  auto doc = parse_json(read_file(run.report));
  const auto& config = doc["config"];
  EXPECT_TRUE(config["webhook"].IsNull());
  EXPECT_STREQ(config["url"].GetString(), server.url().c_str());
  EXPECT_TRUE(config["redis"].IsNull());  // --gauge none: no Redis used
  EXPECT_EQ(config["drop_ratio"].GetDouble(), 0.5);
  EXPECT_EQ(config["settle_ms"].GetDouble(), 3000.0);
  EXPECT_EQ(config["reject_window_ms"].GetDouble(), 1500.0);
  EXPECT_TRUE(config["duration_ms"].IsNull());
  EXPECT_TRUE(config["rate_per_second"].IsNull());
  EXPECT_EQ(doc["calls"][0]["burst"].GetInt(), 1);
  for (const auto& bucket : doc["histograms"]["send_lateness"]["buckets"].GetArray()) {
    EXPECT_TRUE(bucket.HasMember("lower_ms") && bucket.HasMember("upper_ms") &&
                bucket.HasMember("count"));
  }
}

TEST(Reports, TheRedisPasswordAppearsNowhereInTheReportOrTheSummary) {
  TempDir dir;
  test::RedisServer redis(test::RedisServer::Options{/*tcp=*/true, /*password=*/"s3cret-pw"});
  ScriptedServer server(ScriptedServer::Behaviour::kSink);
  RunResult run = run_callsim({"--url", server.url(), "--redis", redis.tcp_url(), "--gauge-trace",
                               "sample", "--concurrent", "2", "--hold", "1s", "--settle", "1s"},
                              dir);
  ASSERT_NE(run.status, 2) << run.output;
  ASSERT_NE(run.status, 3) << run.output;
  const std::string report = read_file(run.report);
  EXPECT_EQ(report.find("s3cret-pw"), std::string::npos);
  EXPECT_EQ(run.output.find("s3cret-pw"), std::string::npos) << run.output;
  EXPECT_EQ(read_file(run.junit).find("s3cret-pw"), std::string::npos);
  auto doc = parse_json(report);
  EXPECT_THAT(doc["config"]["redis"].GetString(), HasSubstr(":***@"));
  EXPECT_THAT(doc["rerun_command"].GetString(), HasSubstr(":***@"));
}

TEST(Reports, CallsCsvHasTheDocumentedHeaderAndOneRowPerCall) {
  TempDir dir;
  ScriptedServer server(ScriptedServer::Behaviour::kCloseAfterStart);
  RunResult run = run_callsim(
      {"--url", server.url(), "--gauge", "none", "--concurrent", "3", "--hold", "1s"}, dir);
  const std::string csv = read_file(run.csv);
  EXPECT_THAT(csv, ::testing::StartsWith(
                       "index,burst,worker,call_sid,stream_sid,outcome,admitted,reject_kind,"
                       "http_status,close_code,close_reason,error,reject_detail,ws_violation,"
                       "scheduled_ms,connect_ms,upgraded_ms,start_sent_ms,first_server_message_ms,"
                       "admission_confirmed_ms,hung_up_ms,ended_ms,frames_sent,frames_skipped,"
                       "messages_received,server_media_bytes,marks_received,marks_echoed,"
                       "clears_received\r\n"));
  // Rows in index order; the server's close (1013 "try again later") is in each.
  EXPECT_THAT(csv, HasSubstr("\r\n0,1,"));
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 4) << csv;
  size_t rejected = 0;
  for (size_t at = csv.find(",rejected,false,closed_after_start,,1013,try again later,");
       at != std::string::npos;
       at = csv.find(",rejected,false,closed_after_start,,1013,try again later,", at + 1)) {
    ++rejected;
  }
  EXPECT_EQ(rejected, 3u) << csv;
}

}  // namespace
}  // namespace callsim
