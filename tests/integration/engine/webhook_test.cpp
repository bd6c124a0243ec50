// The voice webhook phase: what callsim POSTs, how it follows each kind of TwiML, and how it
// classifies a webhook that fails, loops or attacks it.
#include <gtest/gtest.h>

#include <cmath>

#include "child_process.h"
#include "http_test_server.h"
#include "run/burst_runner.h"
#include "scripted_server.h"

namespace callsim {
namespace {

using namespace std::chrono_literals;
using test::HttpExchange;
using test::HttpReply;
using test::HttpTestServer;

BurstOutcome run_webhook_calls(const std::string& webhook, int calls,
                               const std::string& auth_token = "") {
  CallSettings settings;
  settings.webhook_url = webhook;
  settings.from_numbers = NumberPool::parse("+1415555####", "--from");
  settings.to_numbers = NumberPool::parse("+18005550100", "--to");
  settings.auth_token = auth_token;
  settings.webhook_timeout = 300ms;
  std::vector<int16_t> pcm(8000, 1000);
  settings.audio = media::FrameSource::from_pcm(pcm, "flat");
  settings.hold = 500ms;
  settings.seed = 3;
  LoadPlan plan(calls, calls, 0s, 0, 1);
  SteadyClock clock;
  ProgressPrinter quiet(Options::Progress::kOff, 1s);
  return run_burst(settings, plan, clock, quiet, TimePoint::max(), clock.now(), {});
}

std::string field(const std::string& body, const std::string& name) {
  auto at = body.find(name + "=");
  if (at == std::string::npos) return "";
  at += name.size() + 1;
  return body.substr(at, body.find('&', at) - at);
}

TEST(Webhook, ConnectStreamOpensTheNamedStreamWithItsParametersAndPostsTheStatus) {
  test::ScriptedServer media(test::ScriptedServer::Behaviour::kSink);
  std::string stream = media.url();
  HttpTestServer webhook([&](const HttpExchange& request) {
    if (request.resource == "/status") return HttpReply{200, "", "text/plain"};
    return HttpReply{200, "<Response><Connect action=\"/status\"><Stream url=\"" + stream +
                              "\"><Parameter name=\"tenant\" value=\"acme\"/></Stream></Connect>"
                              "</Response>"};
  });
  auto outcome = run_webhook_calls(webhook.url("/voice"), 2, "12345");
  ASSERT_EQ(outcome.stats.count(Outcome::kCompleted), 2u);
  EXPECT_EQ(outcome.stats.webhooks_posted, 2u);
  EXPECT_EQ(outcome.stats.status_callbacks_posted, 2u);

  ASSERT_TRUE(test::eventually([&] { return webhook.exchanges().size() == 4; }, 5s));
  std::map<std::string, std::string> status_of;
  for (const auto& ex : webhook.exchanges()) {
    EXPECT_EQ(ex.method, "POST");
    EXPECT_EQ(ex.headers.at("content-type"), "application/x-www-form-urlencoded");
    EXPECT_EQ(ex.headers.at("x-twilio-signature").size(), 28u);
    std::string sid = field(ex.body, "CallSid");
    if (ex.resource == "/voice") {
      EXPECT_EQ(field(ex.body, "CallStatus"), "ringing");
      EXPECT_EQ(field(ex.body, "Direction"), "inbound");
      EXPECT_EQ(field(ex.body, "From").substr(0, 10), "%2B1415555");
    } else {
      EXPECT_EQ(ex.resource, "/status");
      status_of[sid] = field(ex.body, "CallStatus");
    }
  }
  for (const auto& c : outcome.stats.calls) EXPECT_EQ(status_of[c.ids.call_sid], "completed");
  // The stream carries the webhook's CallSid and the TwiML's parameters; the upgrade is signed.
  for (const auto& con : media.connections()) {
    EXPECT_NE(con.messages[1].text.find(R"("customParameters":{"tenant":"acme"})"),
              std::string::npos);
    EXPECT_EQ(con.headers.at("x-twilio-signature").size(), 28u);
  }
}

TEST(Webhook, RejectAndHangupTwimlAreExplicitRejections) {
  HttpTestServer webhook([](const HttpExchange&) {
    return HttpReply{200, "<Response><Say>We are busy</Say><Hangup/></Response>"};
  });
  auto outcome = run_webhook_calls(webhook.url("/voice"), 3);
  ASSERT_EQ(outcome.stats.count(Outcome::kRejected), 3u);
  for (const auto& c : outcome.stats.calls) {
    EXPECT_EQ(c.reject_kind, RejectKind::kTwiml);
    EXPECT_EQ(c.reject_detail, "Hangup: We are busy");
    EXPECT_FALSE(c.admitted());
  }
}

struct Failure {
  const char* name;
  HttpReply reply;
  const char* error_contains;
};

TEST(Webhook, BrokenWebhooksAreProtocolErrorsNamingTheProblem) {
  std::string bomb;
  for (int i = 0; i < 20000; ++i) bomb += "<a>";
  std::vector<Failure> failures = {
      {"http 500", HttpReply{500, "oops"}, "answered HTTP 500"},
      {"timeout", HttpReply{200, "", "text/xml", true}, "webhook"},
      {"not xml", HttpReply{200, "this is not TwiML"}, "TwiML:"},
      {"unknown verb", HttpReply{200, "<Response><Dial>+1</Dial></Response>"}, "Dial"},
      {"bomb", HttpReply{200, "<Response>" + bomb + "</Response>"}, "TwiML:"},
      {"scheme mismatch",
       HttpReply{200,
                 "<Response><Connect><Stream url=\"wss://127.0.0.1:1/x\"/></Connect></Response>"},
       "different scheme"},
  };
  for (const Failure& f : failures) {
    HttpTestServer webhook([&](const HttpExchange&) { return f.reply; });
    auto outcome = run_webhook_calls(webhook.url("/voice"), 2);
    ASSERT_EQ(outcome.stats.calls.size(), 2u) << f.name;
    for (const auto& c : outcome.stats.calls) {
      EXPECT_EQ(c.outcome, Outcome::kProtocolError) << f.name << ": " << c.error;
      EXPECT_NE(c.error.find(f.error_contains), std::string::npos) << f.name << ": " << c.error;
    }
  }
}

TEST(Webhook, ARedirectLoopIsCutAfterFiveHops) {
  HttpTestServer webhook([](const HttpExchange&) {
    return HttpReply{200, "<Response><Redirect>/again</Redirect></Response>"};
  });
  auto outcome = run_webhook_calls(webhook.url("/voice"), 1);
  ASSERT_EQ(outcome.stats.calls.size(), 1u);
  EXPECT_EQ(outcome.stats.calls[0].outcome, Outcome::kProtocolError);
  EXPECT_NE(outcome.stats.calls[0].error.find("more than 5"), std::string::npos);
  EXPECT_EQ(webhook.exchanges().size(), 6u);  // the webhook and five redirects
}

}  // namespace
}  // namespace callsim
