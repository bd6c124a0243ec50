// With an auth token the bot accepts only requests Twilio signed: X-Twilio-Signature over the
// URL (port variants as Twilio's validators allow) and the form fields on every webhook, over
// the ws:// URL on the upgrade. A bad signature gets 403 before anything touches a slot.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <fmt/format.h>

#include "bot_under_test.h"
#include "calls.h"
#include "core/twilio_signature.h"
#include "raw_http.h"

namespace callsim::bot::test {
namespace {

constexpr const char* kToken = "12345-test-token";

// A POST with the given Host header and, unless empty, the signature header as `header_name`.
HttpResponse post(uint16_t port, const std::string& target, const Parameters& fields,
                  const std::string& host, const std::string& signature,
                  const std::string& header_name = "X-Twilio-Signature") {
  std::string body;
  for (const auto& [name, value] : fields) {
    body += (body.empty() ? "" : "&") + form_body({{name, value}});
  }
  std::string request = "POST " + target + " HTTP/1.1\r\nHost: " + host +
                        "\r\nContent-Type: application/x-www-form-urlencoded\r\n";
  if (!signature.empty()) request += header_name + ": " + signature + "\r\n";
  request += "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n";
  return raw_http(port, request + body);
}

Parameters incoming_fields(uint64_t n) {
  return {{"AccountSid", twilio_sid("AC", 1)},
          {"CallSid", call_sid(n)},
          {"CallStatus", "ringing"},
          {"From", "+14155550100"},
          {"To", "+14155550199"}};
}

class SignedBot : public ::testing::Test {
 protected:
  explicit SignedBot(AdmitAt admit_at = AdmitAt::kWebhook)
      : bot([admit_at](BotConfig& c) {
          c.auth_token = kToken;
          c.admit_at = admit_at;
          c.cap = 5;
        }) {}

  std::string host() const { return fmt::format("127.0.0.1:{}", bot.port()); }
  std::string http_url(const std::string& target) const { return "http://" + host() + target; }
  // POST signed with `token` over the URL the request really reached.
  HttpResponse signed_post(const std::string& target, const Parameters& fields,
                           const std::string& token = kToken) {
    return post(bot.port(), target, fields, host(),
                twilio_signature(token, http_url(target), fields));
  }
  std::string upgrade_signature(const std::string& token = kToken) const {
    return twilio_signature(token, fmt::format("ws://{}/ws/twilio-media", host()));
  }

  BotUnderTest bot;
};

TEST_F(SignedBot, WebhookSignedWithTheTokenGetsTwiml) {
  auto answer = signed_post("/webhook/incoming_call", incoming_fields(1));
  EXPECT_EQ(answer.status, 200);
  EXPECT_NE(answer.body.find("<Connect action="), std::string::npos) << answer.body;
  EXPECT_EQ(bot.gauge(), 1);
  EXPECT_EQ(bot.counters().bad_signature_webhooks, 0u);
}

TEST_F(SignedBot, WrongOrMissingWebhookSignaturesGet403AndNoSlot) {
  auto wrong = signed_post("/webhook/incoming_call", incoming_fields(1), "another-token");
  EXPECT_EQ(wrong.status, 403);
  EXPECT_EQ(wrong.body, "invalid X-Twilio-Signature\n");
  EXPECT_NE(wrong.headers.find("Content-Type: text/plain"), std::string::npos) << wrong.headers;
  EXPECT_EQ(bot.counters().bad_signature_webhooks, 1u);
  EXPECT_EQ(bot.bot().active_calls(), 0);
  EXPECT_EQ(bot.gauge(), 0);

  auto missing = post(bot.port(), "/webhook/incoming_call", incoming_fields(1), host(), "");
  EXPECT_EQ(missing.status, 403);
  EXPECT_EQ(bot.counters().bad_signature_webhooks, 2u);

  // A signature over other form fields (a tampered body).
  Parameters tampered = incoming_fields(1);
  std::string signature = twilio_signature(kToken, http_url("/webhook/incoming_call"), tampered);
  tampered[3].second = "+14155550666";
  EXPECT_EQ(post(bot.port(), "/webhook/incoming_call", tampered, host(), signature).status, 403);
  EXPECT_EQ(bot.counters().bad_signature_webhooks, 3u);

  const Counters& c = bot.counters();
  EXPECT_EQ(c.webhooks, 0u);
  EXPECT_EQ(c.admitted + c.rejected, 0u);
  EXPECT_EQ(bot.bot().active_calls(), 0);
  EXPECT_EQ(bot.gauge(), 0);
}

TEST_F(SignedBot, HeaderNameIsCaseInsensitive) {
  const std::string target = "/webhook/incoming_call";
  for (const char* name : {"x-twilio-signature", "X-TWILIO-SIGNATURE"}) {
    Parameters fields = incoming_fields(bot.counters().webhooks + 1);
    auto answer = post(bot.port(), target, fields, host(),
                       twilio_signature(kToken, http_url(target), fields), name);
    EXPECT_EQ(answer.status, 200) << name;
    EXPECT_NE(answer.body.find("<Connect"), std::string::npos) << name;
  }
  EXPECT_EQ(bot.counters().bad_signature_webhooks, 0u);
}

TEST_F(SignedBot, DefaultPortVariantsAreAcceptedOtherUrlsAreNot) {
  const std::string target = "/webhook/incoming_call";
  auto try_host = [&](uint64_t n, const std::string& host_header, const std::string& signed_as) {
    Parameters fields = incoming_fields(n);
    return post(bot.port(), target, fields, host_header,
                twilio_signature(kToken, signed_as + target, fields))
        .status;
  };
  // The request said no port, Twilio signed with :80; and the other way round.
  EXPECT_EQ(try_host(1, "127.0.0.1", "http://127.0.0.1:80"), 200);
  EXPECT_EQ(try_host(2, "127.0.0.1:80", "http://127.0.0.1"), 200);
  EXPECT_EQ(try_host(3, "127.0.0.1:80", "http://127.0.0.1:80"), 200);
  EXPECT_EQ(bot.counters().bad_signature_webhooks, 0u);
  // A port other than the default is part of the URL; so are the scheme and the host.
  EXPECT_EQ(try_host(4, host(), "http://127.0.0.1"), 403);
  EXPECT_EQ(try_host(5, "127.0.0.1", "http://127.0.0.1:443"), 403);
  EXPECT_EQ(try_host(6, "127.0.0.1", "https://127.0.0.1"), 403);
  EXPECT_EQ(try_host(7, host(), "http://localhost:" + std::to_string(bot.port())), 403);
  EXPECT_EQ(bot.counters().bad_signature_webhooks, 4u);
  EXPECT_EQ(bot.gauge(), 3);
}

TEST_F(SignedBot, TheQueryStringIsSigned) {
  Parameters fields = incoming_fields(1);
  const std::string target = "/webhook/incoming_call?tenant=a&b=c%20d";
  EXPECT_EQ(signed_post(target, fields).status, 200);
  auto unsigned_query =
      post(bot.port(), target, incoming_fields(2), host(),
           twilio_signature(kToken, http_url("/webhook/incoming_call"), incoming_fields(2)));
  EXPECT_EQ(unsigned_query.status, 403);
}

TEST_F(SignedBot, EveryWebhookIsCheckedAndABadOneReleasesNothing) {
  ASSERT_EQ(signed_post("/webhook/incoming_call", incoming_fields(1)).status, 200);
  ASSERT_EQ(bot.gauge(), 1);
  Parameters completed = {{"CallSid", call_sid(1)}, {"CallStatus", "completed"}};
  Parameters stream_event = {
      {"CallSid", call_sid(1)}, {"StreamSid", stream_sid(1)}, {"StreamEvent", "stream-stopped"}};
  for (const char* target :
       {"/webhook/call_status", "/webhook/stream_ended", "/webhook/stream_status"}) {
    const Parameters& fields =
        std::string(target) == "/webhook/stream_status" ? stream_event : completed;
    EXPECT_EQ(post(bot.port(), target, fields, host(), "").status, 403) << target;
    EXPECT_EQ(signed_post(target, fields, "wrong").status, 403) << target;
  }
  EXPECT_EQ(bot.counters().bad_signature_webhooks, 6u);
  EXPECT_EQ(bot.counters().status_callbacks, 0u);
  EXPECT_EQ(bot.counters().stream_stopped_callbacks, 0u);
  EXPECT_EQ(bot.gauge(), 1);
  EXPECT_EQ(bot.bot().active_calls(), 1);

  EXPECT_EQ(signed_post("/webhook/stream_status", stream_event).status, 204);
  EXPECT_EQ(bot.counters().stream_stopped_callbacks, 1u);
  EXPECT_EQ(signed_post("/webhook/call_status", completed).status, 204);
  EXPECT_TRUE(bot.gauge_becomes(0));
  EXPECT_EQ(bot.counters().bad_signature_webhooks, 6u);
}

TEST_F(SignedBot, ABodyThatIsNotAFormIsCheckedWithoutFields) {
  // Signed over the URL alone, the body itself is then refused as usual.
  auto signed_garbage =
      raw_http(bot.port(), "POST /webhook/incoming_call HTTP/1.1\r\nHost: " + host() +
                               "\r\nX-Twilio-Signature: " +
                               twilio_signature(kToken, http_url("/webhook/incoming_call")) +
                               "\r\nContent-Length: 7\r\nConnection: close\r\n\r\nnovalue");
  EXPECT_EQ(signed_garbage.status, 400);
  EXPECT_EQ(bot.counters().bad_form, 1u);
  auto unsigned_garbage =
      raw_http(bot.port(), "POST /webhook/incoming_call HTTP/1.1\r\nHost: " + host() +
                               "\r\nContent-Length: 7\r\nConnection: close\r\n\r\nnovalue");
  EXPECT_EQ(unsigned_garbage.status, 403);
  EXPECT_EQ(bot.counters().bad_signature_webhooks, 1u);
}

TEST_F(SignedBot, HealthNeedsNoSignature) {
  EXPECT_EQ(http_get(bot.port(), "/health").body, "ok");
  EXPECT_NE(http_get(bot.port(), "/health/details").body.find(R"("signatures":true)"),
            std::string::npos);
  // The token is never shown.
  EXPECT_EQ(http_get(bot.port(), "/health/details").body.find(kToken), std::string::npos);
}

bool opened(const TwilioCalls::Call& c) {
  return c.opened;
}
bool failed(const TwilioCalls::Call& c) {
  return c.failed;
}

TEST_F(SignedBot, UpgradeNeedsTheSignatureOfTheWsUrl) {
  ASSERT_EQ(signed_post("/webhook/incoming_call", incoming_fields(1)).status, 200);
  TwilioCalls callers(bot.port());
  size_t good = callers.open({connected_json(), start_json(call_sid(1), stream_sid(1))},
                             {{"x-twilio-signature", upgrade_signature()}});
  size_t wrong = callers.open({}, {{"x-twilio-signature", upgrade_signature("wrong")}});
  size_t missing = callers.open({});
  // Signed over the http:// form a framework would rebuild, not the ws:// URL Twilio signs.
  size_t http_form = callers.open(
      {}, {{"X-Twilio-Signature",
            twilio_signature(kToken, fmt::format("http://{}/ws/twilio-media", host()))}});
  ASSERT_TRUE(callers.wait_for(good, opened));
  for (size_t refused : {wrong, missing, http_form}) {
    ASSERT_TRUE(callers.wait_for(refused, failed)) << refused;
    EXPECT_EQ(callers.snapshot(refused).http_status, 403) << refused;
  }
  ASSERT_TRUE(bot.eventually([](const Counters& c) { return c.starts == 1; }));
  EXPECT_EQ(bot.counters().bad_signature_upgrades, 3u);
  EXPECT_EQ(bot.counters().upgrades, 4u);
  EXPECT_EQ(bot.counters().streams_opened, 1u);
  hang_up(callers, good, 1);
  ASSERT_TRUE(callers.wait_for(good, is_closed));
  EXPECT_TRUE(bot.gauge_becomes(0));
}

class SignedBotAdmittingAtUpgrade : public SignedBot {
 protected:
  SignedBotAdmittingAtUpgrade() : SignedBot(AdmitAt::kUpgrade) {}
};

TEST_F(SignedBotAdmittingAtUpgrade, ABadSignatureIsRefusedBeforeAdmission) {
  TwilioCalls callers(bot.port());
  size_t wrong = callers.open({connected_json(), start_json(call_sid(1), stream_sid(1))},
                              {{"x-twilio-signature", upgrade_signature("wrong")}});
  ASSERT_TRUE(callers.wait_for(wrong, failed));
  EXPECT_EQ(callers.snapshot(wrong).http_status, 403);
  EXPECT_EQ(bot.counters().admitted + bot.counters().rejected, 0u);
  EXPECT_EQ(bot.gauge(), 0);

  size_t good = callers.open({connected_json(), start_json(call_sid(2), stream_sid(2))},
                             {{"x-twilio-signature", upgrade_signature()}});
  ASSERT_TRUE(callers.wait_for(good, opened));
  EXPECT_EQ(bot.counters().admitted, 1u);
  EXPECT_EQ(bot.gauge(), 1);
  EXPECT_EQ(bot.counters().bad_signature_upgrades, 1u);
  hang_up(callers, good, 2);
  ASSERT_TRUE(callers.wait_for(good, is_closed));
  EXPECT_TRUE(bot.gauge_becomes(0));
}

TEST(UnsignedBot, ChecksNothingWithoutAToken) {
  BotUnderTest bot([](BotConfig& c) { c.admit_at = AdmitAt::kWebhook; });
  std::string host = fmt::format("127.0.0.1:{}", bot.port());
  EXPECT_EQ(post(bot.port(), "/webhook/incoming_call", incoming_fields(1), host, "").status, 200);
  EXPECT_EQ(post(bot.port(), "/webhook/incoming_call", incoming_fields(2), host, "garbage").status,
            200);
  TwilioCalls callers(bot.port());
  size_t call = callers.open({connected_json(), start_json(call_sid(1), stream_sid(1))},
                             {{"x-twilio-signature", "garbage"}});
  ASSERT_TRUE(callers.wait_for(call, opened));
  ASSERT_TRUE(bot.eventually([](const Counters& c) { return c.starts == 1; }));
  EXPECT_EQ(bot.counters().bad_signature_webhooks + bot.counters().bad_signature_upgrades, 0u);
  EXPECT_EQ(bot.gauge(), 2);
}

}  // namespace
}  // namespace callsim::bot::test
