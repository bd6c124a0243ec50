// Where the cap is enforced: each --admit-at mode rejects the way real services do
// (real-servers.md): TwiML at the webhook, HTTP 503 on the upgrade, close 1013 after `start`.
#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include <fmt/format.h>

#include "bot_under_test.h"
#include "burst.h"
#include "calls.h"
#include "raw_http.h"

namespace callsim::bot::test {
namespace {

constexpr const char* kXml = R"(<?xml version="1.0" encoding="UTF-8"?>)";

HttpResponse incoming_call(uint16_t port, uint64_t n) {
  return http_post_form(port, "/webhook/incoming_call",
                        form_body({{"AccountSid", twilio_sid("AC", 1)},
                                   {"CallSid", call_sid(n)},
                                   {"CallStatus", "ringing"},
                                   {"Direction", "inbound"},
                                   {"From", "+14155550100"},
                                   {"To", "+14155550199"}}));
}

HttpResponse call_status(uint16_t port, uint64_t n, const char* status) {
  return http_post_form(port, "/webhook/call_status",
                        form_body({{"CallSid", call_sid(n)}, {"CallStatus", status}}));
}

std::function<void(BotConfig&)> at(AdmitAt where, int cap, Strategy strategy = Strategy::kLua) {
  return [=](BotConfig& c) {
    c.admit_at = where;
    c.cap = cap;
    c.strategy = strategy;
  };
}

TEST(AdmitAtWebhook, AnswersConnectTwimlUpToTheCapThenSayHangup) {
  BotUnderTest bot(at(AdmitAt::kWebhook, 2));
  uint16_t port = bot.port();
  auto first = incoming_call(port, 1);
  EXPECT_EQ(first.status, 200);
  EXPECT_NE(first.headers.find("Content-Type: text/xml"), std::string::npos) << first.headers;
  EXPECT_EQ(first.body,
            fmt::format("{}<Response><Connect action=\"http://127.0.0.1:{}/webhook/stream_ended\">"
                        "<Stream url=\"ws://127.0.0.1:{}/ws/twilio-media\" "
                        "statusCallback=\"http://127.0.0.1:{}/webhook/stream_status\">"
                        "<Parameter name=\"CallSid\" value=\"{}\"/>"
                        "<Parameter name=\"From\" value=\"+14155550100\"/>"
                        "<Parameter name=\"To\" value=\"+14155550199\"/>"
                        "</Stream></Connect></Response>",
                        kXml, port, port, port, call_sid(1)));
  EXPECT_NE(incoming_call(port, 2).body.find("<Connect"), std::string::npos);
  auto third = incoming_call(port, 3);
  EXPECT_EQ(third.status, 200);
  EXPECT_EQ(third.body, std::string(kXml) +
                            "<Response><Say>All our lines are busy. Please call again later."
                            "</Say><Hangup/></Response>");
  EXPECT_EQ(bot.gauge(), 2);
  EXPECT_EQ(bot.counters().admitted, 2u);
  EXPECT_EQ(bot.counters().rejected, 1u);

  // Twilio retrying a webhook gets the same answer and takes no second slot.
  EXPECT_NE(incoming_call(port, 2).body.find("<Connect"), std::string::npos);
  EXPECT_EQ(bot.counters().duplicate_webhooks, 1u);
  EXPECT_EQ(bot.gauge(), 2);

  TwilioCalls callers(port);
  size_t served = place_call(callers, 1);
  size_t refused = place_call(callers, 3);  // rejected at the webhook, streams anyway
  ASSERT_TRUE(callers.wait_for(refused, is_closed));
  EXPECT_EQ(callers.snapshot(refused).close_code, 1008);
  EXPECT_EQ(callers.snapshot(refused).close_reason, "call was not admitted");
  EXPECT_EQ(bot.counters().start_not_admitted, 1u);
  EXPECT_FALSE(callers.snapshot(served).closed);

  // Call 2 never streamed: its status callback frees its slot.
  EXPECT_EQ(call_status(port, 2, "completed").status, 204);
  EXPECT_TRUE(bot.gauge_becomes(1));
  // Call 1 ends with `stop`; its status callback afterwards must not release it again.
  hang_up(callers, served, 1);
  EXPECT_TRUE(bot.gauge_becomes(0));
  ASSERT_TRUE(callers.wait_for(served, is_closed));
  EXPECT_EQ(call_status(port, 1, "completed").status, 204);
  EXPECT_EQ(bot.counters().status_without_slot, 1u);
  EXPECT_TRUE(bot.eventually([](const Counters& c) { return c.releases == 2; }));
  EXPECT_EQ(bot.gauge(), 0);
}

TEST(AdmitAtWebhook, RejectTwimlCanBeAPlainReject) {
  BotUnderTest bot([](BotConfig& c) {
    c.admit_at = AdmitAt::kWebhook;
    c.cap = 0;
    c.reject_twiml = RejectTwiml::kReject;
  });
  EXPECT_EQ(incoming_call(bot.port(), 1).body,
            std::string(kXml) + R"(<Response><Reject reason="busy"/></Response>)");
  EXPECT_EQ(bot.gauge(), 0);
}

TEST(AdmitAtWebhook, ConnectActionCallbackEndsTheCall) {
  BotUnderTest bot(at(AdmitAt::kWebhook, 5));
  ASSERT_NE(incoming_call(bot.port(), 1).body.find("<Connect"), std::string::npos);
  auto action = http_post_form(bot.port(), "/webhook/stream_ended",
                               form_body({{"CallSid", call_sid(1)}, {"CallStatus", "completed"}}));
  EXPECT_EQ(action.body, std::string(kXml) + "<Response><Hangup/></Response>");
  EXPECT_TRUE(bot.gauge_becomes(0));
}

TEST(AdmitAtWebhook, ABurstOf60WebhooksGetsExactly50Connects) {
  BotUnderTest bot(at(AdmitAt::kWebhook, 50));
  for (int burst = 0; burst < 3; ++burst) {
    SCOPED_TRACE(fmt::format("burst {}", burst));
    std::vector<std::string> bodies(60);
    std::vector<std::thread> threads;
    for (int i = 0; i < 60; ++i) {
      threads.emplace_back([&, i] { bodies[i] = incoming_call(bot.port(), 100 * burst + i).body; });
    }
    for (auto& t : threads) t.join();
    int connects = 0, busy = 0;
    for (const auto& b : bodies) {
      connects += b.find("<Connect") != std::string::npos;
      busy += b.find("<Say>All our lines are busy") != std::string::npos;
    }
    ASSERT_EQ(connects, 50);
    ASSERT_EQ(busy, 10);
    ASSERT_EQ(bot.gauge(), 50);
    for (int i = 0; i < 60; ++i) call_status(bot.port(), 100 * burst + i, "completed");
    ASSERT_TRUE(bot.gauge_becomes(0));
  }
}

TEST(AdmitAtUpgrade, AnswersTheUpgrade503OverTheCap) {
  BotUnderTest bot(at(AdmitAt::kUpgrade, 2));
  TwilioCalls callers(bot.port());
  size_t a = place_call(callers, 1);
  ASSERT_TRUE(callers.wait_for(a, [](const TwilioCalls::Call& c) { return c.opened; }));
  size_t b = place_call(callers, 2);
  ASSERT_TRUE(callers.wait_for(b, [](const TwilioCalls::Call& c) { return c.opened; }));
  size_t refused = place_call(callers, 3);
  ASSERT_TRUE(callers.wait_for(refused, [](const TwilioCalls::Call& c) { return c.failed; }));
  EXPECT_EQ(callers.snapshot(refused).http_status, 503);
  EXPECT_FALSE(callers.snapshot(refused).opened);
  EXPECT_EQ(bot.gauge(), 2);

  hang_up(callers, a, 1);
  ASSERT_TRUE(bot.gauge_becomes(1));
  size_t later = place_call(callers, 4);
  EXPECT_TRUE(callers.wait_for(later, [](const TwilioCalls::Call& c) { return c.opened; }));
  EXPECT_EQ(bot.gauge(), 2);
}

// Taken before the CallSid is known, the slot is a ws-… member; `start` ties it to the
// CallSid, so Twilio's status callback can release it.
TEST(AdmitAtUpgrade, SetSlotIsTiedToTheCallSidByStart) {
  BotUnderTest bot(at(AdmitAt::kUpgrade, 5, Strategy::kSetLua));
  TwilioCalls callers(bot.port());
  size_t a = place_call(callers, 7);
  ASSERT_TRUE(bot.eventually([](const Counters& c) { return c.starts == 1; }));
  auto members = bot.redis().command("SMEMBERS %s", kSetKey);
  ASSERT_EQ(members->elements, 1u);
  EXPECT_EQ(std::string(members->element[0]->str).rfind("ws-", 0), 0u);
  EXPECT_EQ(call_status(bot.port(), 7, "completed").status, 204);
  EXPECT_TRUE(bot.gauge_becomes(0));
  hang_up(callers, a, 7);
  ASSERT_TRUE(callers.wait_for(a, is_closed));
  EXPECT_TRUE(bot.eventually([](const Counters& c) { return c.releases == 1; }));
}

TEST(AdmitAtUpgrade, ABurstOf60UpgradesGetsExactly50Streams) {
  BotUnderTest bot(at(AdmitAt::kUpgrade, 50));
  for (int burst = 0; burst < 3; ++burst) {
    SCOPED_TRACE(fmt::format("burst {}", burst));
    BurstOutcome out = run_stream_burst(bot, 60, 1000 * (burst + 1));
    ASSERT_EQ(out.admitted, 50u);
    ASSERT_EQ(out.refused_503, 10u);
    ASSERT_EQ(out.served, 50u);
    ASSERT_EQ(out.gauge_while_held, 50);
    ASSERT_TRUE(out.settled);
  }
}

TEST(AdmitAtStart, ClosesTheStream1013RightAfterStart) {
  BotUnderTest bot(at(AdmitAt::kStart, 2));
  TwilioCalls callers(bot.port());
  place_call(callers, 1);
  place_call(callers, 2);
  ASSERT_TRUE(bot.eventually([](const Counters& c) { return c.admitted == 2; }));
  size_t refused = place_call(callers, 3);
  ASSERT_TRUE(callers.wait_for(refused, is_closed));
  auto call = callers.snapshot(refused);
  EXPECT_TRUE(call.opened);
  EXPECT_EQ(call.close_code, 1013);
  EXPECT_EQ(call.close_reason, "try again later");
  EXPECT_TRUE(call.received.empty());
  EXPECT_EQ(bot.gauge(), 2);
}

}  // namespace
}  // namespace callsim::bot::test
