// The voice webhook phase: what callsim POSTs, how it follows each kind of TwiML, and how it
// classifies a webhook that fails, loops or attacks it.
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "child_process.h"
#include "core/twilio_signature.h"
#include "engine_run.h"
#include "http_test_server.h"
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
  test::use_webhook(settings, webhook);
  settings.auth_token = auth_token;
  settings.webhook_timeout = 300ms;
  settings.audio = test::flat_audio();
  settings.hold = 500ms;
  settings.seed = 3;
  return test::run_calls(settings, calls);
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

TEST(Webhook, StreamUrlSchemeIsCaseInsensitive) {
  test::ScriptedServer media(test::ScriptedServer::Behaviour::kSink);
  std::string stream = media.url();
  ASSERT_EQ(stream.rfind("ws://", 0), 0u);
  stream.replace(0, 2, "WS");
  HttpTestServer webhook([&](const HttpExchange&) {
    return HttpReply{200,
                     "<Response><Connect><Stream url=\"" + stream + "\"/></Connect></Response>"};
  });
  std::string voice = webhook.url("/voice");
  voice.replace(0, 4, "HTTP");
  auto outcome = run_webhook_calls(voice, 2);
  EXPECT_EQ(outcome.stats.count(Outcome::kCompleted), 2u);
  for (const auto& c : outcome.stats.calls) EXPECT_EQ(c.error, "") << c.error;
  EXPECT_EQ(media.connections().size(), 2u);
}

std::string stream_twiml(const std::string& stream_url) {
  return "<Response><Connect action=\"/status\"><Stream name=\"agent\" url=\"" + stream_url +
         "\" statusCallback=\"/stream-status\"/></Connect></Response>";
}

// StreamEvent of every request to /stream-status, by CallSid, in arrival order.
std::map<std::string, std::vector<std::string>> stream_events(const HttpTestServer& webhook) {
  std::map<std::string, std::vector<std::string>> events;
  for (const auto& ex : webhook.exchanges()) {
    if (ex.resource != "/stream-status") continue;
    EXPECT_EQ(field(ex.body, "StreamName"), "agent");
    EXPECT_EQ(ex.headers.at("x-twilio-signature").size(), 28u);
    std::string event = field(ex.body, "StreamEvent");
    if (event == "stream-error") event += " " + field(ex.body, "StreamError");
    events[field(ex.body, "CallSid")].push_back(event);
  }
  return events;
}

TEST(Webhook, StreamStatusCallbackHearsTheStreamStartAndStop) {
  test::ScriptedServer media(test::ScriptedServer::Behaviour::kSink);
  HttpTestServer webhook([&](const HttpExchange& request) {
    if (request.resource != "/voice") return HttpReply{204, "", "text/plain"};
    return HttpReply{200, stream_twiml(media.url())};
  });
  auto outcome = run_webhook_calls(webhook.url("/voice"), 2, "12345");
  ASSERT_EQ(outcome.stats.count(Outcome::kCompleted), 2u);
  EXPECT_EQ(outcome.stats.stream_callbacks_posted, 4u);
  // voice webhook, stream-started, stream-stopped and the call's status, for each call.
  ASSERT_TRUE(test::eventually([&] { return webhook.exchanges().size() == 8; }, 5s));
  auto events = stream_events(webhook);
  for (const auto& c : outcome.stats.calls) {
    EXPECT_EQ(events[c.ids.call_sid],
              (std::vector<std::string>{"stream-started", "stream-stopped"}));
  }
  EXPECT_EQ(outcome.stats.stream_callbacks_failed, 0u);
}

TEST(Webhook, StreamStatusCallbackHearsAFailedUpgradeAsAStreamError) {
  test::ScriptedServer media(test::ScriptedServer::Behaviour::kReject503);
  HttpTestServer webhook([&](const HttpExchange& request) {
    if (request.resource == "/stream-status") return HttpReply{500, "", "text/plain"};
    if (request.resource != "/voice") return HttpReply{204, "", "text/plain"};
    return HttpReply{200, stream_twiml(media.url())};
  });
  auto outcome = run_webhook_calls(webhook.url("/voice"), 2, "12345");
  ASSERT_EQ(outcome.stats.count(Outcome::kRejected), 2u);
  ASSERT_TRUE(test::eventually([&] { return webhook.exchanges().size() == 6; }, 5s));
  auto events = stream_events(webhook);
  for (const auto& c : outcome.stats.calls) {
    EXPECT_EQ(events[c.ids.call_sid],
              std::vector<std::string>{"stream-error 31920%20WebSocket%20-%20Handshake%20Error"});
  }
  EXPECT_EQ(outcome.stats.stream_callbacks_posted, 2u);
  EXPECT_EQ(outcome.stats.stream_callbacks_failed, 2u);
}

// method="GET" on <Redirect>, <Connect> and statusCallbackMethod: Twilio puts the fields in
// the query string and signs that whole URL.
TEST(Webhook, GetMethodsCarryTheFieldsInTheQueryAndSignTheWholeUrl) {
  test::ScriptedServer media(test::ScriptedServer::Behaviour::kSink);
  HttpTestServer webhook([&](const HttpExchange& request) {
    if (request.resource == "/voice") {
      return HttpReply{200, "<Response><Redirect method=\"GET\">/next?leg=2</Redirect></Response>"};
    }
    if (request.resource.rfind("/next?", 0) == 0) {
      return HttpReply{
          200, "<Response><Connect action=\"/status\" method=\"GET\"><Stream url=\"" + media.url() +
                   "\" statusCallback=\"/stream-status\" statusCallbackMethod=\"GET\"/>"
                   "</Connect></Response>"};
    }
    return HttpReply{204, "", "text/plain"};
  });
  auto outcome = run_webhook_calls(webhook.url("/voice"), 1, "12345");
  ASSERT_EQ(outcome.stats.count(Outcome::kCompleted), 1u);
  // voice (POST), redirect, stream-started, stream-stopped, status: the last four are GETs.
  ASSERT_TRUE(test::eventually([&] { return webhook.exchanges().size() == 5; }, 5s));
  const std::string sid = outcome.stats.calls[0].ids.call_sid;
  std::map<std::string, int> gets_by_path;
  for (const auto& ex : webhook.exchanges()) {
    if (ex.resource == "/voice") {
      EXPECT_EQ(ex.method, "POST");
      continue;
    }
    EXPECT_EQ(ex.method, "GET") << ex.resource;
    EXPECT_EQ(ex.body, "");
    EXPECT_EQ(ex.headers.count("content-type"), 0u);
    const std::string path = ex.resource.substr(0, ex.resource.find('?'));
    ++gets_by_path[path];
    EXPECT_NE(ex.resource.find("CallSid=" + sid), std::string::npos) << ex.resource;
    EXPECT_EQ(ex.headers.at("x-twilio-signature"),
              twilio_signature("12345", webhook.url(ex.resource)))
        << ex.resource;
  }
  EXPECT_EQ(gets_by_path,
            (std::map<std::string, int>{{"/next", 1}, {"/status", 1}, {"/stream-status", 2}}));
  EXPECT_NE(webhook.exchanges()[1].resource.find("/next?leg=2&"), std::string::npos);
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
