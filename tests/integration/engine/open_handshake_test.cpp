// The open handshake as a whole (TCP connect, TLS, HTTP upgrade) against servers that stall in it
// or answer it with bytes that cannot be HTTP: --handshake-timeout bounds all of it, and an answer
// that is not an HTTP status line fails the call at once, naming what came back.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "child_process.h"
#include "engine_run.h"
#include "raw_socket_server.h"
#include "run/basic_worker.h"
#include "test_certificate.h"

namespace callsim {
namespace {

using namespace std::chrono_literals;
using test::RawSocketServer;

// Accepts, reads whatever comes and never writes a byte: a TLS ClientHello goes unanswered.
RawSocketServer silent_server() {
  return RawSocketServer([](int fd, size_t) {
    std::string ignored;
    RawSocketServer::read_until(fd, ignored, std::string("\0never", 6));
  });
}

// Reads the upgrade request, answers `answer` and keeps the socket open until the client goes.
RawSocketServer answering_server(std::string answer) {
  return RawSocketServer([answer](int fd, size_t) {
    std::string request;
    if (!RawSocketServer::read_until(fd, request, "\r\n\r\n")) return;
    RawSocketServer::write_all(fd, answer);
    std::string ignored;
    RawSocketServer::read_until(fd, ignored, std::string("\0never", 6));
  });
}

CallSettings settings_for(const std::string& scheme, int port, Nanos handshake_timeout) {
  CallSettings settings;
  settings.connect_url = scheme + "://127.0.0.1:" + std::to_string(port) + "/stream";
  settings.secure = scheme == "wss";
  settings.tls_host = "127.0.0.1";
  settings.insecure = true;
  settings.audio = test::flat_audio();
  settings.hold = 300ms;
  settings.handshake_timeout = handshake_timeout;
  return settings;
}

// Dialling is bounded: a worker keeps kDialsInFlight handshakes going and the rest of the calls
// due wait their turn. Against a server that never answers an upgrade, the first 256 of 300 calls
// dial at once and the other 44 only once those have timed out.
TEST(OpenHandshake, AWorkerKeepsABoundedNumberOfHandshakesInFlight) {
  RawSocketServer server = answering_server("");
  constexpr int kCalls = static_cast<int>(kDialsInFlight) + 44;
  BurstOutcome out = test::run_calls(settings_for("ws", server.port(), 1s), kCalls);
  ASSERT_EQ(out.stats.calls.size(), static_cast<size_t>(kCalls));
  int at_once = 0, after_the_timeouts = 0;
  for (const CallRecord& call : out.stats.calls) {
    EXPECT_EQ(call.outcome, Outcome::kHandshakeTimeout) << call.error;
    const Nanos waited = call.connect_started - call.scheduled;
    if (waited < 500ms) ++at_once;
    if (waited >= 1s) ++after_the_timeouts;
  }
  EXPECT_EQ(at_once, kDialsInFlight);
  EXPECT_EQ(after_the_timeouts, 44);
}

TEST(OpenHandshake, ASilentTlsServerIsAHandshakeTimeoutAtTheFlag) {
  RawSocketServer server = silent_server();
  BurstOutcome out = test::run_calls(settings_for("wss", server.port(), 1s), 2);
  ASSERT_EQ(out.stats.calls.size(), 2u);
  for (const CallRecord& call : out.stats.calls) {
    EXPECT_EQ(call.outcome, Outcome::kHandshakeTimeout) << call.error;
    EXPECT_NE(call.error.find("TLS handshake"), std::string::npos) << call.error;
    EXPECT_GE(call.ended - call.connect_started, 1s);
    // websocketpp's own TLS timer fires at 5 s: the flag, not it, must end the wait.
    EXPECT_LT(call.ended - call.connect_started, 3s);
  }
  EXPECT_EQ(out.stats.count(Outcome::kHandshakeTimeout), 2u);
}

TEST(OpenHandshake, ALongerFlagOutlastsWebsocketppsFixedTlsTimer) {
  RawSocketServer server = silent_server();
  BurstOutcome out = test::run_calls(settings_for("wss", server.port(), 7s), 1);
  ASSERT_EQ(out.stats.calls.size(), 1u);
  const CallRecord& call = out.stats.calls[0];
  // Before: tls_error after websocketpp's 5 s, whatever the flag said.
  EXPECT_EQ(call.outcome, Outcome::kHandshakeTimeout) << call.error;
  EXPECT_GE(call.ended - call.connect_started, 7s);
}

TEST(OpenHandshake, AnUnansweredUpgradeOverTlsIsAHandshakeTimeoutAtTheFlag) {
  // TLS completes, the upgrade request goes unanswered: the flag counts from the dial, and the
  // error says where the handshake stalled.
  test::TempDir dir;
  test::TestCertificate certificate = test::make_test_certificate(dir.path());
  SSL_CTX* context = SSL_CTX_new(TLS_server_method());
  ASSERT_EQ(SSL_CTX_use_certificate_chain_file(context, certificate.cert_file.c_str()), 1);
  ASSERT_EQ(SSL_CTX_use_PrivateKey_file(context, certificate.key_file.c_str(), SSL_FILETYPE_PEM),
            1);
  {
    RawSocketServer server([context](int fd, size_t) {
      SSL* ssl = SSL_new(context);
      SSL_set_fd(ssl, fd);
      char buffer[4096];
      if (SSL_accept(ssl) == 1) {
        while (SSL_read(ssl, buffer, sizeof buffer) > 0) {
        }
      }
      SSL_free(ssl);
    });
    BurstOutcome out = test::run_calls(settings_for("wss", server.port(), 1s), 1);
    ASSERT_EQ(out.stats.calls.size(), 1u);
    const CallRecord& call = out.stats.calls[0];
    EXPECT_EQ(call.outcome, Outcome::kHandshakeTimeout) << call.error;
    EXPECT_NE(call.error.find("answer to the upgrade"), std::string::npos) << call.error;
    EXPECT_GE(call.ended - call.connect_started, 1s);
    EXPECT_LT(call.ended - call.connect_started, 3s);
  }
  SSL_CTX_free(context);
}

// A listener whose accept queue is full drops further SYNs: the TCP connect itself stalls.
class FullBacklogListener {
 public:
  FullBacklogListener() {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    ::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::listen(listener_, 0);
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    for (int i = 0; i < 4; ++i) {
      int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
      ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
      fillers_.push_back(fd);
    }
    std::this_thread::sleep_for(100ms);
  }
  ~FullBacklogListener() {
    for (int fd : fillers_) ::close(fd);
    ::close(listener_);
  }
  int port() const { return port_; }

 private:
  int listener_ = -1;
  int port_ = 0;
  std::vector<int> fillers_;
};

TEST(OpenHandshake, AStalledTcpConnectIsAHandshakeTimeoutAndLeavesNothingBehind) {
  FullBacklogListener listener;
  const auto started = std::chrono::steady_clock::now();
  BurstOutcome out = test::run_calls(settings_for("ws", listener.port(), 1s), 1);
  const auto took = std::chrono::steady_clock::now() - started;
  ASSERT_EQ(out.stats.calls.size(), 1u);
  const CallRecord& call = out.stats.calls[0];
  EXPECT_EQ(call.outcome, Outcome::kHandshakeTimeout) << call.error;
  EXPECT_NE(call.error.find("TCP connect"), std::string::npos) << call.error;
  EXPECT_GE(call.ended - call.connect_started, 1s);
  EXPECT_LT(call.ended - call.connect_started, 3s);
  // The abandoned connect must not keep the worker alive (websocketpp's connect timer is an hour).
  EXPECT_LT(took, 5s);
}

// Ctrl-C or --duration while a TLS handshake hangs: the call ends at once as interrupted, and
// nothing waits for the handshake that will never finish.
TEST(OpenHandshake, AStopDuringASilentTlsHandshakeEndsTheRunAtOnce) {
  RawSocketServer server = silent_server();
  CallSettings settings = settings_for("wss", server.port(), 20s);
  LoadPlan plan(2, 2, std::chrono::seconds(0), 0, 1);
  SteadyClock clock;
  ProgressPrinter quiet(Options::Progress::kOff, std::chrono::seconds(1));
  const TimePoint started = clock.now();
  BurstOutcome out = run_burst(settings, plan, clock, quiet, started + 500ms, started, {});
  ASSERT_EQ(out.stats.calls.size(), 2u);
  for (const CallRecord& call : out.stats.calls) {
    EXPECT_EQ(call.outcome, Outcome::kInterrupted) << call.error;
  }
  EXPECT_LT(clock.now() - started, 5s);
}

struct Garbage {
  const char* name;
  std::string bytes;
  const char* shown;  // how the error must name them
};

class GarbageUpgradeAnswer : public ::testing::TestWithParam<Garbage> {};

TEST_P(GarbageUpgradeAnswer, IsAProtocolErrorAtOnceNamingTheBytes) {
  const Garbage& g = GetParam();
  RawSocketServer server = answering_server(g.bytes);
  BurstOutcome out = test::run_calls(settings_for("ws", server.port(), 5s), 1);
  ASSERT_EQ(out.stats.calls.size(), 1u);
  const CallRecord& call = out.stats.calls[0];
  EXPECT_EQ(call.outcome, Outcome::kProtocolError) << call.error;
  EXPECT_NE(call.error.find(g.shown), std::string::npos) << call.error;
  EXPECT_NE(call.error.find("not an HTTP response"), std::string::npos) << call.error;
  // Not a wait for the rest of a header block that will never come.
  EXPECT_LT(call.ended - call.connect_started, 3s);
  EXPECT_EQ(call.upgraded, TimePoint{});
}

INSTANTIATE_TEST_SUITE_P(
    Engine, GarbageUpgradeAnswer,
    ::testing::Values(
        Garbage{"TlsRecordWithLineEnd", "\x16\x03garbage\r\n", "\"\\x16\\x03garbage\\r\\n\""},
        Garbage{"TlsRecordNoLineEnd", std::string("\x16\x03\x01\x00\x02\x02\x46", 7),
                "\"\\x16\\x03\\x01\\x00\\x02\\x02F\""},
        Garbage{"SshBanner", "SSH-2.0-OpenSSH_9.2\r\n", "\"SSH-2.0-OpenSSH_9.2\\r\\n\""},
        Garbage{"SshBannerNoLineEnd", "SSH-2.0-OpenSSH_9.2", "\"SSH-2.0-OpenSSH_9.2\""},
        Garbage{"NoStatusCode", "HTTP/1.1 OK\r\n", "\"HTTP/1.1 OK\\r\\n\""},
        Garbage{"LowerCaseName", "http/1.1 101 Switching Protocols\r\n", "\"http/1.1 101"},
        Garbage{"Http2Preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "\"PRI * HTTP/2.0"},
        Garbage{"LongGarbage", std::string(5000, 'A'), "AAAAAAAAAAAAAAAA"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(OpenHandshake, LongGarbageIsTruncatedInTheError) {
  RawSocketServer server = answering_server(std::string(5000, 'A') + "\r\n");
  BurstOutcome out = test::run_calls(settings_for("ws", server.port(), 5s), 1);
  ASSERT_EQ(out.stats.calls.size(), 1u);
  const std::string& error = out.stats.calls[0].error;
  EXPECT_EQ(out.stats.calls[0].outcome, Outcome::kProtocolError) << error;
  EXPECT_NE(error.find("\"" + std::string(48, 'A') + "\"..."), std::string::npos) << error;
  EXPECT_LT(error.size(), 200u) << error;
}

// A correct server that writes its 101 a byte at a time: every prefix of a real status line must
// be let through, or the check would fail a healthy server.
TEST(OpenHandshake, AStatusLineArrivingByteByByteIsNotGarbage) {
  RawSocketServer server([](int fd, size_t) {
    std::string request;
    if (!RawSocketServer::read_until(fd, request, "\r\n\r\n")) return;
    std::string answer = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n";
    for (char ch : answer) {
      if (!RawSocketServer::write_all(fd, std::string(1, ch))) return;
      std::this_thread::sleep_for(2ms);
    }
    std::string ignored;
    RawSocketServer::read_until(fd, ignored, std::string("\0never", 6));
  });
  BurstOutcome out = test::run_calls(settings_for("ws", server.port(), 1s), 1);
  ASSERT_EQ(out.stats.calls.size(), 1u);
  const CallRecord& call = out.stats.calls[0];
  // The header block never ends: the flag runs out, nothing called it garbage.
  EXPECT_EQ(call.outcome, Outcome::kHandshakeTimeout) << call.error;
  EXPECT_EQ(call.error.find("not an HTTP response"), std::string::npos) << call.error;
}

// websocketpp's status enum holds 0..511; a larger code must neither be undefined behaviour
// (fuzz_upgrade_response found it under UBSan) nor be recorded as the 500 it is handed as.
class StatusBeyondTheEnum : public ::testing::TestWithParam<int> {};

TEST_P(StatusBeyondTheEnum, KeepsTheNumberTheServerWrote) {
  const int status = GetParam();
  RawSocketServer server =
      answering_server("HTTP/1.1 " + std::to_string(status) + " Odd\r\nContent-Length: 0\r\n\r\n");
  BurstOutcome out = test::run_calls(settings_for("ws", server.port(), 5s), 1);
  ASSERT_EQ(out.stats.calls.size(), 1u);
  const CallRecord& call = out.stats.calls[0];
  EXPECT_EQ(call.outcome, Outcome::kProtocolError) << call.error;
  EXPECT_EQ(call.http_status, status);
  EXPECT_NE(call.error.find("HTTP " + std::to_string(status)), std::string::npos) << call.error;
}

INSTANTIATE_TEST_SUITE_P(Engine, StatusBeyondTheEnum, ::testing::Values(512, 599, 999));

}  // namespace
}  // namespace callsim
