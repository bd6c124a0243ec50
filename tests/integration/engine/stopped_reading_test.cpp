// A server that stops reading: what callsim queues toward it is bounded per call, what it could
// not send is counted, and the call is not a healthy "completed".
#include <gtest/gtest.h>

#include <string>

#include "engine_run.h"
#include "scripted_server.h"
#include "stalled_server.h"

namespace callsim {
namespace {

using namespace std::chrono_literals;
using test::ScriptedServer;
using test::StalledServer;

// The bound worker_send_bound.cpp holds every call to, and the `stop` sent past it at hang-up.
constexpr uint64_t kBoundBytes = 1024 * 1024 + 512;
constexpr uint64_t kBoundFrames = 4096 + 1;

CallSettings settings_for(const std::string& url, Nanos hold) {
  CallSettings settings;
  settings.connect_url = url;
  settings.audio = test::flat_audio();
  settings.hold = hold;
  settings.handshake_timeout = 2s;
  return settings;
}

TEST(StoppedReading, APingFloodIsAnsweredUpToTheBoundAndTheCallIsClassified) {
  constexpr uint64_t kPings = 100000;
  StalledServer server(StalledServer::Flood::kPings, kPings);
  BurstOutcome out = test::run_calls(settings_for(server.url(), 3s), 1);
  ASSERT_EQ(out.stats.calls.size(), 1u);
  const CallRecord& call = out.stats.calls[0];
  EXPECT_EQ(server.floods_written(), 1u);
  EXPECT_EQ(call.outcome, Outcome::kStoppedReading) << call.error;
  EXPECT_TRUE(call.admitted());
  // Not all need have arrived by the hang-up on a loaded machine; far more than the bound have.
  EXPECT_LE(call.pings_received, kPings);
  EXPECT_GT(call.pings_received, 10 * kBoundFrames);
  // Every pong that fit was sent: the bound filled before the first went unanswered.
  EXPECT_GT(call.pongs_unsent, 0u);
  EXPECT_GE(call.pings_received - call.pongs_unsent, kBoundFrames - 1 - call.frames_sent - 2);
  // 4,096 pongs of 131 bytes are half the byte bound: the frame count binds.
  EXPECT_GE(call.send_queue_peak_frames, kBoundFrames - 1);
  EXPECT_LE(call.send_queue_peak_frames, kBoundFrames);
  EXPECT_LE(call.send_queue_peak_bytes, kBoundBytes);
  // Once the kernel's buffer is full, the rest went through websocketpp's queue, in order.
  EXPECT_GE(call.messages_queued, call.send_queue_peak_frames);
  // Whether the server's socket was still taking bytes when the first pong was refused depends
  // on timing; the count does not.
  EXPECT_NE(call.error.find(": " + std::to_string(call.pongs_unsent) +
                            " pongs and 0 mark echoes not sent"),
            std::string::npos)
      << call.error;
  EXPECT_EQ(call.error.rfind("server s", 0), 0u) << call.error;
  EXPECT_EQ(out.stats.count(Outcome::kStoppedReading), 1u);
}

TEST(StoppedReading, AMarkFloodIsEchoedUpToTheBoundAndTheCallIsClassified) {
  constexpr uint64_t kMarks = 100000;
  StalledServer server(StalledServer::Flood::kMarks, kMarks);
  BurstOutcome out = test::run_calls(settings_for(server.url(), 3s), 1);
  ASSERT_EQ(out.stats.calls.size(), 1u);
  const CallRecord& call = out.stats.calls[0];
  EXPECT_EQ(call.outcome, Outcome::kStoppedReading) << call.error;
  EXPECT_LE(call.marks_received, kMarks);
  EXPECT_GT(call.marks_received, 10 * kBoundFrames);
  // With no audio queued every mark is due at once: each was echoed or counted as not.
  EXPECT_EQ(call.marks_echoed + call.mark_echoes_unsent, call.marks_received);
  EXPECT_GT(call.mark_echoes_unsent, 0u);
  // Every echo that fit was sent: the bound (less the audio and `connected`, `start`) filled.
  EXPECT_GE(call.marks_echoed, kBoundFrames - 1 - call.frames_sent - 2);
  EXPECT_LE(call.send_queue_peak_frames, kBoundFrames);
  EXPECT_LE(call.send_queue_peak_bytes, kBoundBytes);
  EXPECT_EQ(call.pongs_unsent, 0u);
}

// A server that upgrades and never reads: at hang-up, what it left unread is still on callsim's
// side, and our close is never answered.
TEST(StoppedReading, ANeverReadingServerLeavesUnreadBytesAndOurCloseTimesOut) {
  StalledServer server(StalledServer::Flood::kNone, 0, 4096);
  BurstOutcome out = test::run_calls(settings_for(server.url(), 2s), 3);
  ASSERT_EQ(out.stats.calls.size(), 3u);
  for (const CallRecord& call : out.stats.calls) {
    EXPECT_TRUE(call.admitted());
    EXPECT_TRUE(call.close_timed_out) << call.error;
    EXPECT_EQ(call.error, "close handshake did not complete");
    EXPECT_GT(call.unread_socket_bytes, 0u);
    EXPECT_GT(call.unread_bytes(), 0u);
    EXPECT_GT(call.unread_frames + call.unread_socket_bytes, 0u);
  }
}

TEST(StoppedReading, AServerThatReadsLeavesNothingUnread) {
  ScriptedServer server(ScriptedServer::Behaviour::kSpeakThenMark);
  // Past the second of audio, so that its mark is echoed before the hang-up.
  BurstOutcome out = test::run_calls(settings_for(server.url(), 1500ms), 2);
  ASSERT_EQ(out.stats.calls.size(), 2u);
  for (const CallRecord& call : out.stats.calls) {
    EXPECT_EQ(call.outcome, Outcome::kCompleted) << call.error;
    EXPECT_FALSE(call.close_timed_out);
    EXPECT_EQ(call.marks_echoed, 1u);
    EXPECT_EQ(call.mark_echoes_unsent + call.pongs_unsent + call.frames_congested, 0u);
    EXPECT_EQ(call.unread_bytes(), 0u);
    EXPECT_EQ(call.unread_frames, 0u);
    // A server that keeps reading never fills the kernel's buffer: every message went
    // straight to the socket, and websocketpp held none.
    EXPECT_EQ(call.messages_queued, 0u);
    EXPECT_GT(call.messages_written_directly, call.frames_sent);
    EXPECT_EQ(call.send_queue_peak_frames, 0u);
  }
}

}  // namespace
}  // namespace callsim
