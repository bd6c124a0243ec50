#include "bot/conformance.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "twilio_json.h"

namespace callsim::bot {
namespace {

using test::connected_json;
using test::media_json;
using test::start_json;
using test::twilio_sid;

const std::string kStream = twilio_sid("MZ", 1);
const std::string kCall = twilio_sid("CA", 1);

// Feeds messages in order; returns the deviations of each.
std::vector<std::string> check_all(ConformanceChecker& checker,
                                   const std::vector<std::string>& messages) {
  std::vector<std::string> out;
  for (const auto& m : messages) {
    DeviationSet found;
    checker.check_text(m, found);
    std::string kinds;
    for (size_t i = 0; i < kDeviationKinds; ++i) {
      if (found.test(i))
        kinds += std::string(kinds.empty() ? "" : ",") + to_string(static_cast<Deviation>(i));
    }
    out.push_back(kinds);
  }
  return out;
}

std::vector<std::string> opening() {
  return {connected_json(), start_json(kCall, kStream)};
}

TEST(ConformanceChecker, ExtractsWhatTheBotNeedsFromStart) {
  ConformanceChecker checker;
  DeviationSet found;
  checker.check_text(connected_json(), found);
  auto start = checker.check_text(
      start_json(kCall, kStream, twilio_sid("AC", 1), R"({"CallSid":"CAother","x":"y"})"), found);
  EXPECT_TRUE(found.none());
  EXPECT_EQ(start.event, CallerMessage::Event::kStart);
  EXPECT_EQ(start.stream_sid, kStream);
  EXPECT_EQ(start.call_sid, kCall);
  EXPECT_EQ(start.custom_call_sid, "CAother");
  auto media = checker.check_text(media_json(kStream, 2, 1, 100), found);
  EXPECT_TRUE(found.none());
  EXPECT_EQ(media.event, CallerMessage::Event::kMedia);
  EXPECT_EQ(media.audio, std::vector<uint8_t>(160, 0xFF));
}

TEST(ConformanceChecker, SequenceSkipCountsOnceThenResynchronises) {
  ConformanceChecker checker;
  auto messages = opening();
  messages.push_back(media_json(kStream, 2, 1, 100));
  messages.push_back(media_json(kStream, 5, 2, 120));  // skipped 3 and 4
  messages.push_back(media_json(kStream, 6, 3, 140));
  messages.push_back(media_json(kStream, 6, 4, 160));  // repeated
  EXPECT_EQ(check_all(checker, messages),
            (std::vector<std::string>{"", "", "", "bad_sequence", "", "bad_sequence"}));
}

TEST(ConformanceChecker, StartMustBeSequenceOneAndChunksStartAtOne) {
  ConformanceChecker checker;
  std::string start = start_json(kCall, kStream);
  start.replace(start.find(R"("sequenceNumber":"1")"), 20, R"("sequenceNumber":"0")");
  EXPECT_EQ(check_all(checker, {connected_json(), start, media_json(kStream, 1, 0, 100)}),
            (std::vector<std::string>{"", "bad_sequence", "bad_chunk"}));
}

TEST(ConformanceChecker, CountersAreCanonicalDecimalStrings) {
  EXPECT_EQ(parse_twilio_counter("1"), 1u);
  EXPECT_EQ(parse_twilio_counter("0"), 0u);
  EXPECT_EQ(parse_twilio_counter("18446744073709551"), 18446744073709551u);
  EXPECT_FALSE(parse_twilio_counter(""));
  EXPECT_FALSE(parse_twilio_counter("01"));
  EXPECT_FALSE(parse_twilio_counter("-1"));
  EXPECT_FALSE(parse_twilio_counter("+1"));
  EXPECT_FALSE(parse_twilio_counter("1.0"));
  EXPECT_FALSE(parse_twilio_counter("99999999999999999999"));
}

TEST(ConformanceChecker, TimestampStepsMayJitterAroundTwentyMilliseconds) {
  ConformanceChecker checker;
  auto messages = opening();
  uint64_t ts[] = {155, 185, 195, 226, 216, 236, 235};
  //               +30  +10  +31  -10  +20  -1
  for (uint64_t i = 0; i < 7; ++i) messages.push_back(media_json(kStream, i + 2, i + 1, ts[i]));
  EXPECT_EQ(check_all(checker, messages),
            (std::vector<std::string>{"", "", "", "", "", "bad_timestamp", "bad_timestamp", "",
                                      "bad_timestamp"}));
}

TEST(ConformanceChecker, SidsAreAPrefixAnd32HexDigits) {
  EXPECT_TRUE(is_twilio_sid(kStream, "MZ"));
  EXPECT_TRUE(is_twilio_sid("CA0123456789ABCDEFabcdef0123456789", "CA"));
  EXPECT_FALSE(is_twilio_sid(kStream, "CA"));
  EXPECT_FALSE(is_twilio_sid("CA0123456789abcdef0123456789abcde", "CA"));    // 31 digits
  EXPECT_FALSE(is_twilio_sid("CA0123456789abcdef0123456789abcdeg", "CA"));   // not hex
  EXPECT_FALSE(is_twilio_sid("CA0123456789abcdef0123456789abcdef0", "CA"));  // 33 digits
}

TEST(ConformanceChecker, MessageOrder) {
  {
    ConformanceChecker checker;  // no connected
    EXPECT_EQ(check_all(checker, {start_json(kCall, kStream)}),
              (std::vector<std::string>{"out_of_order"}));
  }
  {
    ConformanceChecker checker;  // media before start
    EXPECT_EQ(check_all(checker, {connected_json(), media_json(kStream, 1, 1, 100)}),
              (std::vector<std::string>{"", "out_of_order"}));
  }
  {
    ConformanceChecker checker;  // a second start, and anything after stop
    auto messages = opening();
    std::string second = start_json(kCall, kStream);
    messages.push_back(second);
    messages.push_back(test::stop_json(kStream, 2, kCall));
    messages.push_back(media_json(kStream, 3, 1, 100));
    EXPECT_EQ(check_all(checker, messages),
              (std::vector<std::string>{"", "", "out_of_order", "", "out_of_order"}));
  }
}

TEST(ConformanceChecker, StopMustNameTheStartedCall) {
  ConformanceChecker checker;
  auto messages = opening();
  messages.push_back(test::stop_json(kStream, 2, twilio_sid("CA", 2)));
  EXPECT_EQ(check_all(checker, messages), (std::vector<std::string>{"", "", "bad_value"}));
}

TEST(ConformanceChecker, DtmfDigitsAndTrack) {
  ConformanceChecker checker;
  auto messages = opening();
  messages.push_back(test::dtmf_json(kStream, 2, '#'));
  messages.push_back(test::dtmf_json(kStream, 3, 'x'));
  std::string wrong_track = test::dtmf_json(kStream, 4, '1');
  wrong_track.replace(wrong_track.find("inbound_track"), 13, "inbound");
  messages.push_back(wrong_track);
  EXPECT_EQ(check_all(checker, messages),
            (std::vector<std::string>{"", "", "", "bad_value", "bad_value"}));
}

TEST(ConformanceChecker, MarkEchoesFollowTheOrderTheyWereSent) {
  ConformanceChecker checker;
  checker.note_mark_sent("a");
  checker.note_mark_sent("b");
  checker.note_mark_sent("c");
  auto messages = opening();
  messages.push_back(test::mark_json(kStream, 2, "a"));
  messages.push_back(test::mark_json(kStream, 3, "c"));  // b skipped: out of order
  messages.push_back(test::mark_json(kStream, 4, "b"));
  messages.push_back(test::mark_json(kStream, 5, "zzz"));  // never sent
  EXPECT_EQ(check_all(checker, messages),
            (std::vector<std::string>{"", "", "", "unknown_mark", "", "unknown_mark"}));
}

TEST(ConformanceChecker, PayloadMustBe160BytesOfBase64) {
  ConformanceChecker checker;
  auto messages = opening();
  messages.push_back(media_json(kStream, 2, 1, 100, std::string(212, 'A') + "AA=="));  // 160
  messages.push_back(media_json(kStream, 3, 2, 120, "AAAA"));                          // 3 bytes
  messages.push_back(media_json(kStream, 4, 3, 140, std::string(216, '*')));           // not base64
  EXPECT_EQ(check_all(checker, messages),
            (std::vector<std::string>{"", "", "", "bad_payload", "bad_payload"}));
}

TEST(ConformanceChecker, OneMessageCanShowSeveralKindsButEachOnce) {
  ConformanceChecker checker;
  auto messages = opening();
  // Two missing fields, one extra, a number for a string, a wrong track.
  messages.push_back(
      R"({"event":"media","sequenceNumber":2,"media":{"track":"outbound","a":1,"b":2},"streamSid":")" +
      kStream + "\"}");
  EXPECT_EQ(check_all(checker, messages).back(), "missing_field,wrong_type,extra_field,bad_value");
}

TEST(ConformanceChecker, NonObjectsAndUnknownEvents) {
  ConformanceChecker checker;
  EXPECT_EQ(check_all(checker, {"", "null", "[1]", "{", R"({"event":5})", R"({"event":"hello"})",
                                std::string(20000, '[') + std::string(20000, ']')}),
            (std::vector<std::string>{"bad_json", "bad_json", "bad_json", "bad_json",
                                      "unknown_event", "unknown_event", "bad_json"}));
}

}  // namespace
}  // namespace callsim::bot
