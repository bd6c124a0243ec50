// A server that breaks the WebSocket protocol right after a valid 101: each violation must be
// named in the call record and counted by kind, not reported as a dropped connection (1006).
#include <gtest/gtest.h>

#include <string>

#include "engine_run.h"
#include "raw_server.h"

namespace callsim {
namespace {

using namespace std::chrono_literals;
using test::RawServer;

CallSettings settings_for(const RawServer& server) {
  CallSettings settings;
  settings.connect_url = server.url();
  settings.audio = test::flat_audio();
  settings.hold = 2s;
  settings.handshake_timeout = 2s;
  return settings;
}

// An unmasked server frame with a short payload.
std::string frame(uint8_t first, const std::string& payload) {
  return std::string(1, static_cast<char>(first)) +
         std::string(1, static_cast<char>(payload.size())) + payload;
}

struct Violation {
  const char* name;
  std::string bytes;  // sent after the 101
  const char* kind;
};

class ServerViolation : public ::testing::TestWithParam<Violation> {};

TEST_P(ServerViolation, IsAProtocolErrorNamedByKind) {
  const Violation& v = GetParam();
  RawServer server(RawServer::upgrade_then(v.bytes));
  BurstOutcome out = test::run_calls(settings_for(server), 1);
  ASSERT_EQ(out.stats.calls.size(), 1u);
  const CallRecord& call = out.stats.calls[0];
  EXPECT_EQ(call.outcome, Outcome::kProtocolError) << call.error;
  EXPECT_EQ(call.ws_violation, v.kind) << call.error;
  EXPECT_NE(call.error.find(v.kind), std::string::npos) << call.error;
  EXPECT_EQ(call.error.find("without a close frame"), std::string::npos) << call.error;
  // websocketpp's own 1002 is never taken for the server's close code.
  EXPECT_NE(call.close_code, 1002);
  ASSERT_EQ(out.stats.ws_violations.size(), 1u);
  EXPECT_EQ(out.stats.ws_violations.at(v.kind), 1u);
}

INSTANTIATE_TEST_SUITE_P(
    Engine, ServerViolation,
    ::testing::Values(
        Violation{"InvalidUtf8", frame(0x81, "\xff\xfe"), "invalid_utf8"},
        Violation{"MaskedServerFrame", std::string("\x81\x82\x01\x02\x03\x04\x00\x00", 8),
                  "masking_forbidden"},
        Violation{"RsvBit", frame(0xC1, "hi"), "invalid_rsv_bit"},
        Violation{"ReservedOpcode", frame(0x83, "hi"), "invalid_opcode"},
        Violation{"OrphanContinuation", frame(0x80, "hi"), "invalid_continuation"},
        Violation{"FragmentedPing", frame(0x09, "hi"), "fragmented_control"},
        Violation{"TooBigText", std::string("\x81\x7f\x00\x00\x00\x00\x01\x00\x00\x01", 10),
                  "message_too_big"},
        Violation{"Length2Pow63", std::string("\x81\x7f\x80\x00\x00\x00\x00\x00\x00\x00", 10),
                  "message_too_big"},
        Violation{"LongCloseReason",
                  std::string("\x88\x7e\x00\xca\x03\xe8", 6) + std::string(200, 'x'),
                  "control_too_big"},
        Violation{"CloseCode999", frame(0x88, "\x03\xe7"), "invalid_close_code"},
        Violation{"CloseCode1004", frame(0x88, "\x03\xec"), "invalid_close_code"},
        // RFC 6455 7.4.1: 1005, 1006 and 1015 stand for what no close frame can say.
        Violation{"CloseCode1005OnTheWire", frame(0x88, "\x03\xed"), "invalid_close_code"},
        Violation{"CloseCode1005WithReason",
                  frame(0x88,
                        "\x03\xed"
                        "busy"),
                  "invalid_close_code"},
        Violation{"CloseCode1006OnTheWire", frame(0x88, "\x03\xee"), "invalid_close_code"},
        Violation{"CloseCode1015OnTheWire", frame(0x88, "\x03\xf7"), "invalid_close_code"},
        Violation{"CloseReasonNotUtf8", frame(0x88, "\x03\xe8\xff"), "invalid_close_reason"}),
    [](const auto& info) { return std::string(info.param.name); });

// An explicit 1005 reads like an empty close frame through websocketpp; only its refusal tells
// them apart, and that must survive the close timing out on a server that keeps the socket open.
TEST(Engine, AnExplicit1005IsNamedAndAnEmptyCloseFrameIsNot) {
  {
    RawServer server(RawServer::upgrade_then(frame(0x88, "\x03\xed")));
    BurstOutcome out = test::run_calls(settings_for(server), 1);
    ASSERT_EQ(out.stats.calls.size(), 1u);
    const CallRecord& call = out.stats.calls[0];
    EXPECT_EQ(call.outcome, Outcome::kProtocolError) << call.error;
    EXPECT_NE(call.error.find("close code 1005 sent on the wire"), std::string::npos) << call.error;
    EXPECT_NE(call.error.find("we closed 1002"), std::string::npos) << call.error;
  }
  {
    // An empty close frame is how a server closes without giving a code: no violation.
    RawServer server(RawServer::upgrade_then(frame(0x88, "")));
    BurstOutcome out = test::run_calls(settings_for(server), 1);
    ASSERT_EQ(out.stats.calls.size(), 1u);
    const CallRecord& call = out.stats.calls[0];
    EXPECT_EQ(call.ws_violation, "") << call.error;
    EXPECT_TRUE(out.stats.ws_violations.empty());
    EXPECT_EQ(call.outcome, Outcome::kRejected) << call.error;
  }
}

TEST(Engine, UnofferedExtensionIn101IsAProtocolError) {
  RawServer server(RawServer::upgrade_then("", "Sec-WebSocket-Extensions: permessage-deflate\r\n"));
  BurstOutcome out = test::run_calls(settings_for(server), 1);
  ASSERT_EQ(out.stats.calls.size(), 1u);
  EXPECT_EQ(out.stats.calls[0].outcome, Outcome::kProtocolError);
  EXPECT_NE(out.stats.calls[0].error.find("Sec-WebSocket-Extensions"), std::string::npos)
      << out.stats.calls[0].error;
  EXPECT_EQ(out.stats.calls[0].start_sent, TimePoint{});
}

TEST(Engine, UnofferedSubprotocolIn101IsAProtocolError) {
  RawServer server(RawServer::upgrade_then("", "Sec-WebSocket-Protocol: chat\r\n"));
  BurstOutcome out = test::run_calls(settings_for(server), 1);
  ASSERT_EQ(out.stats.calls.size(), 1u);
  EXPECT_EQ(out.stats.calls[0].outcome, Outcome::kProtocolError);
  EXPECT_NE(out.stats.calls[0].error.find("Sec-WebSocket-Protocol"), std::string::npos)
      << out.stats.calls[0].error;
  EXPECT_EQ(out.stats.calls[0].start_sent, TimePoint{});
}

// A server that upgrades and then never reads: our close is never answered. The call still served
// its hold time, but the record must say the close timed out.
TEST(Engine, AServerThatNeverAnswersOurCloseIsRecorded) {
  RawServer server(RawServer::upgrade_then(""));
  CallSettings settings = settings_for(server);
  settings.hold = 300ms;
  BurstOutcome out = test::run_calls(settings, 1);
  ASSERT_EQ(out.stats.calls.size(), 1u);
  EXPECT_TRUE(out.stats.calls[0].close_timed_out) << out.stats.calls[0].error;
}

}  // namespace
}  // namespace callsim
