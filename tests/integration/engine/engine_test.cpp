// The engine against a scripted in-process server: exact bytes on the wire, exact counts,
// exact classification of each way a server can turn a call away or misbehave.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <asio.hpp>
#include <cmath>
#include <set>
#include <thread>

#include "child_process.h"
#include "core/sids.h"
#include "engine_run.h"
#include "run/interrupt.h"
#include "scripted_server.h"

namespace callsim {
namespace {

using namespace std::chrono_literals;
using test::ScriptedServer;
using Behaviour = ScriptedServer::Behaviour;

std::shared_ptr<const media::FrameSource> tone() {
  std::vector<int16_t> pcm(8000 * 3);
  for (size_t i = 0; i < pcm.size(); ++i) {
    pcm[i] = static_cast<int16_t>(8000 * std::sin(2 * M_PI * 440 * i / 8000.0));
  }
  return media::FrameSource::from_pcm(pcm, "tone");
}

struct EngineRun {
  CallSettings settings;
  BurstOutcome outcome;
};

EngineRun run_scripted(const ScriptedServer& server, int calls, Nanos hold, int threads = 2) {
  EngineRun run;
  run.settings.connect_url = server.url();
  run.settings.audio = tone();
  run.settings.hold = hold;
  run.settings.seed = 42;
  run.settings.handshake_timeout = 5s;
  run.outcome = test::run_calls(run.settings, calls, threads);
  return run;
}

rapidjson::Document parse(const std::string& text) {
  rapidjson::Document doc;
  doc.Parse(text.c_str());
  EXPECT_FALSE(doc.HasParseError()) << text;
  return doc;
}

const CallRecord* record_for(const EngineRun& run, const std::string& stream_sid) {
  for (const auto& c : run.outcome.stats.calls) {
    if (c.ids.stream_sid == stream_sid) return &c;
  }
  return nullptr;
}

TEST(Engine, SixtyCallsStreamExactlyWhatTwilioSends) {
  ScriptedServer server(Behaviour::kSink);
  EngineRun run = run_scripted(server, 60, 1s);
  ASSERT_EQ(run.outcome.stats.calls.size(), 60u);
  EXPECT_EQ(run.outcome.stats.count(Outcome::kCompleted), 60u);
  ASSERT_TRUE(test::eventually([&] { return server.closed_count() == 60; }, 5s));

  auto connections = server.connections();
  ASSERT_EQ(connections.size(), 60u);
  SidGenerator sids(42);
  std::set<std::string> call_sids;
  for (const auto& con : connections) {
    EXPECT_EQ(con.resource, "/ws/twilio-media");
    EXPECT_EQ(con.headers.at("user-agent"), "Twilio.TmeWs/1.0");
    EXPECT_EQ(con.headers.count("origin"), 0u);
    EXPECT_EQ(con.headers.count("sec-websocket-protocol"), 0u);
    EXPECT_EQ(con.headers.count("sec-websocket-extensions"), 0u);
    EXPECT_EQ(con.close_code, 1000);

    // connected, start, 50 media (1 s of 20 ms frames), stop.
    ASSERT_EQ(con.messages.size(), 53u);
    EXPECT_EQ(con.messages[0].text, R"({"event":"connected","protocol":"Call","version":"1.0.0"})");
    auto start = parse(con.messages[1].text);
    ASSERT_STREQ(start["event"].GetString(), "start");
    EXPECT_STREQ(start["sequenceNumber"].GetString(), "1");
    std::string stream_sid = start["streamSid"].GetString();
    const CallRecord* record = record_for(run, stream_sid);
    ASSERT_NE(record, nullptr);
    StreamIdentity ids = sids.for_call(record->index);
    EXPECT_EQ(start["start"]["accountSid"].GetString(), ids.account_sid);
    EXPECT_EQ(start["start"]["callSid"].GetString(), ids.call_sid);
    EXPECT_EQ(start["start"]["streamSid"].GetString(), ids.stream_sid);
    call_sids.insert(ids.call_sid);

    size_t offset = run.settings.audio->start_offset(record->index, 42);
    uint64_t first_timestamp = 0;
    for (int i = 0; i < 50; ++i) {
      auto media = parse(con.messages[2 + i].text);
      ASSERT_STREQ(media["event"].GetString(), "media");
      EXPECT_EQ(media["sequenceNumber"].GetString(), std::to_string(i + 2));
      EXPECT_EQ(media["media"]["chunk"].GetString(), std::to_string(i + 1));
      EXPECT_STREQ(media["media"]["track"].GetString(), "inbound");
      uint64_t timestamp = std::stoull(media["media"]["timestamp"].GetString());
      if (i == 0) {
        first_timestamp = timestamp;
        EXPECT_GE(timestamp, 90u);
        EXPECT_LE(timestamp, 180u);
      }
      EXPECT_EQ(timestamp, first_timestamp + 20u * i);
      EXPECT_EQ(std::string(media["media"]["payload"].GetString()),
                run.settings.audio->frame_base64(offset + i));
      EXPECT_EQ(media["streamSid"].GetString(), stream_sid);
    }
    auto stop = parse(con.messages[52].text);
    EXPECT_STREQ(stop["event"].GetString(), "stop");
    EXPECT_STREQ(stop["sequenceNumber"].GetString(), "52");
    EXPECT_EQ(stop["stop"]["accountSid"].GetString(), ids.account_sid);
    EXPECT_EQ(stop["stop"]["callSid"].GetString(), ids.call_sid);
    EXPECT_EQ(record->frames_sent, 50u);
  }
  EXPECT_EQ(call_sids.size(), 60u);
  EXPECT_EQ(run.outcome.stats.frames_sent, 3000u);
}

TEST(Engine, UpgradeAnswered503IsARejectionWithItsStatus) {
  ScriptedServer server(Behaviour::kReject503);
  EngineRun run = run_scripted(server, 5, 1s);
  ASSERT_EQ(run.outcome.stats.calls.size(), 5u);
  for (const auto& c : run.outcome.stats.calls) {
    EXPECT_EQ(c.outcome, Outcome::kRejected);
    EXPECT_EQ(c.reject_kind, RejectKind::kHttpStatus);
    EXPECT_EQ(c.http_status, 503);
    EXPECT_FALSE(c.admitted());
  }
}

TEST(Engine, Close1013RightAfterStartIsARejection) {
  ScriptedServer server(Behaviour::kCloseAfterStart);
  EngineRun run = run_scripted(server, 5, 2s);
  for (const auto& c : run.outcome.stats.calls) {
    EXPECT_EQ(c.outcome, Outcome::kRejected);
    EXPECT_EQ(c.reject_kind, RejectKind::kClosedAfterStart);
    EXPECT_EQ(c.close_code, 1013);
    EXPECT_EQ(c.close_reason, "try again later");
    EXPECT_TRUE(c.closed_by_server);
  }
  // Nothing is sent after the server's close: no stop.
  for (const auto& con : server.connections()) {
    for (const auto& m : con.messages) EXPECT_EQ(m.text.find("\"stop\""), std::string::npos);
  }
}

TEST(Engine, ServerClosingMidCallAfterServingIsAnEarlyClose) {
  ScriptedServer server(Behaviour::kCloseMidCall);
  EngineRun run = run_scripted(server, 4, 3s);
  for (const auto& c : run.outcome.stats.calls) {
    EXPECT_EQ(c.outcome, Outcome::kClosedEarly);
    EXPECT_EQ(c.close_code, 1000);
    EXPECT_EQ(c.close_reason, "bye");
    EXPECT_TRUE(c.admitted());
    EXPECT_GE(c.frames_sent, 10u);
    EXPECT_LT(c.frames_sent, 150u);
  }
}

TEST(Engine, GarbageFromTheServerIsCountedByKindAndTheCallGoesOn) {
  ScriptedServer server(Behaviour::kGarbage);
  EngineRun run = run_scripted(server, 3, 1s);
  const RunStats& s = run.outcome.stats;
  EXPECT_EQ(s.count(Outcome::kCompleted), 3u);
  auto kind = [&](InvalidMessage k) { return s.invalid[static_cast<size_t>(k)]; };
  EXPECT_EQ(kind(InvalidMessage::kBinaryFrame), 3u);
  EXPECT_EQ(kind(InvalidMessage::kBadJson), 3u);
  EXPECT_EQ(kind(InvalidMessage::kUnknownEvent), 3u);
  EXPECT_EQ(kind(InvalidMessage::kWrongStreamSid), 3u);
  EXPECT_EQ(kind(InvalidMessage::kMissingField), 3u);
  EXPECT_EQ(s.marks_echoed, 3u);
  for (const auto& con : server.connections()) {
    bool echoed = false;
    for (const auto& m : con.messages) {
      echoed |= m.text.find(R"("mark":{"name":"still-alive"})") != std::string::npos;
    }
    EXPECT_TRUE(echoed);
  }
}

TEST(Engine, MarkIsEchoedOnlyAfterQueuedAudioHasPlayedAndSequenceStaysContiguous) {
  ScriptedServer server(Behaviour::kSpeakThenMark);
  EngineRun run = run_scripted(server, 2, 2s);
  for (const auto& con : server.connections()) {
    std::chrono::steady_clock::time_point start_at{}, echo_at{};
    uint64_t expected_sequence = 1;
    for (const auto& m : con.messages) {
      auto doc = parse(m.text);
      std::string event = doc["event"].GetString();
      if (event == "connected") continue;
      EXPECT_EQ(doc["sequenceNumber"].GetString(), std::to_string(expected_sequence++)) << m.text;
      if (event == "start") start_at = m.at;
      if (event == "mark") {
        EXPECT_STREQ(doc["mark"]["name"].GetString(), "played");
        echo_at = m.at;
      }
    }
    ASSERT_NE(echo_at, decltype(echo_at){});
    // 8,000 bytes play for one second; the echo can be late on a busy machine, never early.
    EXPECT_GE(echo_at - start_at, 990ms);
  }
}

TEST(Engine, ClearEchoesEveryPendingMarkInOrder) {
  ScriptedServer server(Behaviour::kClearPending);
  EngineRun run = run_scripted(server, 2, 1500ms);
  for (const auto& con : server.connections()) {
    std::vector<std::string> echoed;
    for (const auto& m : con.messages) {
      auto doc = parse(m.text);
      if (std::string(doc["event"].GetString()) == "mark")
        echoed.push_back(doc["mark"]["name"].GetString());
    }
    // 2 s of queued audio would hold the marks past the 1.5 s hang-up; only clear releases them.
    EXPECT_EQ(echoed, (std::vector<std::string>{"a", "b"}));
  }
  for (const auto& c : run.outcome.stats.calls) EXPECT_EQ(c.clears_received, 1u);
}

TEST(Engine, ClosedPortIsRefused) {
  int port = test::free_tcp_port();
  CallSettings settings;
  settings.connect_url = "ws://127.0.0.1:" + std::to_string(port) + "/ws/twilio-media";
  settings.audio = tone();
  settings.hold = 1s;
  auto outcome = test::run_calls(settings, 3);
  ASSERT_EQ(outcome.stats.calls.size(), 3u);
  for (const auto& c : outcome.stats.calls) EXPECT_EQ(c.outcome, Outcome::kRefused) << c.error;
}

}  // namespace
}  // namespace callsim

namespace callsim {
namespace {

TEST(Engine, ServerThatNeverAnswersTheUpgradeIsAHandshakeTimeout) {
  // Accepts TCP connections and never says a word: the upgrade must time out, not hang.
  asio::io_context io;
  asio::ip::tcp::acceptor acceptor(io, {asio::ip::address_v4::loopback(), 0});
  std::vector<asio::ip::tcp::socket> held;
  std::function<void()> accept_next = [&] {
    acceptor.async_accept([&](const std::error_code& ec, asio::ip::tcp::socket socket) {
      if (ec) return;
      held.push_back(std::move(socket));
      accept_next();
    });
  };
  accept_next();
  std::thread server([&] { io.run(); });

  CallSettings settings;
  settings.connect_url =
      "ws://127.0.0.1:" + std::to_string(acceptor.local_endpoint().port()) + "/ws/twilio-media";
  settings.audio = tone();
  settings.hold = 1s;
  settings.handshake_timeout = 300ms;
  auto outcome = test::run_calls(settings, 4);
  asio::post(io, [&] {
    acceptor.close();
    held.clear();
  });
  server.join();
  ASSERT_EQ(outcome.stats.calls.size(), 4u);
  for (const auto& c : outcome.stats.calls) {
    EXPECT_EQ(c.outcome, Outcome::kHandshakeTimeout) << c.error;
    EXPECT_FALSE(c.admitted());
    EXPECT_GE(c.ended - c.connect_started, 300ms);
  }
}

}  // namespace
}  // namespace callsim
