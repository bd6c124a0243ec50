// The bot as a conformance checker: a stream that follows Twilio's format leaves every
// deviation counter at 0, and one malformed message of each kind moves exactly its counter.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "bot_under_test.h"
#include "calls.h"

namespace callsim::bot::test {
namespace {

std::map<std::string, uint64_t> deviations(const Counters& counters) {
  std::map<std::string, uint64_t> out;
  for (size_t i = 0; i < kDeviationKinds; ++i) {
    auto kind = static_cast<Deviation>(i);
    if (counters.deviation(kind)) out[to_string(kind)] = counters.deviation(kind);
  }
  return out;
}

const std::string kStream = stream_sid(1);
const std::string kCall = call_sid(1);

// connected, start (seq 1), one good media frame (seq 2, chunk 1, timestamp 100).
std::vector<std::string> good_opening() {
  return {connected_json(), start_json(kCall, kStream), media_json(kStream, 2, 1, 100)};
}

struct Case {
  const char* kind;
  std::string message;  // sent after good_opening(); empty: a binary frame instead
};

std::vector<Case> malformed_messages() {
  const std::string& ok = silence_payload();
  return {
      {"binary_frame", ""},
      {"bad_json", R"({"event":"media","sequenceNumber":"3",)"},
      {"unknown_event",
       R"({"event":"hangup","sequenceNumber":"3","streamSid":")" + kStream + "\"}"},
      {"missing_field",
       R"({"event":"media","sequenceNumber":"3","media":{"chunk":"2","timestamp":"120","payload":")" +
           ok + R"("},"streamSid":")" + kStream + "\"}"},
      {"wrong_type",
       R"({"event":"media","sequenceNumber":3,"media":{"track":"inbound","chunk":"2","timestamp":"120","payload":")" +
           ok + R"("},"streamSid":")" + kStream + "\"}"},
      {"extra_field",
       R"({"event":"media","sequenceNumber":"3","media":{"track":"inbound","chunk":"2","timestamp":"120","payload":")" +
           ok + R"(","volume":"11"},"streamSid":")" + kStream + "\"}"},
      {"bad_value",
       R"({"event":"media","sequenceNumber":"3","media":{"track":"outbound","chunk":"2","timestamp":"120","payload":")" +
           ok + R"("},"streamSid":")" + kStream + "\"}"},
      {"wrong_stream_sid", media_json(stream_sid(2), 3, 2, 120)},
      {"bad_sequence", media_json(kStream, 4, 2, 120)},
      {"bad_chunk", media_json(kStream, 3, 3, 120)},
      {"bad_timestamp", media_json(kStream, 3, 2, 200)},
      {"bad_payload", media_json(kStream, 3, 2, 120, "AAAA")},
      {"out_of_order", connected_json()},
      {"unknown_mark", mark_json(kStream, 3, "never-sent")},
  };
}

TEST(Conformance, TwilioShapedStreamHasNoDeviations) {
  BotUnderTest bot;
  TwilioCalls callers(bot.port());
  std::vector<std::string> messages = good_opening();
  uint64_t seq = 3;
  for (uint64_t chunk = 2; chunk <= 50; ++chunk) {
    messages.push_back(media_json(kStream, seq++, chunk, 80 + 20 * chunk));
  }
  messages.push_back(dtmf_json(kStream, seq++, '7'));
  messages.push_back(media_json(kStream, seq++, 51, 80 + 20 * 51 + 3));  // a few ms of jitter
  messages.push_back(stop_json(kStream, seq++, kCall));
  size_t call = callers.open(messages);
  ASSERT_TRUE(
      bot.eventually([&](const Counters& c) { return c.messages_received == messages.size(); }));
  callers.close(call);
  ASSERT_TRUE(bot.eventually([](const Counters& c) { return c.streams_closed == 1; }));
  EXPECT_EQ(deviations(bot.counters()), (std::map<std::string, uint64_t>{}));
  EXPECT_EQ(bot.counters().frames_received, 51u);
}

TEST(Conformance, EachMalformedMessageCountsUnderItsKind) {
  for (const Case& c : malformed_messages()) {
    SCOPED_TRACE(c.kind);
    BotUnderTest bot;
    TwilioCalls callers(bot.port());
    size_t call = callers.open(good_opening());
    ASSERT_TRUE(bot.eventually([](const Counters& k) { return k.frames_received == 1; }));
    if (c.message.empty()) {
      callers.send_binary(call, std::string("\x01\x02\x03", 3));
    } else {
      callers.send(call, c.message);
    }
    ASSERT_TRUE(bot.eventually([](const Counters& k) { return k.messages_received == 4; }));
    EXPECT_EQ(deviations(bot.counters()), (std::map<std::string, uint64_t>{{c.kind, 1}}));
    // A malformed message disturbs nothing else: the call is still served.
    EXPECT_FALSE(callers.snapshot(call).closed);
    EXPECT_EQ(bot.bot().active_calls(), 1);
  }
}

TEST(Conformance, StartIsCheckedFieldByField) {
  struct StartCase {
    const char* kind;
    std::string start;
  };
  const std::string format =
      R"("mediaFormat":{"encoding":"audio/x-mulaw","sampleRate":8000,"channels":1})";
  auto start = [&](const std::string& body, const std::string& top = kStream) {
    return R"({"event":"start","sequenceNumber":"1","start":{)" + body + R"(},"streamSid":")" +
           top + "\"}";
  };
  const std::string sids = R"("accountSid":")" + twilio_sid("AC", 1) + R"(","streamSid":")" +
                           kStream + R"(","callSid":")" + kCall + "\"";
  std::vector<StartCase> cases = {
      {"bad_sid",
       start(R"("accountSid":"AC42","streamSid":")" + kStream + R"(","callSid":")" + kCall +
             R"(","tracks":["inbound"],)" + format + R"(,"customParameters":{})")},
      {"bad_value",
       start(sids + R"(,"tracks":["inbound","outbound"],)" + format + R"(,"customParameters":{})")},
      {"wrong_type",
       start(
           sids +
           R"(,"tracks":["inbound"],"mediaFormat":{"encoding":"audio/x-mulaw","sampleRate":"8000","channels":1},"customParameters":{})")},
      {"missing_field", start(sids + R"(,"tracks":["inbound"],)" + format)},
      {"wrong_stream_sid",
       start(sids + R"(,"tracks":["inbound"],)" + format + R"(,"customParameters":{})",
             stream_sid(9))},
  };
  for (const StartCase& c : cases) {
    SCOPED_TRACE(c.kind);
    BotUnderTest bot;
    TwilioCalls callers(bot.port());
    callers.open({connected_json(), c.start});
    ASSERT_TRUE(bot.eventually([](const Counters& k) { return k.starts == 1; }));
    EXPECT_EQ(deviations(bot.counters()), (std::map<std::string, uint64_t>{{c.kind, 1}}));
  }
}

}  // namespace
}  // namespace callsim::bot::test
