#include "core/twilio_messages.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <string>
#include <vector>

#include "core/frame_pacer.h"
#include "media/base64.h"

namespace callsim {
namespace {

using namespace std::chrono_literals;

const StreamIdentity kIds{"AC7e2b5f0c1d2e3f4a5b6c7d8e9f0a1b2c",
                          "CA4539a8b7c6d5e4f3a2b1c0d9e8f7a6b5",
                          "MZ5174d3c2b1a0f9e8d7c6b5a4f3e2d1c0"};

// The documented examples (fact sheet §3) with their elided SIDs and payload filled in.
std::string fill(std::string text, const std::string& payload = "") {
  const std::pair<std::string, std::string> slots[] = {{"{AC}", kIds.account_sid},
                                                       {"{CA}", kIds.call_sid},
                                                       {"{MZ}", kIds.stream_sid},
                                                       {"{PAYLOAD}", payload}};
  for (const auto& [slot, value] : slots) {
    for (size_t at = text.find(slot); at != std::string::npos; at = text.find(slot)) {
      text.replace(at, slot.size(), value);
    }
  }
  return text;
}

// 20 ms of near-silence shaped like the captured payload ("f39///////9/f39/…fw==").
std::string captured_like_payload() {
  const uint8_t pattern[] = {0x7f, 0x7f, 0x7f, 0xff, 0xff, 0xff,
                             0xff, 0xff, 0x7f, 0x7f, 0x7f, 0x7f};
  std::string bytes;
  for (int i = 0; i < 160; ++i) bytes.push_back(static_cast<char>(pattern[i % sizeof pattern]));
  bytes.back() = 0x7f;
  return media::base64_encode(bytes);
}

rapidjson::Document parse_json(const std::string& text) {
  rapidjson::Document document;
  document.Parse<rapidjson::kParseValidateEncodingFlag>(text.c_str(), text.size());
  EXPECT_FALSE(document.HasParseError()) << text;
  EXPECT_TRUE(document.IsObject()) << text;
  return document;
}

std::string str(const rapidjson::Value& v) {
  return std::string(v.GetString(), v.GetStringLength());
}

TEST(TwilioMessages, SidsAndPayloadOfTheGoldenTestsHaveTwiliosShape) {
  for (const std::string* sid : {&kIds.account_sid, &kIds.call_sid, &kIds.stream_sid}) {
    EXPECT_EQ(sid->size(), 34u) << *sid;
  }
  const std::string payload = captured_like_payload();
  EXPECT_EQ(payload.size(), 216u);
  EXPECT_EQ(payload.substr(0, 16), "f39///////9/f39/");
  EXPECT_EQ(payload.substr(212), "fw==");
}

TEST(TwilioMessages, ConnectedIsByteExact) {
  std::string out = "leftover";
  build_connected(out);
  EXPECT_EQ(out, R"({"event":"connected","protocol":"Call","version":"1.0.0"})");
}

TEST(TwilioMessages, StartIsByteExact) {
  std::string out;
  build_start(out, kIds, 1, {{"FirstName", "Jane"}});
  EXPECT_EQ(out, fill(R"({"event":"start","sequenceNumber":"1","start":{"accountSid":"{AC}",)"
                      R"("streamSid":"{MZ}","callSid":"{CA}","tracks":["inbound"],"mediaFormat":)"
                      R"({"encoding":"audio/x-mulaw","sampleRate":8000,"channels":1},)"
                      R"("customParameters":{"FirstName":"Jane"}},"streamSid":"{MZ}"})"));
}

TEST(TwilioMessages, StartWithoutParametersHasAnEmptyObject) {
  std::string out;
  build_start(out, kIds, 1, {});
  EXPECT_NE(out.find(R"("customParameters":{}},"streamSid")"), std::string::npos) << out;
  build_start(out, kIds, 1, {{"a", "1"}, {"b", ""}});
  EXPECT_NE(out.find(R"("customParameters":{"a":"1","b":""}})"), std::string::npos) << out;
}

TEST(TwilioMessages, MediaIsByteExact) {
  const std::string payload = captured_like_payload();
  std::string out;
  build_media(out, kIds.stream_sid, 2, 1, 155, payload);
  EXPECT_EQ(out, fill(R"({"event":"media","sequenceNumber":"2","media":{"track":"inbound",)"
                      R"("chunk":"1","timestamp":"155","payload":"{PAYLOAD}"},"streamSid":"{MZ}"})",
                      payload));
}

TEST(TwilioMessages, MarkEchoIsByteExact) {
  std::string out;
  build_mark(out, kIds.stream_sid, 4, "my label");
  EXPECT_EQ(
      out,
      fill(
          R"({"event":"mark","sequenceNumber":"4","streamSid":"{MZ}","mark":{"name":"my label"}})"));
}

TEST(TwilioMessages, DtmfIsByteExact) {
  std::string out;
  build_dtmf(out, kIds.stream_sid, 5, '1');
  EXPECT_EQ(out, fill(R"({"event":"dtmf","streamSid":"{MZ}","sequenceNumber":"5",)"
                      R"("dtmf":{"track":"inbound_track","digit":"1"}})"));
}

TEST(TwilioMessages, StopIsByteExact) {
  std::string out;
  build_stop(out, kIds, 378);
  EXPECT_EQ(out, fill(R"({"event":"stop","sequenceNumber":"378","streamSid":"{MZ}",)"
                      R"("stop":{"accountSid":"{AC}","callSid":"{CA}"}})"));
}

TEST(TwilioMessages, CountersUseTheFullUnsignedRange) {
  std::string out;
  build_media(out, kIds.stream_sid, UINT64_MAX, 0, 10, "");
  EXPECT_NE(out.find(R"("sequenceNumber":"18446744073709551615")"), std::string::npos);
  EXPECT_NE(out.find(R"("chunk":"0","timestamp":"10","payload":""})"), std::string::npos);
  build_stop(out, kIds, 9'007'199'254'740'993);  // beyond a double's integers
  EXPECT_EQ(str(parse_json(out)["sequenceNumber"]), "9007199254740993");
}

TEST(TwilioMessages, EveryBuilderEmitsValidJsonWithTwiliosTypes) {
  std::string out;
  build_connected(out);
  {
    auto d = parse_json(out);
    EXPECT_EQ(str(d["event"]), "connected");
    EXPECT_FALSE(d.HasMember("sequenceNumber"));
    EXPECT_FALSE(d.HasMember("streamSid"));
  }
  build_start(out, kIds, 1, {{"k", "v"}});
  {
    auto d = parse_json(out);
    EXPECT_TRUE(d["sequenceNumber"].IsString());
    const auto& start = d["start"];
    EXPECT_EQ(str(start["accountSid"]), kIds.account_sid);
    EXPECT_EQ(str(start["callSid"]), kIds.call_sid);
    EXPECT_EQ(str(start["streamSid"]), kIds.stream_sid);
    EXPECT_EQ(str(d["streamSid"]), kIds.stream_sid);
    ASSERT_TRUE(start["tracks"].IsArray());
    EXPECT_EQ(start["tracks"].Size(), 1u);
    EXPECT_EQ(str(start["tracks"][0]), "inbound");
    const auto& format = start["mediaFormat"];
    EXPECT_EQ(str(format["encoding"]), "audio/x-mulaw");
    EXPECT_TRUE(format["sampleRate"].IsInt());
    EXPECT_EQ(format["sampleRate"].GetInt(), 8000);
    EXPECT_TRUE(format["channels"].IsInt());
    EXPECT_EQ(format["channels"].GetInt(), 1);
    EXPECT_EQ(str(start["customParameters"]["k"]), "v");
  }
  build_media(out, kIds.stream_sid, 7, 6, 255, captured_like_payload());
  {
    auto d = parse_json(out);
    EXPECT_EQ(str(d["sequenceNumber"]), "7");
    EXPECT_EQ(str(d["media"]["track"]), "inbound");
    EXPECT_EQ(str(d["media"]["chunk"]), "6");
    EXPECT_EQ(str(d["media"]["timestamp"]), "255");
    EXPECT_EQ(str(d["media"]["payload"]), captured_like_payload());
    EXPECT_EQ(str(d["streamSid"]), kIds.stream_sid);
  }
  build_mark(out, kIds.stream_sid, 8, "x");
  EXPECT_EQ(str(parse_json(out)["mark"]["name"]), "x");
  build_dtmf(out, kIds.stream_sid, 9, '#');
  {
    auto d = parse_json(out);
    EXPECT_EQ(str(d["dtmf"]["track"]), "inbound_track");
    EXPECT_EQ(str(d["dtmf"]["digit"]), "#");
    EXPECT_EQ(str(d["sequenceNumber"]), "9");
  }
  build_stop(out, kIds, 10);
  {
    auto d = parse_json(out);
    EXPECT_EQ(str(d["stop"]["accountSid"]), kIds.account_sid);
    EXPECT_EQ(str(d["stop"]["callSid"]), kIds.call_sid);
  }
}

TEST(TwilioMessages, UserStringsAreEscaped) {
  const std::string tricky = std::string("q\"b\\s/n\nr\rt\tb\bf\f") + '\x01' + '\x1f' + "\x7f" +
                             "\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80";
  std::string out;
  build_start(out, kIds, 1, {{tricky, tricky}, {"plain", "ok"}});
  const std::string escaped = R"("q\"b\\s/n\nr\rt\tb\bf\f\u0001\u001f)"
                              "\x7f\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"";
  EXPECT_NE(out.find("{" + escaped + ":" + escaped + R"(,"plain":"ok"})"), std::string::npos)
      << out;
  auto d = parse_json(out);
  EXPECT_EQ(str(d["start"]["customParameters"][tricky.c_str()]), tricky);

  build_mark(out, kIds.stream_sid, 3, std::string("nul\0inside", 10));
  EXPECT_NE(out.find(R"("name":"nul\u0000inside")"), std::string::npos) << out;
  EXPECT_EQ(str(parse_json(out)["mark"]["name"]), std::string("nul\0inside", 10));

  build_dtmf(out, kIds.stream_sid, 4, '"');
  EXPECT_NE(out.find(R"("digit":"\""})"), std::string::npos) << out;
}

TEST(TwilioMessages, MalformedUtf8BecomesReplacementCharacters) {
  std::string out;
  // Lone continuation, truncated sequence, overlong '/', surrogate, beyond U+10FFFF, bare 0xFF.
  build_mark(out, kIds.stream_sid, 3,
             "a\x80"
             "b\xe2\x82"
             "c\xc0\xaf"
             "d\xed\xa0\x80"
             "e\xf4\x90\x80\x80"
             "f\xff");
  auto d = parse_json(out);  // validates UTF-8
  EXPECT_EQ(str(d["mark"]["name"]),
            "a\xef\xbf\xbd"
            "b\xef\xbf\xbd\xef\xbf\xbd"
            "c\xef\xbf\xbd\xef\xbf\xbd"
            "d\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
            "e\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
            "f\xef\xbf\xbd");
}

TEST(TwilioMessages, BuildMediaReusesTheStringWithoutReallocating) {
  const std::string payload = captured_like_payload();
  std::string out;
  build_media(out, kIds.stream_sid, UINT64_MAX, UINT64_MAX, UINT64_MAX, payload);
  const size_t capacity = out.capacity();
  const char* storage = out.data();
  for (uint64_t n = 1; n <= 10'000; ++n) {
    build_media(out, kIds.stream_sid, n + 1, n, 155 + 20 * n, payload);
    ASSERT_EQ(out.capacity(), capacity);
    ASSERT_EQ(out.data(), storage);
  }
  EXPECT_EQ(out, fill(R"({"event":"media","sequenceNumber":"10001","media":{"track":"inbound",)"
                      R"("chunk":"10000","timestamp":"200155","payload":"{PAYLOAD}"},)"
                      R"("streamSid":"{MZ}"})",
                      payload));
}

TEST(TwilioMessages, AWholeCallCountsSequenceChunkAndTimestamp) {
  // connected, start, 250 paced media frames with a mark echo and a dtmf in between, stop.
  const TimePoint start = TimePoint(5000s);
  FramePacer pacer(start, 155);
  const std::string payload = captured_like_payload();
  std::vector<std::string> sent(1);
  build_connected(sent.back());
  uint64_t sequence = 1;
  sent.emplace_back();
  build_start(sent.back(), kIds, sequence++, {});
  for (TimePoint now = start; pacer.sent_frames() < 250; now += 20ms) {
    for (uint64_t n = pacer.due_frames(now); n > 0; --n) {
      sent.emplace_back();
      build_media(sent.back(), kIds.stream_sid, sequence++, pacer.sent_frames() + 1,
                  pacer.next_timestamp_ms(), payload);
      EXPECT_EQ(pacer.mark_sent(now), 0ns);
    }
    if (pacer.sent_frames() == 100) {
      sent.emplace_back();
      build_mark(sent.back(), kIds.stream_sid, sequence++, "m");
    }
    if (pacer.sent_frames() == 200) {
      sent.emplace_back();
      build_dtmf(sent.back(), kIds.stream_sid, sequence++, '7');
    }
  }
  sent.emplace_back();
  build_stop(sent.back(), kIds, sequence++);

  ASSERT_EQ(sent.size(), 1u + 1u + 250u + 2u + 1u);
  uint64_t expected_sequence = 1, expected_chunk = 1;
  for (size_t i = 1; i < sent.size(); ++i) {
    auto d = parse_json(sent[i]);
    EXPECT_EQ(str(d["sequenceNumber"]), std::to_string(expected_sequence++)) << sent[i];
    EXPECT_EQ(str(d["streamSid"]), kIds.stream_sid);
    if (str(d["event"]) == "media") {
      EXPECT_EQ(str(d["media"]["chunk"]), std::to_string(expected_chunk));
      EXPECT_EQ(str(d["media"]["timestamp"]), std::to_string(155 + 20 * (expected_chunk - 1)));
      ++expected_chunk;
    }
  }
  EXPECT_EQ(str(parse_json(sent[1])["event"]), "start");
  EXPECT_EQ(str(parse_json(sent[1 + 1 + 100])["event"]), "mark");
  EXPECT_EQ(str(parse_json(sent.back())["sequenceNumber"]), "254");
  EXPECT_EQ(expected_chunk, 251u);
}

// ---- parsing -------------------------------------------------------------------------------

ParseResult parse(std::string text, std::string_view sid = kIds.stream_sid) {
  static std::string keep;  // views in the result point into the parsed text
  keep = std::move(text);
  return parse_server_message(keep, sid);
}

std::string media_message(const std::string& payload) {
  return fill(R"({"event":"media","streamSid":"{MZ}","media":{"payload":"{PAYLOAD}"}})", payload);
}

TEST(ParseServerMessage, MediaAsPipecatAndTwiliosSampleSendIt) {
  const std::string payload = captured_like_payload();
  std::string text = media_message(payload);
  const ParseResult r = parse_server_message(text, kIds.stream_sid);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.message.event, ServerEvent::kMedia);
  EXPECT_EQ(r.message.payload_bytes, 160u);
  EXPECT_EQ(r.message.payload_base64, payload);
  EXPECT_GE(r.message.payload_base64.data(), text.data());
  EXPECT_LE(r.message.payload_base64.data() + r.message.payload_base64.size(),
            text.data() + text.size());
  EXPECT_FALSE(r.message.has_extra_fields);
}

TEST(ParseServerMessage, PayloadSizeFollowsPadding) {
  const std::pair<const char*, uint64_t> cases[] = {{"", 0},     {"fw==", 1},     {"f38=", 2},
                                                    {"f39/", 3}, {"f39/fw==", 4}, {"AAAAAAAA", 6}};
  for (const auto& [payload, bytes] : cases) {
    const ParseResult r = parse(media_message(payload));
    ASSERT_TRUE(r.ok) << payload;
    EXPECT_EQ(r.message.payload_bytes, bytes) << payload;
  }
  // Keys in any order, whitespace anywhere, escapes in the payload: still the same message.
  const ParseResult r =
      parse(fill(" {\n \"media\" : { \"payload\" : \"f39\\/\" } , \"streamSid\":\"{MZ}\", "
                 "\"event\":\"media\"}\t"));
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.message.payload_base64, "f39/");
  EXPECT_EQ(r.message.payload_bytes, 3u);
}

TEST(ParseServerMessage, Mark) {
  const ParseResult r =
      parse(fill(R"({"event":"mark","streamSid":"{MZ}","mark":{"name":"resp-42-chunk-7"}})"));
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.message.event, ServerEvent::kMark);
  EXPECT_EQ(r.message.mark_name, "resp-42-chunk-7");
  EXPECT_FALSE(r.message.has_extra_fields);

  const ParseResult escaped =
      parse(fill(R"({"event":"mark","streamSid":"{MZ}","mark":{"name":"a\"b\u00e9\u0000c"}})"));
  ASSERT_TRUE(escaped.ok);
  EXPECT_EQ(escaped.message.mark_name, std::string("a\"b\xc3\xa9\0c", 7));

  const ParseResult empty =
      parse(fill(R"({"event":"mark","streamSid":"{MZ}","mark":{"name":""}})"));
  ASSERT_TRUE(empty.ok);
  EXPECT_EQ(empty.message.mark_name, "");
}

TEST(ParseServerMessage, Clear) {
  const ParseResult r = parse(fill(R"({"event":"clear","streamSid":"{MZ}"})"));
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.message.event, ServerEvent::kClear);
  EXPECT_FALSE(r.message.has_extra_fields);
}

TEST(ParseServerMessage, KeysTwilioDoesNotDefineAreFlaggedButAccepted) {
  const char* cases[] = {
      R"({"event":"media","streamSid":"{MZ}","sequenceNumber":"3","media":{"payload":"fw=="}})",
      R"({"event":"media","streamSid":"{MZ}","media":{"payload":"fw==","track":"outbound"}})",
      R"({"event":"media","streamSid":"{MZ}","media":{"payload":"fw=="},"mark":{"name":"x"}})",
      R"({"event":"mark","streamSid":"{MZ}","mark":{"name":"x","at":1}})",
      R"({"event":"mark","streamSid":"{MZ}","mark":{"name":"x"},"media":{}})",
      R"({"event":"clear","streamSid":"{MZ}","mark":{"name":"x"}})",
      R"({"event":"clear","streamSid":"{MZ}","extra":null})",
  };
  for (const char* text : cases) {
    const ParseResult r = parse(fill(text));
    ASSERT_TRUE(r.ok) << text;
    EXPECT_TRUE(r.message.has_extra_fields) << text;
  }
}

void expect_invalid(InvalidMessage kind, const std::vector<std::string>& texts) {
  for (const std::string& text : texts) {
    const ParseResult r = parse(fill(text));
    EXPECT_FALSE(r.ok) << text;
    EXPECT_EQ(r.invalid, kind) << text << " -> " << to_string(r.invalid);
  }
}

TEST(ParseServerMessage, BadJson) {
  expect_invalid(
      InvalidMessage::kBadJson,
      {"", " ", "not json", "[1,2]", R"("media")", "42", "null",
       R"({"event":"clear","streamSid":"{MZ}")", R"({"event":"clear","streamSid":"{MZ}"} x)",
       R"({"event":"clear","streamSid":"{MZ}"}{})", R"({"event":"clear",'streamSid':"{MZ}"})",
       R"({"event":"clear","streamSid":"{MZ}",})",
       R"({"event":"clear","streamSid":"{MZ}","n":NaN})",
       R"({"event":"clear","streamSid":"{MZ}"} // comment)",
       std::string(R"({"event":"clear","streamSid":"{MZ}"})") + '\0' + "hidden"});
}

TEST(ParseServerMessage, HostileNestingIsRejectedWithoutCrashing) {
  std::string deep(200'000, '[');
  EXPECT_EQ(parse(deep).invalid, InvalidMessage::kBadJson);
  std::string deep_valid = fill(R"({"event":"clear","streamSid":"{MZ}","x":)");
  deep_valid += std::string(100'000, '[') + std::string(100'000, ']') + "}";
  const ParseResult r = parse(deep_valid);
  ASSERT_TRUE(r.ok);
  EXPECT_TRUE(r.message.has_extra_fields);
  const std::string long_name(1 << 20, 'n');
  const ParseResult big =
      parse(fill(R"({"event":"mark","streamSid":"{MZ}","mark":{"name":")" + long_name + R"("}})"));
  ASSERT_TRUE(big.ok);
  EXPECT_EQ(big.message.mark_name, long_name);
}

TEST(ParseServerMessage, UnknownEvent) {
  expect_invalid(InvalidMessage::kUnknownEvent,
                 {R"({"streamSid":"{MZ}"})", R"({"event":42,"streamSid":"{MZ}"})",
                  R"({"event":null,"streamSid":"{MZ}"})", R"({"event":"start","streamSid":"{MZ}"})",
                  R"({"event":"connected","protocol":"Call","version":"1.0.0"})",
                  R"({"event":"Media","streamSid":"{MZ}","media":{"payload":""}})",
                  R"({"event":"clear\u0000","streamSid":"{MZ}"})", "{}",
                  // An unknown event outranks a wrong streamSid.
                  R"({"event":"stop","streamSid":"MZother"})"});
}

TEST(ParseServerMessage, WrongStreamSid) {
  expect_invalid(InvalidMessage::kWrongStreamSid,
                 {R"({"event":"clear","streamSid":"MZ0000000000000000000000000000000000"})",
                  R"({"event":"clear","streamSid":""})", R"({"event":"clear","streamSid":"{MZ} "})",
                  // A wrong streamSid outranks missing fields.
                  R"({"event":"media","streamSid":"MZx"})"});
}

TEST(ParseServerMessage, MissingField) {
  expect_invalid(
      InvalidMessage::kMissingField,
      {R"({"event":"clear"})", R"({"event":"clear","streamSid":7})",
       R"({"event":"clear","streamSid":null})", R"({"event":"media","streamSid":"{MZ}"})",
       R"({"event":"media","streamSid":"{MZ}","media":"fw=="})",
       R"({"event":"media","streamSid":"{MZ}","media":{}})",
       R"({"event":"media","streamSid":"{MZ}","media":{"payload":123}})",
       R"({"event":"media","streamSid":"{MZ}","payload":"fw=="})",
       R"({"event":"mark","streamSid":"{MZ}"})", R"({"event":"mark","streamSid":"{MZ}","mark":{}})",
       R"({"event":"mark","streamSid":"{MZ}","mark":{"name":7}})",
       R"({"event":"mark","streamSid":"{MZ}","mark":"x"})",
       R"({"event":"mark","streamSid":"{MZ}","name":"x"})"});
}

TEST(ParseServerMessage, BadPayload) {
  std::vector<std::string> texts;
  for (const char* payload : {"f", "fw=", "fw===", "f39", "f3!/", "f39-", "f39_", "A===", "====",
                              "fw=A", "AB=C", "fw==fw==", "f39/ f39", "f39/\\n", "\\u00e9AAA"}) {
    texts.push_back(media_message(payload));
  }
  expect_invalid(InvalidMessage::kBadPayload, texts);
}

TEST(ParseServerMessage, InvalidKindsHaveStableNames) {
  EXPECT_STREQ(to_string(InvalidMessage::kBinaryFrame), "binary_frame");
  EXPECT_STREQ(to_string(InvalidMessage::kBadJson), "bad_json");
  EXPECT_STREQ(to_string(InvalidMessage::kUnknownEvent), "unknown_event");
  EXPECT_STREQ(to_string(InvalidMessage::kWrongStreamSid), "wrong_stream_sid");
  EXPECT_STREQ(to_string(InvalidMessage::kMissingField), "missing_field");
  EXPECT_STREQ(to_string(InvalidMessage::kBadPayload), "bad_payload");
  EXPECT_STREQ(to_string(InvalidMessage::kCount), "unknown");
}

TEST(ParseServerMessage, MarkNamesRoundTripThroughTheEcho) {
  // What the server names a mark is exactly what the echo carries back.
  const std::string names[] = {"plain", "with \"quotes\"", "tab\there", "\xe2\x82\xac uro",
                               std::string("z\0z", 3)};
  for (const std::string& name : names) {
    std::string echo;
    build_mark(echo, kIds.stream_sid, 9, name);
    // The echo has the server's shape plus sequenceNumber, which a server message does not define.
    const ParseResult r = parse(echo);
    ASSERT_TRUE(r.ok) << echo;
    EXPECT_EQ(r.message.mark_name, name);
    EXPECT_TRUE(r.message.has_extra_fields);
  }
}

TEST(ParseServerMessage, MalformedUtf8InAMarkNameIsRepairedInTheEcho) {
  // The WebSocket layer rejects such text frames; should one get through, the echo stays valid.
  const ParseResult r =
      parse(fill(R"({"event":"mark","streamSid":"{MZ}","mark":{"name":"bad )") + "\xff" + R"("}})");
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.message.mark_name, "bad \xff");
  std::string echo;
  build_mark(echo, kIds.stream_sid, 2, r.message.mark_name);
  EXPECT_EQ(str(parse_json(echo)["mark"]["name"]), "bad \xef\xbf\xbd");
}

}  // namespace
}  // namespace callsim
