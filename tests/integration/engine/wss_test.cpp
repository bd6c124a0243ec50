// wss://: the same calls over TLS, with the server's certificate verified as Twilio does.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <thread>
#include <vector>

#include <websocketpp/config/asio.hpp>
#include <websocketpp/server.hpp>

#include "child_process.h"
#include "engine_run.h"
#include "http_test_server.h"
#include "test_certificate.h"

namespace callsim {
namespace {

using namespace std::chrono_literals;
using TlsServer = websocketpp::server<websocketpp::config::asio_tls>;

// A TLS Media Streams sink on 127.0.0.1:<port 0> serving a certificate made for the test.
class TlsSink {
 public:
  // `stop_reading`: after the upgrade the server reads nothing more, so it never answers a close.
  explicit TlsSink(const test::TestCertificate& certificate, bool stop_reading = false) {
    server_.clear_access_channels(websocketpp::log::alevel::all);
    server_.clear_error_channels(websocketpp::log::elevel::all);
    server_.init_asio();
    server_.set_tls_init_handler([certificate](websocketpp::connection_hdl) {
      auto context = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_server);
      context->use_certificate_chain_file(certificate.cert_file);
      context->use_private_key_file(certificate.key_file, asio::ssl::context::pem);
      return context;
    });
    server_.set_message_handler(
        [this](websocketpp::connection_hdl, TlsServer::message_ptr) { ++messages_; });
    if (stop_reading) {
      // Held: with no read pending nothing else keeps a connection alive.
      server_.set_open_handler([this](websocketpp::connection_hdl hdl) {
        held_.push_back(server_.get_con_from_hdl(hdl));
        held_.back()->pause_reading();
      });
    }
    server_.listen(asio::ip::tcp::endpoint(asio::ip::address_v4::loopback(), 0));
    std::error_code ec;
    port_ = server_.get_local_endpoint(ec).port();
    server_.start_accept();
    thread_ = std::thread([this] { server_.run(); });
  }
  ~TlsSink() {
    asio::post(server_.get_io_service(), [this] {
      std::error_code ec;
      server_.stop_listening(ec);
      server_.stop();
    });
    thread_.join();
  }
  std::string url(const std::string& host) const {
    return "wss://" + host + ":" + std::to_string(port_) + "/ws/twilio-media";
  }
  int messages() const { return messages_.load(); }

 private:
  TlsServer server_;
  std::vector<TlsServer::connection_ptr> held_;
  std::thread thread_;
  int port_ = 0;
  std::atomic<int> messages_{0};
};

BurstOutcome run_wss(const std::string& url, const std::string& host, const std::string& ca_file,
                     bool insecure) {
  CallSettings settings;
  settings.connect_url = url;
  settings.secure = true;
  settings.tls_host = host;
  settings.ca_file = ca_file;
  settings.insecure = insecure;
  settings.audio = test::flat_audio();
  settings.hold = 500ms;
  settings.handshake_timeout = 5s;
  return test::run_calls(settings, 4, 2);
}

TEST(Wss, CallsStreamOverTlsWhenTheCertificateIsTrusted) {
  test::TempDir dir;
  auto certificate = test::make_test_certificate(dir.path());
  TlsSink sink(certificate);
  auto outcome = run_wss(sink.url("localhost"), "localhost", certificate.cert_file, false);
  ASSERT_EQ(outcome.stats.calls.size(), 4u);
  EXPECT_EQ(outcome.stats.count(Outcome::kCompleted), 4u);
  // connected + start + 25 frames + stop per call.
  EXPECT_EQ(sink.messages(), 4 * 28);
  // A TLS stream is never written past websocketpp: every message went through its queue.
  for (const auto& c : outcome.stats.calls) {
    EXPECT_EQ(c.messages_written_directly, 0u);
    EXPECT_EQ(c.messages_queued, 28u);
  }
}

TEST(Wss, AnUntrustedCertificateIsATlsError) {
  test::TempDir dir;
  auto certificate = test::make_test_certificate(dir.path());
  TlsSink sink(certificate);
  auto outcome = run_wss(sink.url("localhost"), "localhost", "", false);
  ASSERT_EQ(outcome.stats.calls.size(), 4u);
  for (const auto& c : outcome.stats.calls) {
    EXPECT_EQ(c.outcome, Outcome::kTlsError) << c.error;
    EXPECT_FALSE(c.admitted());
  }
  EXPECT_EQ(sink.messages(), 0);
}

TEST(Wss, AWrongHostNameIsATlsError) {
  test::TempDir dir;
  auto certificate = test::make_test_certificate(dir.path(), "DNS:elsewhere.example");
  TlsSink sink(certificate);
  auto outcome = run_wss(sink.url("127.0.0.1"), "127.0.0.1", certificate.cert_file, false);
  for (const auto& c : outcome.stats.calls) EXPECT_EQ(c.outcome, Outcome::kTlsError) << c.error;
}

TEST(Wss, InsecureSkipsVerification) {
  test::TempDir dir;
  auto certificate = test::make_test_certificate(dir.path(), "DNS:elsewhere.example");
  TlsSink sink(certificate);
  auto outcome = run_wss(sink.url("127.0.0.1"), "127.0.0.1", "", true);
  EXPECT_EQ(outcome.stats.count(Outcome::kCompleted), 4u);
}

// With a webhook, each stream's certificate is checked against the host its TwiML names, not the
// webhook's: here the webhook's certificate is for 127.0.0.1 only and the stream's for
// localhost only, both trusted through one CA bundle.
TEST(Wss, StreamCertificateIsCheckedAgainstTheTwimlHost) {
  test::TempDir dir;
  auto webhook_certificate =
      test::make_test_certificate(dir.path() + "/webhook", "IP:127.0.0.1", "webhook");
  auto stream_certificate =
      test::make_test_certificate(dir.path() + "/stream", "DNS:localhost", "stream");
  const std::string bundle = dir.path() + "/bundle.pem";
  {
    std::ofstream out(bundle);
    out << std::ifstream(webhook_certificate.cert_file).rdbuf()
        << std::ifstream(stream_certificate.cert_file).rdbuf();
  }
  TlsSink sink(stream_certificate);
  for (const std::string stream_host : {"localhost", "127.0.0.1"}) {
    test::HttpTestServer webhook(
        [&](const test::HttpExchange& request) {
          if (request.resource != "/voice") return test::HttpReply{204, "", "text/plain"};
          return test::HttpReply{200, "<Response><Connect><Stream url=\"" + sink.url(stream_host) +
                                          "\"/></Connect></Response>"};
        },
        webhook_certificate.cert_file, webhook_certificate.key_file);
    CallSettings settings;
    test::use_webhook(settings, webhook.url("/voice"));
    settings.secure = true;
    settings.tls_host = "127.0.0.1";
    settings.ca_file = bundle;
    settings.audio = test::flat_audio();
    settings.hold = 200ms;
    auto outcome = test::run_calls(settings, 2);
    ASSERT_EQ(outcome.stats.calls.size(), 2u);
    for (const auto& c : outcome.stats.calls) {
      EXPECT_EQ(c.outcome, stream_host == "localhost" ? Outcome::kCompleted : Outcome::kTlsError)
          << stream_host << ": " << c.error;
    }
  }
}

// A TLS peer that never reads, so never answers our close. websocketpp gives up on the close
// handshake (3 s), then on the TLS shutdown, and reports the connection closed after callsim gave
// up on the call (5 s) and finished it: that late report must touch neither the finished call
// nor the next call in its slot (it crashed on the first), and no read left waiting on the silent
// peer may hold the run open.
TEST(Wss, APeerThatNeverAnswersOurCloseTimesEachCallOutAndTheRunEnds) {
  test::TempDir dir;
  auto certificate = test::make_test_certificate(dir.path());
  TlsSink sink(certificate, /*stop_reading=*/true);
  CallSettings settings;
  settings.connect_url = sink.url("localhost");
  settings.secure = true;
  settings.tls_host = "localhost";
  settings.ca_file = certificate.cert_file;
  settings.audio = test::flat_audio();
  settings.hold = 500ms;
  settings.handshake_timeout = 5s;
  // One slot, two calls in turn: the second replaces the first in the same slot.
  LoadPlan plan(1, 2, std::chrono::seconds(0), 0, 1);
  SteadyClock clock;
  ProgressPrinter quiet(Options::Progress::kOff, std::chrono::seconds(1));
  auto outcome = run_burst(settings, plan, clock, quiet, TimePoint::max(), clock.now(), {});
  ASSERT_EQ(outcome.stats.calls.size(), 2u);
  for (const auto& c : outcome.stats.calls) {
    EXPECT_EQ(c.outcome, Outcome::kCompleted) << c.error;
    EXPECT_TRUE(c.admitted());
    EXPECT_TRUE(c.close_timed_out) << c.error;
    EXPECT_FALSE(c.closed_by_server) << c.error;
    EXPECT_EQ(c.error, "close handshake did not complete");
    EXPECT_GE(c.hung_up - c.upgraded, settings.hold);
  }
}

}  // namespace
}  // namespace callsim
