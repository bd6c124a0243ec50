// The callsim binary against what breaks tools: unwritable outputs, hang-ups, hostile gauges and
// webhooks, FIFOs, out-of-range numbers. Each ends in a clear line and a documented exit code,
// never a crash, a hang or a lost report.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <rapidjson/document.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "child_process.h"
#include "raw_http_server.h"
#include "raw_socket_server.h"
#include "scripted_server.h"

namespace callsim {
namespace {

using namespace std::chrono_literals;
using test::ChildProcess;
using test::RawHttpServer;
using test::RawSocketServer;
using test::ScriptedServer;
using test::TempDir;

const std::string kCallsim = std::string(CALLSIM_BIN_DIR) + "/callsim";

// A loaded CI machine must not turn a run INVALID: these tests are not about lateness.
std::vector<std::string> callsim_argv(std::vector<std::string> args) {
  const bool run = args.empty() || args[0] != "audio";
  args.insert(args.begin(), kCallsim);
  if (run) args.insert(args.end(), {"--lateness-budget", "1s"});
  return args;
}

struct Result {
  int status = -1;  // -1: still running after the timeout (then killed)
  std::string output;
};

Result run_callsim(const std::vector<std::string>& args, const TempDir& dir,
                   std::chrono::seconds timeout = 60s, int stdout_fd = -1, int stderr_fd = -1) {
  ChildProcess process(callsim_argv(args), dir.path() + "/out.txt", stdout_fd, stderr_fd);
  Result r;
  r.status = process.wait_for(timeout).value_or(-1);
  r.output = process.output();
  return r;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

size_t line_count(const std::string& text) {
  return static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
}

rapidjson::Document read_json(const std::string& path) {
  rapidjson::Document doc;
  doc.Parse(read_file(path).c_str());
  EXPECT_FALSE(doc.HasParseError()) << path;
  return doc;
}

// A pipe whose reading end is already closed: what `callsim ... | head -2` writes into once
// head has exited.
struct BrokenPipe {
  BrokenPipe() {
    int fds[2];
    EXPECT_EQ(::pipe2(fds, O_CLOEXEC), 0);
    ::close(fds[0]);
    write_end = fds[1];
  }
  ~BrokenPipe() { ::close(write_end); }
  int write_end = -1;
};

struct DevFull {
  DevFull() : fd(::open("/dev/full", O_WRONLY | O_CLOEXEC)) { EXPECT_GE(fd, 0); }
  ~DevFull() { ::close(fd); }
  int fd;
};

void expect_every_call_stopped(const ScriptedServer& server, size_t calls) {
  ASSERT_TRUE(test::eventually([&] { return server.closed_count() == calls; }, 10s));
  for (const auto& con : server.connections()) {
    ASSERT_FALSE(con.messages.empty());
    EXPECT_NE(con.messages.back().text.find("\"event\":\"stop\""), std::string::npos);
    EXPECT_EQ(con.close_code, 1000);
  }
}

bool all_streaming(const ScriptedServer& server, size_t calls) {
  auto cons = server.connections();
  if (cons.size() < calls) return false;
  for (const auto& c : cons) {
    if (c.messages.size() < 5) return false;
  }
  return true;
}

// --- item: --seed ---------------------------------------------------------------------------

TEST(Hardening, SeedOutOfRangeIsRefusedNotClamped) {
  TempDir dir;
  for (const char* seed : {"18446744073709551616", "-1", "12abc", "", "0x10", " 5"}) {
    Result r = run_callsim({"--seed", seed, "--gauge", "none"}, dir);
    EXPECT_EQ(r.status, 2) << seed << ": " << r.output;
    EXPECT_EQ(line_count(r.output), 1u) << r.output;
    EXPECT_NE(r.output.find("--seed"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("is not a whole number from 0 to 18446744073709551615"),
              std::string::npos)
        << r.output;
  }
  ScriptedServer server(ScriptedServer::Behaviour::kSink);
  const std::string report = dir.path() + "/run.json";
  Result r =
      run_callsim({"--url", server.url(), "--gauge", "none", "--concurrent", "1", "--hold", "200ms",
                   "--seed", "18446744073709551615", "--progress", "off", "--report", report},
                  dir);
  ASSERT_EQ(r.status, 0) << r.output;
  // A string: a 64-bit integer is not exact in JavaScript or jq 1.6.
  EXPECT_STREQ(read_json(report)["config"]["seed"].GetString(), "18446744073709551615");
}

// --- item: FIFOs ----------------------------------------------------------------------------

TEST(Hardening, FifoAsFixtureOrAudioFileIsNotARegularFile) {
  TempDir dir;
  const std::string fifo = dir.path() + "/caller.ulaw";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  ScriptedServer server(ScriptedServer::Behaviour::kSink);
  // Blocked in open(), callsim would never exit: the timeout turns that into a failure.
  Result r = run_callsim({"audio", fifo}, dir, 20s);
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_EQ(r.output, "callsim: " + fifo + ": not a regular file\n");
  r = run_callsim({"--url", server.url(), "--gauge", "none", "--fixture", fifo}, dir, 20s);
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_EQ(r.output, "callsim: --fixture " + fifo + ": not a regular file\n");
  EXPECT_TRUE(server.connections().empty());
}

// --- item: URL schemes ----------------------------------------------------------------------

TEST(Hardening, UpperCaseUrlSchemesAreAccepted) {
  TempDir dir;
  ScriptedServer server(ScriptedServer::Behaviour::kSink);
  std::string url = server.url();
  url.replace(0, 2, "WS");
  Result r = run_callsim({"--url", url, "--gauge", "none", "--concurrent", "2", "--hold", "300ms",
                          "--progress", "off"},
                         dir);
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_EQ(server.connections().size(), 2u);
}

// --- item: deeply nested JSON from an HTTP gauge --------------------------------------------

const std::string kDeepJson(200'000, '[');

TEST(Hardening, DeeplyNestedGaugeJsonAtPreflightIsUnreachableNotACrash) {
  TempDir dir;
  ScriptedServer target(ScriptedServer::Behaviour::kSink);
  RawHttpServer gauge([](const RawHttpServer::Request&) -> std::optional<std::string> {
    return RawHttpServer::response(200, kDeepJson);
  });
  Result r =
      run_callsim({"--url", target.url(), "--gauge", gauge.url("/health") + "#/active_calls"}, dir);
  EXPECT_EQ(r.status, 3) << r.output;
  EXPECT_EQ(line_count(r.output), 1u) << r.output;
  EXPECT_NE(r.output.find("the response is not JSON"), std::string::npos) << r.output;
  EXPECT_TRUE(target.connections().empty());
}

TEST(Hardening, DeeplyNestedGaugeJsonMidRunIsASampleErrorAndTheRunFinishes) {
  TempDir dir;
  ScriptedServer target(ScriptedServer::Behaviour::kSink);
  std::atomic<bool> hostile{false};
  RawHttpServer gauge([&](const RawHttpServer::Request&) -> std::optional<std::string> {
    return RawHttpServer::response(200, hostile ? kDeepJson : R"({"active_calls":0})");
  });
  const std::string report = dir.path() + "/run.json";
  ChildProcess process(
      callsim_argv({"--url", target.url(), "--gauge", gauge.url("/health") + "#/active_calls",
                    "--concurrent", "3", "--hold", "3s", "--settle", "500ms", "--progress", "off",
                    "--report", report}),
      dir.path() + "/out.txt");
  ASSERT_TRUE(test::eventually([&] { return all_streaming(target, 3); }, 20s));
  hostile = true;
  auto status = process.wait_for(30s);
  ASSERT_TRUE(status.has_value()) << process.output();
  EXPECT_LT(*status, 128) << "killed by a signal: " << process.output();
  expect_every_call_stopped(target, 3);
  auto doc = read_json(report);
  EXPECT_EQ(doc["outcomes"]["completed"].GetUint64(), 3u);
  EXPECT_GT(doc["gauge"]["sample_errors"].GetUint64(), 0u);
  EXPECT_NE(std::string(doc["gauge"]["first_sample_error"].GetString()).find("not JSON"),
            std::string::npos);
}

// --- item: progress on an unwritable stderr -------------------------------------------------

TEST(Hardening, ProgressOnAnUnwritableStderrIsTurnedOffAndTheRunFinishes) {
  DevFull full;
  BrokenPipe pipe;
  for (int stderr_fd : {full.fd, pipe.write_end}) {
    TempDir dir;
    ScriptedServer server(ScriptedServer::Behaviour::kSink);
    const std::string report = dir.path() + "/run.json";
    Result r =
        run_callsim({"--url", server.url(), "--gauge", "none", "--concurrent", "2", "--hold", "1s",
                     "--progress", "plain", "--progress-interval", "10ms", "--report", report},
                    dir, 60s, -1, stderr_fd);
    EXPECT_EQ(r.status, 0) << r.output;
    EXPECT_NE(r.output.find("VERDICT: PASS"), std::string::npos) << r.output;
    ASSERT_TRUE(std::filesystem::exists(report));
    EXPECT_EQ(read_json(report)["outcomes"]["completed"].GetUint64(), 2u);
  }
}

// --- item: stdout that cannot be written ----------------------------------------------------

TEST(Hardening, StdoutThatCannotBeWrittenIsExit2AndSaysSo) {
  DevFull full;
  TempDir dir;
  ScriptedServer server(ScriptedServer::Behaviour::kSink);
  const std::string report = dir.path() + "/run.json";
  Result r = run_callsim({"--url", server.url(), "--gauge", "none", "--concurrent", "1", "--hold",
                          "300ms", "--progress", "off", "--report", report},
                         dir, 60s, full.fd, -1);
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_EQ(r.output, "callsim: cannot write the results to stdout: No space left on device\n");
  // The report still holds the run.
  EXPECT_EQ(read_json(report)["outcomes"]["completed"].GetUint64(), 1u);

  BrokenPipe pipe;
  r = run_callsim({"--version"}, dir, 20s, pipe.write_end, -1);
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_EQ(r.output, "callsim: cannot write the results to stdout: Broken pipe\n");
}

// --- item: SIGPIPE and hang-ups -------------------------------------------------------------

TEST(Hardening, AWarningIntoAClosedStderrBeforeTheRunIsNotFatal) {
  TempDir dir;
  BrokenPipe pipe;
  // --insecure warns before the reachability check, which then fails: exit 3, not SIGPIPE.
  const std::string url = "wss://127.0.0.1:" + std::to_string(test::free_tcp_port()) + "/ws";
  Result r =
      run_callsim({"--url", url, "--insecure", "--gauge", "none"}, dir, 20s, -1, pipe.write_end);
  EXPECT_EQ(r.status, 3);
}

TEST(Hardening, SighupAndSigtermDrainLiveCallsAndWriteAnInterruptedReport) {
  for (int signo : {SIGHUP, SIGTERM}) {
    TempDir dir;
    ScriptedServer server(ScriptedServer::Behaviour::kSink);
    const std::string report = dir.path() + "/run.json";
    ChildProcess process(
        callsim_argv({"--url", server.url(), "--gauge", "none", "--concurrent", "4", "--hold",
                      "60s", "--progress", "off", "--report", report}),
        dir.path() + "/out.txt");
    ASSERT_TRUE(test::eventually([&] { return all_streaming(server, 4); }, 20s));
    process.signal(signo);
    auto status = process.wait_for(20s);
    ASSERT_TRUE(status.has_value()) << strsignal(signo);
    EXPECT_EQ(*status, 130) << strsignal(signo) << ": " << process.output();
    expect_every_call_stopped(server, 4);
    auto doc = read_json(report);
    EXPECT_TRUE(doc["interrupted"].GetBool());
    EXPECT_EQ(doc["outcomes"]["interrupted"].GetUint64(), 4u);
  }
}

TEST(Hardening, UnderNohupSighupIsStillIgnored) {
  TempDir dir;
  ScriptedServer server(ScriptedServer::Behaviour::kSink);
  std::vector<std::string> argv =
      callsim_argv({"--url", server.url(), "--gauge", "none", "--concurrent", "2", "--hold", "60s",
                    "--progress", "off"});
  argv.insert(argv.begin(), "nohup");  // execs callsim with SIGHUP ignored
  ChildProcess process(argv, dir.path() + "/out.txt");
  ASSERT_TRUE(test::eventually([&] { return all_streaming(server, 2); }, 20s));
  process.signal(SIGHUP);
  std::this_thread::sleep_for(500ms);
  EXPECT_TRUE(process.running()) << process.output();
  process.signal(SIGINT);
  auto status = process.wait_for(20s);
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(*status, 130) << process.output();
}

// Accepts the WebSocket upgrade, then reads and ignores everything: a peer that never answers
// our close frame, so each call's close waits out its grace period (5 s).
class DeafWebSocketServer {
 public:
  DeafWebSocketServer()
      : server_([this](int fd, size_t) {
          std::string head;
          if (!RawSocketServer::read_until(fd, head, "\r\n\r\n")) return;
          const std::string name = "Sec-WebSocket-Key: ";
          auto at = head.find(name);
          if (at == std::string::npos) return;
          std::string key = head.substr(at + name.size(), head.find("\r\n", at) - at - name.size());
          key += "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
          unsigned char digest[SHA_DIGEST_LENGTH];
          SHA1(reinterpret_cast<const unsigned char*>(key.data()), key.size(), digest);
          unsigned char accept[32] = {};
          EVP_EncodeBlock(accept, digest, SHA_DIGEST_LENGTH);
          RawSocketServer::write_all(
              fd,
              "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: "
              "Upgrade\r\nSec-WebSocket-Accept: " +
                  std::string(reinterpret_cast<char*>(accept)) + "\r\n\r\n");
          ++upgraded_;
          char buffer[4096];
          while (::read(fd, buffer, sizeof buffer) > 0) {
          }
        }) {}
  std::string url() const {
    return "ws://127.0.0.1:" + std::to_string(server_.port()) + "/ws/twilio-media";
  }
  int upgraded() const { return upgraded_; }

 private:
  std::atomic<int> upgraded_{0};
  RawSocketServer server_;
};

TEST(Hardening, ASecondSignalDuringTheDrainExitsAtOnce) {
  TempDir dir;
  DeafWebSocketServer server;
  ChildProcess process(callsim_argv({"--url", server.url(), "--gauge", "none", "--concurrent", "2",
                                     "--hold", "60s", "--progress", "off"}),
                       dir.path() + "/out.txt");
  ASSERT_TRUE(test::eventually([&] { return server.upgraded() == 2; }, 20s));
  std::this_thread::sleep_for(200ms);
  process.signal(SIGHUP);
  // The drain now waits up to 5 s for close frames that never come.
  std::this_thread::sleep_for(300ms);
  ASSERT_TRUE(process.running()) << process.output();
  process.signal(SIGTERM);
  auto status = process.wait_for(3s);
  ASSERT_TRUE(status.has_value()) << "the second signal did not end the run";
  EXPECT_EQ(*status, 130);
  EXPECT_NE(process.output().find("callsim: interrupted twice, exiting now"), std::string::npos)
      << process.output();
}

// --- item: --report checked before the first call, written atomically ------------------------

TEST(Hardening, UnwritableReportIsExit2BeforeAnyCall) {
  TempDir dir;
  ScriptedServer server(ScriptedServer::Behaviour::kSink);
  std::vector<std::pair<std::string, std::string>> cases = {
      {dir.path() + "/no/such/dir/run.json", "cannot write: No such file or directory"},
      {dir.path(), "is a directory"},
      // Permission bits do not stop root; sysfs refuses new files to everyone.
      {"/sys/run.json", "cannot write: Permission denied"},
  };
  if (::geteuid() != 0) {
    const std::string read_only = dir.path() + "/read-only.json";
    std::ofstream(read_only) << "{}";
    ::chmod(read_only.c_str(), 0444);
    cases.emplace_back(read_only, "cannot write: Permission denied");
  }
  for (const auto& [path, why] : cases) {
    Result r = run_callsim({"--url", server.url(), "--gauge", "none", "--concurrent", "2", "--hold",
                            "300ms", "--progress", "off", "--report", path},
                           dir);
    EXPECT_EQ(r.status, 2) << path << ": " << r.output;
    EXPECT_EQ(r.output, "callsim: --report " + path + ": " + why + "\n");
  }
  EXPECT_TRUE(server.connections().empty()) << "a call was placed before --report was checked";
}

TEST(Hardening, ReportReplacesAnOlderOneWholeAndLeavesNoTemporaryFile) {
  TempDir dir;
  ScriptedServer server(ScriptedServer::Behaviour::kSink);
  const std::string report = dir.path() + "/run.json";
  std::ofstream(report) << "an older report";
  ::chmod(report.c_str(), 0640);
  Result r = run_callsim({"--url", server.url(), "--gauge", "none", "--concurrent", "1", "--hold",
                          "300ms", "--progress", "off", "--report", report},
                         dir);
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_EQ(read_json(report)["outcomes"]["completed"].GetUint64(), 1u);
  struct stat info {};
  ASSERT_EQ(::stat(report.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0640u);
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    names.push_back(entry.path().filename());
  }
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"out.txt", "run.json"}));
}

// --- item: the report is valid UTF-8 whatever the server sends ------------------------------

TEST(Hardening, ReportIsValidUtf8WhenTwimlIsNot) {
  TempDir dir;
  const std::vector<std::string> twiml = {
      "<Response><Say>caf\xE9 \xFF\xFE</Say></Response>",
      "<Response><Reject reason=\"busy\xC3\"/></Response>",
      "<Response><Pl\xE9y>x</Pl\xE9y></Response>",
      "<Response><Say>\xED\xA0\x80 surrogate, \xF0\x9F\x93\x9E phone</Say></Response>",
  };
  RawHttpServer webhook([&](const RawHttpServer::Request& request) -> std::optional<std::string> {
    return RawHttpServer::response(200, twiml[request.number % twiml.size()], "text/xml");
  });
  const std::string report = dir.path() + "/run.json";
  Result r = run_callsim({"--webhook", webhook.url("/voice"), "--gauge", "none", "--concurrent",
                          "4", "--hold", "300ms", "--progress", "off", "--report", report},
                         dir);
  ASSERT_NE(r.status, -1) << r.output;
  ASSERT_LT(r.status, 128) << r.output;
  const std::string bytes = read_file(report);
  ASSERT_FALSE(bytes.empty());

  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseValidateEncodingFlag>(bytes.c_str(), bytes.size());
  ASSERT_FALSE(doc.HasParseError())
      << "RapidJSON: error " << doc.GetParseError() << " at " << doc.GetErrorOffset();
  const std::string python = "python3 -c 'import json,sys; json.load(open(sys.argv[1]))' " +
                             report + " 2>" + dir.path() + "/python.txt";
  EXPECT_EQ(std::system(python.c_str()), 0) << read_file(dir.path() + "/python.txt");

  ASSERT_EQ(doc["calls"].Size(), 4u);
  std::vector<std::string> texts;
  for (const auto& call : doc["calls"].GetArray()) {
    std::string text;
    if (call.HasMember("reject_detail")) text += call["reject_detail"].GetString();
    if (call.HasMember("error")) text += call["error"].GetString();
    texts.push_back(text);
  }
  std::sort(texts.begin(), texts.end());
  const std::string fffd = "\xEF\xBF\xBD";
  auto has = [&](const std::string& needle) {
    return std::any_of(texts.begin(), texts.end(),
                       [&](const std::string& t) { return t.find(needle) != std::string::npos; });
  };
  EXPECT_TRUE(has("caf" + fffd + " " + fffd + fffd)) << texts[0];
  EXPECT_TRUE(has("busy" + fffd)) << texts[1];
  EXPECT_TRUE(has("Pl" + fffd + "y")) << texts[2];
  // Valid UTF-8 passes through as it was; a surrogate is three ill-formed bytes.
  EXPECT_TRUE(has(fffd + fffd + fffd + " surrogate, \xF0\x9F\x93\x9E phone")) << texts[3];
}

// --- item: Ctrl-C and --duration with webhooks in flight, and during the settle wait ---------

TEST(Hardening, InterruptDoesNotWaitForWebhooksInFlight) {
  TempDir dir;
  RawHttpServer webhook([](const RawHttpServer::Request&) { return std::nullopt; });
  const std::string report = dir.path() + "/run.json";
  ChildProcess process(callsim_argv({"--webhook", webhook.url("/voice"), "--gauge", "none",
                                     "--concurrent", "3", "--progress", "off", "--report", report}),
                       dir.path() + "/out.txt");
  ASSERT_TRUE(test::eventually([&] { return webhook.requests().size() == 3; }, 20s));
  process.signal(SIGINT);
  // The webhook timeout is 15 s: an exit well before it means the requests were cancelled.
  auto status = process.wait_for(8s);
  ASSERT_TRUE(status.has_value()) << "still waiting for the webhooks after SIGINT";
  EXPECT_EQ(*status, 130) << process.output();
  auto doc = read_json(report);
  EXPECT_TRUE(doc["interrupted"].GetBool());
  EXPECT_EQ(doc["outcomes"]["interrupted"].GetUint64(), 3u);
}

TEST(Hardening, DurationDoesNotWaitForWebhooksInFlight) {
  TempDir dir;
  RawHttpServer webhook([](const RawHttpServer::Request&) { return std::nullopt; });
  const std::string report = dir.path() + "/run.json";
  Result r = run_callsim({"--webhook", webhook.url("/voice"), "--gauge", "none", "--concurrent",
                          "3", "--duration", "1s", "--progress", "off", "--report", report},
                         dir, 8s);
  ASSERT_NE(r.status, -1) << "still waiting for the webhooks after --duration";
  auto doc = read_json(report);
  EXPECT_TRUE(doc["timed_out"].GetBool());
  EXPECT_EQ(doc["outcomes"]["interrupted"].GetUint64(), 3u);
}

TEST(Hardening, InterruptDuringTheSettleWaitEndsTheRunAtOnce) {
  TempDir dir;
  ScriptedServer target(ScriptedServer::Behaviour::kSink);
  std::atomic<int> gauge_value{0};
  RawHttpServer gauge([&](const RawHttpServer::Request&) -> std::optional<std::string> {
    return RawHttpServer::response(200, "{\"active_calls\":" + std::to_string(gauge_value) + "}");
  });
  const std::string report = dir.path() + "/run.json";
  ChildProcess process(
      callsim_argv({"--url", target.url(), "--gauge", gauge.url("/health") + "#/active_calls",
                    "--concurrent", "2", "--hold", "500ms", "--settle", "60s", "--progress", "off",
                    "--report", report}),
      dir.path() + "/out.txt");
  // The server "leaks" both slots: the gauge never returns to its baseline of 0.
  ASSERT_TRUE(test::eventually([&] { return target.connections().size() == 2; }, 20s));
  gauge_value = 2;
  ASSERT_TRUE(test::eventually([&] { return target.closed_count() == 2; }, 20s));
  std::this_thread::sleep_for(300ms);  // into the settle wait
  process.signal(SIGINT);
  auto status = process.wait_for(10s);
  ASSERT_TRUE(status.has_value()) << "SIGINT ignored during the settle wait";
  EXPECT_EQ(*status, 130) << process.output();
  auto doc = read_json(report);
  EXPECT_TRUE(doc["interrupted"].GetBool());
  EXPECT_EQ(doc["outcomes"]["completed"].GetUint64(), 2u);
}

}  // namespace
}  // namespace callsim
