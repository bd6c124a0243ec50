// callsim-bot with --tls-cert/--tls-key: every endpoint on the one port speaks TLS, the TwiML
// advertises wss:// and https://, and a client that fails the handshake is counted without
// disturbing anyone else.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <fmt/format.h>

#include "bot_under_test.h"
#include "calls.h"
#include "child_process.h"
#include "core/errors.h"
#include "https_client.h"
#include "raw_http.h"
#include "test_certificate.h"

namespace callsim::bot::test {
namespace {

using callsim::test::make_test_certificate;
using callsim::test::TempDir;
using callsim::test::TestCertificate;

class BotOverTls : public ::testing::Test {
 protected:
  std::string url(const std::string& path) const {
    return fmt::format("https://127.0.0.1:{}{}", bot.port(), path);
  }
  std::vector<std::string> opening(uint64_t n) const {
    return {connected_json(), start_json(call_sid(n), stream_sid(n)),
            media_json(stream_sid(n), 2, 1, 100), media_json(stream_sid(n), 3, 2, 120),
            media_json(stream_sid(n), 4, 3, 140)};
  }

  TempDir dir;
  TestCertificate certificate = make_test_certificate(dir.path());
  BotUnderTest bot{[this](BotConfig& c) {
    c.tls_cert_file = certificate.cert_file;
    c.tls_key_file = certificate.key_file;
    c.admit_at = AdmitAt::kWebhook;
  }};
};

TEST_F(BotOverTls, HealthAnswersOverVerifiedHttps) {
  auto health = https_request(url("/health"), certificate.cert_file);
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.body, "ok");
  auto details = https_request(url("/health/details"), certificate.cert_file);
  EXPECT_EQ(details.status, 200);
  EXPECT_NE(details.body.find(R"("tls":true,"signatures":false)"), std::string::npos)
      << details.body;
  EXPECT_EQ(bot.counters().tls_handshake_failures, 0u);
}

TEST_F(BotOverTls, TwimlAdvertisesWssAndHttps) {
  auto twiml = https_request(url("/webhook/incoming_call"), certificate.cert_file, "POST",
                             form_body({{"CallSid", call_sid(1)}, {"From", "+14155550100"}}));
  EXPECT_EQ(twiml.status, 200);
  uint16_t port = bot.port();
  EXPECT_EQ(twiml.body,
            fmt::format(R"(<?xml version="1.0" encoding="UTF-8"?><Response>)"
                        R"(<Connect action="https://127.0.0.1:{0}/webhook/stream_ended">)"
                        R"(<Stream url="wss://127.0.0.1:{0}/ws/twilio-media" )"
                        R"(statusCallback="https://127.0.0.1:{0}/webhook/stream_status">)"
                        R"(<Parameter name="CallSid" value="{1}"/>)"
                        R"(<Parameter name="From" value="+14155550100"/>)"
                        R"(</Stream></Connect></Response>)",
                        port, call_sid(1)));
  EXPECT_EQ(bot.gauge(), 1);
}

TEST_F(BotOverTls, AWholeCallRunsOverWss) {
  ASSERT_EQ(https_request(url("/webhook/incoming_call"), certificate.cert_file, "POST",
                          form_body({{"CallSid", call_sid(1)}}))
                .status,
            200);
  SecureTwilioCalls callers(bot.port(), "/ws/twilio-media", certificate.cert_file);
  EXPECT_EQ(callers.uri(), fmt::format("wss://127.0.0.1:{}/ws/twilio-media", bot.port()));
  size_t call = callers.open(opening(1));
  ASSERT_TRUE(bot.eventually([](const Counters& c) { return c.frames_received == 3; }));
  EXPECT_TRUE(callers.snapshot(call).opened);
  hang_up(callers, call, 1, 5);
  ASSERT_TRUE(callers.wait_for(call, is_closed));
  EXPECT_EQ(callers.snapshot(call).close_code, 1000);
  EXPECT_TRUE(bot.gauge_becomes(0));
  ASSERT_TRUE(bot.eventually([](const Counters& c) { return c.streams_closed == 1; }));
  const Counters& c = bot.counters();
  EXPECT_EQ(c.streams_opened, 1u);
  EXPECT_EQ(c.starts, 1u);
  EXPECT_EQ(c.admitted, 1u);
  EXPECT_EQ(c.releases, 1u);
  EXPECT_EQ(c.tls_handshake_failures, 0u);
  for (size_t i = 0; i < kDeviationKinds; ++i) {
    EXPECT_EQ(c.deviation(static_cast<Deviation>(i)), 0u) << to_string(static_cast<Deviation>(i));
  }
}

TEST_F(BotOverTls, PlainTextClientsFailTheHandshakeAndServingGoesOn) {
  ASSERT_EQ(https_request(url("/webhook/incoming_call"), certificate.cert_file, "POST",
                          form_body({{"CallSid", call_sid(1)}}))
                .status,
            200);
  SecureTwilioCalls callers(bot.port(), "/ws/twilio-media", certificate.cert_file);
  size_t call = callers.open(opening(1));
  ASSERT_TRUE(bot.eventually([](const Counters& c) { return c.frames_received == 3; }));

  EXPECT_EQ(http_get(bot.port(), "/health").status, 0);
  ASSERT_TRUE(bot.eventually([](const Counters& c) { return c.tls_handshake_failures == 1; }));
  EXPECT_EQ(
      http_post_form(bot.port(), "/webhook/incoming_call", form_body({{"CallSid", call_sid(2)}}))
          .status,
      0);
  ASSERT_TRUE(bot.eventually([](const Counters& c) { return c.tls_handshake_failures == 2; }));
  EXPECT_EQ(bot.counters().webhooks, 1u);
  EXPECT_EQ(bot.gauge(), 1);

  // The stream that was open goes on, and new clients are served.
  callers.send(call, media_json(stream_sid(1), 5, 4, 160));
  ASSERT_TRUE(bot.eventually([](const Counters& c) { return c.frames_received == 4; }));
  EXPECT_FALSE(callers.snapshot(call).closed);
  EXPECT_EQ(https_request(url("/health"), certificate.cert_file).body, "ok");
  hang_up(callers, call, 1, 6);
  ASSERT_TRUE(callers.wait_for(call, is_closed));
  EXPECT_EQ(callers.snapshot(call).close_code, 1000);
  EXPECT_TRUE(bot.gauge_becomes(0));
  EXPECT_EQ(bot.counters().tls_handshake_failures, 2u);
  EXPECT_EQ(bot.counters().bad_http, 0u);
}

TEST(BotTlsFiles, AMismatchedKeyStopsTheBotBeforeItListens) {
  TempDir dir, other;
  auto certificate = make_test_certificate(dir.path());
  auto stranger = make_test_certificate(other.path());
  try {
    BotUnderTest bot([&](BotConfig& c) {
      c.tls_cert_file = certificate.cert_file;
      c.tls_key_file = stranger.key_file;
    });
    FAIL() << "the bot started with a key that does not match its certificate";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("--tls-key " + stranger.key_file), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace callsim::bot::test
