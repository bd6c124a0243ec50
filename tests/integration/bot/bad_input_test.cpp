// Hostile or broken input: each case is counted, answered the way a real server would, and
// never crashes the bot or costs a slot.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <string>

#include "bot_under_test.h"
#include "calls.h"
#include "raw_http.h"

namespace callsim::bot::test {
namespace {

TEST(BadInput, HealthEndpointsAnswer) {
  BotUnderTest bot([](BotConfig& c) { c.cap = 7; });
  auto health = http_get(bot.port(), "/health");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.body, "ok");

  TwilioCalls callers(bot.port());
  place_call(callers, 1);
  ASSERT_TRUE(bot.eventually([](const Counters& c) { return c.admitted == 1; }));
  auto details = http_get(bot.port(), "/health/details");
  EXPECT_EQ(details.status, 200);
  EXPECT_NE(details.headers.find("Content-Type: application/json"), std::string::npos);
  rapidjson::Document doc;
  ASSERT_FALSE(doc.Parse(details.body.c_str()).HasParseError()) << details.body;
  EXPECT_EQ(doc["active_calls"].GetInt(), 1);
  EXPECT_EQ(doc["max_calls"].GetInt(), 7);
  EXPECT_EQ(doc["open_streams"].GetInt(), 1);
  EXPECT_STREQ(doc["admission"].GetString(), "lua");
  EXPECT_STREQ(doc["admit_at"].GetString(), "start");
  EXPECT_EQ(doc["counters"]["admitted"].GetUint64(), 1u);
  EXPECT_EQ(doc["counters"]["starts"].GetUint64(), 1u);
  EXPECT_EQ(doc["conformance"]["bad_json"].GetUint64(), 0u);
  EXPECT_EQ(doc["conformance"].MemberCount(), kDeviationKinds);
}

TEST(BadInput, MalformedHttpIsRefusedAndCounted) {
  BotUnderTest bot;
  auto garbage = raw_http(bot.port(), "GARBAGE\r\n\r\n");
  EXPECT_EQ(garbage.status, 400);
  auto header_bomb = raw_http(
      bot.port(), "GET /health HTTP/1.1\r\nX-Long: " + std::string(100'000, 'a') + "\r\n\r\n");
  EXPECT_GE(header_bomb.status, 400);
  auto huge_body = raw_http(bot.port(),
                            "POST /webhook/incoming_call HTTP/1.1\r\nHost: x\r\nContent-Length: "
                            "200000\r\n\r\n" +
                                std::string(200'000, 'a'));
  EXPECT_GE(huge_body.status, 400);
  ASSERT_TRUE(bot.eventually([](const Counters& c) { return c.bad_http == 3; }));
  // A reachability probe (connect, then close without a request) is not a bad request.
  connect_and_close(bot.port());
  ASSERT_TRUE(bot.eventually([](const Counters& c) { return c.aborted_connections == 1; }));
  EXPECT_EQ(bot.counters().bad_http, 3u);
  EXPECT_EQ(http_get(bot.port(), "/health").body, "ok");
}

TEST(BadInput, WrongPathsAndMethods) {
  BotUnderTest bot;
  EXPECT_EQ(http_get(bot.port(), "/nope").status, 404);
  EXPECT_EQ(http_get(bot.port(), "/webhook/incoming_call").status, 405);
  EXPECT_EQ(http_post_form(bot.port(), "/health", "a=b").status, 405);
  TwilioCalls callers(bot.port(), "/ws/other");
  size_t call = place_call(callers, 1);
  ASSERT_TRUE(callers.wait_for(call, [](const TwilioCalls::Call& c) { return c.failed; }));
  EXPECT_EQ(callers.snapshot(call).http_status, 404);
  EXPECT_EQ(bot.counters().not_found, 2u);
  EXPECT_EQ(bot.counters().method_not_allowed, 2u);
  // The media path works with a trailing slash too.
  TwilioCalls slash(bot.port(), "/ws/twilio-media/");
  place_call(slash, 2);
  EXPECT_TRUE(bot.eventually([](const Counters& c) { return c.admitted == 1; }));
}

TEST(BadInput, BadFormBodiesGet400) {
  BotUnderTest bot([](BotConfig& c) { c.admit_at = AdmitAt::kWebhook; });
  EXPECT_EQ(http_post_form(bot.port(), "/webhook/incoming_call", "CallSid=%ZZ").status, 400);
  EXPECT_EQ(http_post_form(bot.port(), "/webhook/incoming_call", "From=%2B1555").status, 400);
  EXPECT_EQ(http_post_form(bot.port(), "/webhook/incoming_call", "garbage").status, 400);
  EXPECT_EQ(http_post_form(bot.port(), "/webhook/call_status", "CallStatus=completed").status, 400);
  EXPECT_EQ(bot.counters().bad_form, 4u);
  EXPECT_EQ(bot.counters().admitted, 0u);
  EXPECT_EQ(bot.gauge(), 0);
}

TEST(BadInput, StartWithoutSidsIsClosed1008WithoutTakingASlot) {
  BotUnderTest bot;
  TwilioCalls callers(bot.port());
  size_t no_stream = callers.open({connected_json(), start_json(call_sid(1), "")});
  size_t no_call = callers.open({connected_json(), start_json("", stream_sid(2))});
  ASSERT_TRUE(callers.wait_all(is_closed));
  EXPECT_EQ(callers.snapshot(no_stream).close_code, 1008);
  EXPECT_EQ(callers.snapshot(no_stream).close_reason, "start without streamSid");
  EXPECT_EQ(callers.snapshot(no_call).close_code, 1008);
  EXPECT_EQ(callers.snapshot(no_call).close_reason, "start without callSid");
  EXPECT_EQ(bot.counters().start_without_stream_sid, 1u);
  EXPECT_EQ(bot.counters().start_without_call_sid, 1u);
  EXPECT_EQ(bot.counters().admitted, 0u);
  EXPECT_EQ(bot.gauge(), 0);
}

TEST(BadInput, CustomParameterCallSidStandsInForAMissingCallSid) {
  BotUnderTest bot;
  TwilioCalls callers(bot.port());
  size_t call =
      callers.open({connected_json(), start_json("", stream_sid(1), twilio_sid("AC", 1),
                                                 R"({"CallSid":")" + call_sid(1) + "\"}")});
  ASSERT_TRUE(bot.eventually([](const Counters& c) { return c.admitted == 1; }));
  hang_up(callers, call, 1);
  EXPECT_TRUE(bot.gauge_becomes(0));
}

TEST(BadInput, SecondStreamForALiveCallSidIsClosed) {
  BotUnderTest bot;
  TwilioCalls callers(bot.port());
  size_t first = place_call(callers, 1);
  ASSERT_TRUE(bot.eventually([](const Counters& c) { return c.admitted == 1; }));
  size_t second = place_call(callers, 1);
  ASSERT_TRUE(callers.wait_for(second, is_closed));
  EXPECT_EQ(callers.snapshot(second).close_reason, "duplicate CallSid");
  EXPECT_EQ(bot.counters().duplicate_call_sid, 1u);
  EXPECT_FALSE(callers.snapshot(first).closed);
  EXPECT_EQ(bot.gauge(), 1);
  hang_up(callers, first, 1);
  EXPECT_TRUE(bot.gauge_becomes(0));
}

TEST(BadInput, FloodIsCutOffAndItsSlotReleased) {
  BotUnderTest bot;
  TwilioCalls callers(bot.port());
  size_t call = place_call(callers, 1);
  ASSERT_TRUE(bot.eventually([](const Counters& c) { return c.admitted == 1; }));
  std::vector<std::string> flood;
  for (uint64_t i = 0; i < 3000; ++i)
    flood.push_back(media_json(stream_sid(1), i + 2, i + 1, 100 + 20 * i));
  callers.send_all(call, flood);
  ASSERT_TRUE(callers.wait_for(call, is_closed));
  EXPECT_EQ(callers.snapshot(call).close_code, 1008);
  EXPECT_EQ(callers.snapshot(call).close_reason, "message rate limit exceeded");
  EXPECT_EQ(bot.counters().floods, 1u);
  EXPECT_TRUE(bot.gauge_becomes(0));
}

TEST(BadInput, OversizedAndDeeplyNestedMessages) {
  BotUnderTest bot;
  TwilioCalls callers(bot.port());
  size_t nested = place_call(callers, 1);
  size_t oversized = place_call(callers, 2);
  ASSERT_TRUE(bot.eventually([](const Counters& c) { return c.admitted == 2; }));
  // Valid JSON nested 30,000 deep: a recursive parser would exhaust its stack.
  callers.send(nested, std::string(30'000, '[') + std::string(30'000, ']'));
  callers.send(oversized, std::string(100'000, 'x'));
  ASSERT_TRUE(callers.wait_for(oversized, is_closed));
  EXPECT_EQ(callers.snapshot(oversized).close_code, 1009);
  ASSERT_TRUE(bot.eventually([](const Counters& c) { return c.oversized_messages == 1; }));
  EXPECT_TRUE(
      bot.eventually([](const Counters& c) { return c.deviation(Deviation::kBadJson) == 1; }));
  EXPECT_FALSE(callers.snapshot(nested).closed);
  EXPECT_TRUE(bot.gauge_becomes(1));
  hang_up(callers, nested, 1);
  EXPECT_TRUE(bot.gauge_becomes(0));
}

TEST(BadInput, GarbageFramesDisturbNothingAndEveryEndReleases) {
  BotUnderTest bot;
  TwilioCalls callers(bot.port());
  std::vector<size_t> calls;
  for (uint64_t n = 1; n <= 10; ++n) calls.push_back(place_call(callers, n));
  ASSERT_TRUE(bot.eventually([](const Counters& c) { return c.admitted == 10; }));
  for (size_t i = 0; i < calls.size(); ++i) {
    callers.send(calls[i], "not json at all");
    callers.send_binary(calls[i], std::string(160, '\xff'));
    callers.send(calls[i], R"({"event":"media"})");
    callers.send(calls[i], "[]");
  }
  ASSERT_TRUE(bot.eventually([](const Counters& c) { return c.messages_received == 60; }));
  EXPECT_EQ(bot.counters().deviation(Deviation::kBadJson), 20u);
  EXPECT_EQ(bot.counters().deviation(Deviation::kBinaryFrame), 10u);
  EXPECT_EQ(bot.gauge(), 10);
  // Every way a call can end gives its slot back.
  for (size_t i = 0; i < calls.size(); ++i) {
    if (i % 3 == 0) hang_up(callers, calls[i], i + 1);
    if (i % 3 == 1) callers.close(calls[i]);
    if (i % 3 == 2) callers.reset(calls[i]);
  }
  EXPECT_TRUE(bot.gauge_becomes(0));
  EXPECT_TRUE(bot.eventually([](const Counters& c) { return c.streams_closed == 10; }));
  EXPECT_EQ(bot.bot().active_calls(), 0);
}

}  // namespace
}  // namespace callsim::bot::test
