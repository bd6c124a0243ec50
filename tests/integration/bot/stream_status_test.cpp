// POST /webhook/stream_status, the <Stream statusCallback> Twilio calls as a stream starts,
// stops or fails: counted per StreamEvent, answered 204, and never a release (a real server
// frees its slot when the socket closes).
#include <gtest/gtest.h>

#include <string>

#include "bot_under_test.h"
#include "calls.h"
#include "raw_http.h"

namespace callsim::bot::test {
namespace {

HttpResponse stream_status(uint16_t port, uint64_t n, const std::string& event,
                           const std::string& error = "") {
  return http_post_form(port, "/webhook/stream_status",
                        form_body({{"AccountSid", twilio_sid("AC", 1)},
                                   {"CallSid", call_sid(n)},
                                   {"StreamSid", stream_sid(n)},
                                   {"StreamName", stream_sid(n)},
                                   {"StreamEvent", event},
                                   {"StreamError", error},
                                   {"Timestamp", "2024-05-01T12:00:00.000Z"}}));
}

TEST(StreamStatus, EachEventIsCountedAndAnswered204) {
  BotUnderTest bot;
  auto started = stream_status(bot.port(), 1, "stream-started");
  EXPECT_EQ(started.status, 204);
  EXPECT_EQ(started.body, "");
  EXPECT_EQ(stream_status(bot.port(), 2, "stream-started").status, 204);
  EXPECT_EQ(stream_status(bot.port(), 1, "stream-stopped").status, 204);
  EXPECT_EQ(
      stream_status(bot.port(), 2, "stream-error", "Stream - WebSocket - Close\nError").status,
      204);
  const Counters& c = bot.counters();
  EXPECT_EQ(c.stream_started_callbacks, 2u);
  EXPECT_EQ(c.stream_stopped_callbacks, 1u);
  EXPECT_EQ(c.stream_error_callbacks, 1u);
  EXPECT_EQ(c.bad_stream_events, 0u);
  EXPECT_EQ(c.bad_form, 0u);
  EXPECT_EQ(c.status_callbacks, 0u);

  // The error reaches the log as one line.
  bool logged = false;
  for (const auto& line : bot.log_lines()) {
    if (line == "call " + call_sid(2) + " stream " + stream_sid(2) +
                    " stream-error: Stream - WebSocket - Close?Error") {
      logged = true;
    }
  }
  EXPECT_TRUE(logged);
}

TEST(StreamStatus, UnknownOrMissingFieldsGet400) {
  BotUnderTest bot;
  auto unknown = stream_status(bot.port(), 1, "stream-paused");
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(unknown.body, "StreamEvent is not stream-started, stream-stopped or stream-error\n");
  EXPECT_EQ(bot.counters().bad_stream_events, 1u);
  EXPECT_EQ(bot.counters().bad_form, 0u);

  auto no_event =
      http_post_form(bot.port(), "/webhook/stream_status", form_body({{"CallSid", call_sid(1)}}));
  EXPECT_EQ(no_event.status, 400);
  EXPECT_EQ(no_event.body, "missing StreamEvent\n");
  auto empty_event = http_post_form(bot.port(), "/webhook/stream_status",
                                    form_body({{"CallSid", call_sid(1)}, {"StreamEvent", ""}}));
  EXPECT_EQ(empty_event.status, 400);
  auto no_call = http_post_form(bot.port(), "/webhook/stream_status",
                                form_body({{"StreamEvent", "stream-started"}}));
  EXPECT_EQ(no_call.status, 400);
  EXPECT_EQ(no_call.body, "missing CallSid\n");
  EXPECT_EQ(http_post_form(bot.port(), "/webhook/stream_status", "novalue").status, 400);
  EXPECT_EQ(bot.counters().bad_form, 4u);
  EXPECT_EQ(bot.counters().bad_stream_events, 1u);
  EXPECT_EQ(bot.counters().stream_started_callbacks, 0u);

  auto get = http_get(bot.port(), "/webhook/stream_status");
  EXPECT_EQ(get.status, 405);
  EXPECT_EQ(bot.counters().method_not_allowed, 1u);
}

TEST(StreamStatus, NeverReleasesASlot) {
  BotUnderTest bot([](BotConfig& c) { c.admit_at = AdmitAt::kWebhook; });
  auto twiml =
      http_post_form(bot.port(), "/webhook/incoming_call", form_body({{"CallSid", call_sid(1)}}));
  ASSERT_NE(twiml.body.find("<Connect"), std::string::npos);
  ASSERT_EQ(bot.gauge(), 1);
  EXPECT_EQ(stream_status(bot.port(), 1, "stream-stopped").status, 204);
  EXPECT_EQ(stream_status(bot.port(), 1, "stream-error", "31920").status, 204);
  EXPECT_EQ(bot.gauge(), 1);
  EXPECT_EQ(bot.bot().active_calls(), 1);
  EXPECT_EQ(bot.counters().releases, 0u);
}

}  // namespace
}  // namespace callsim::bot::test
