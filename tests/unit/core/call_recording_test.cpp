#include "core/call_recording.h"

#include <gtest/gtest.h>

#include <vector>

namespace callsim {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr uint8_t kS = CallRecording::kSilence;

std::vector<uint8_t> bytes(size_t n, uint8_t value) {
  return std::vector<uint8_t>(n, value);
}

// The samples [from, to) of a channel.
std::vector<uint8_t> span(const std::vector<uint8_t>& channel, size_t from, size_t to) {
  return std::vector<uint8_t>(channel.begin() + static_cast<long>(from),
                              channel.begin() + static_cast<long>(to));
}

class CallRecordingTest : public ::testing::Test {
 protected:
  ManualClock clock;
  TimePoint origin = clock.now();
};

TEST_F(CallRecordingTest, StartsSilentWithTheExpectedLength) {
  CallRecording r(origin, seconds(2));
  EXPECT_EQ(r.capacity(), 16000u);
  EXPECT_EQ(r.samples(), 0u);
  EXPECT_EQ(r.caller(), bytes(16000, kS));
  EXPECT_EQ(r.bot(), bytes(16000, kS));
  EXPECT_FALSE(r.truncated());
}

TEST_F(CallRecordingTest, CallerFramesSitAtTheirScheduleWithSilenceForFramesNotSent) {
  CallRecording r(origin, seconds(1));
  r.add_caller(origin, bytes(160, 0x11).data(), 160);
  // Frame 1 was congested (never sent); frame 2 is at 40 ms.
  r.add_caller(origin + milliseconds(40), bytes(160, 0x22).data(), 160);
  EXPECT_EQ(span(r.caller(), 0, 160), bytes(160, 0x11));
  EXPECT_EQ(span(r.caller(), 160, 320), bytes(160, kS));
  EXPECT_EQ(span(r.caller(), 320, 480), bytes(160, 0x22));
  EXPECT_EQ(r.samples(), 480u);
  EXPECT_EQ(r.bot(), bytes(8000, kS));
}

TEST_F(CallRecordingTest, BotAudioPlaysFromItsArrivalToTheSample) {
  CallRecording r(origin, seconds(1));
  // 100 ms + 62.5 us falls inside sample 800.
  r.add_bot(origin + milliseconds(100) + std::chrono::nanoseconds(62'500), bytes(10, 0x33).data(),
            10);
  EXPECT_EQ(span(r.bot(), 799, 800), bytes(1, kS));
  EXPECT_EQ(span(r.bot(), 800, 810), bytes(10, 0x33));
  EXPECT_EQ(span(r.bot(), 810, 811), bytes(1, kS));
  EXPECT_EQ(r.samples(), 810u);
}

TEST_F(CallRecordingTest, BotAudioStreamedFasterThanRealTimeQueuesBehindWhatIsPlaying) {
  CallRecording r(origin, seconds(1));
  // Three 20 ms packets arrive within 1 ms: they play back to back from the first's arrival.
  r.add_bot(origin + milliseconds(10), bytes(160, 0x01).data(), 160);
  r.add_bot(origin + milliseconds(10) + microseconds(500), bytes(160, 0x02).data(), 160);
  r.add_bot(origin + milliseconds(11), bytes(160, 0x03).data(), 160);
  EXPECT_EQ(span(r.bot(), 80, 240), bytes(160, 0x01));
  EXPECT_EQ(span(r.bot(), 240, 400), bytes(160, 0x02));
  EXPECT_EQ(span(r.bot(), 400, 560), bytes(160, 0x03));
  EXPECT_EQ(r.samples(), 560u);
}

TEST_F(CallRecordingTest, AGapInTheBotsAudioIsSilenceUntilTheNextArrival) {
  CallRecording r(origin, seconds(1));
  r.add_bot(origin, bytes(160, 0x01).data(), 160);  // plays [0, 20 ms)
  r.add_bot(origin + milliseconds(50), bytes(160, 0x02).data(), 160);
  EXPECT_EQ(span(r.bot(), 0, 160), bytes(160, 0x01));
  EXPECT_EQ(span(r.bot(), 160, 400), bytes(240, kS));
  EXPECT_EQ(span(r.bot(), 400, 560), bytes(160, 0x02));
}

TEST_F(CallRecordingTest, AClearSilencesWhatHadNotPlayedAndTheNextAudioPlaysOnArrival) {
  CallRecording r(origin, seconds(1));
  r.add_bot(origin, bytes(800, 0x01).data(), 800);  // queued to play [0, 100 ms)
  r.clear_bot(origin + milliseconds(30));           // sample 240
  EXPECT_EQ(span(r.bot(), 0, 240), bytes(240, 0x01));
  EXPECT_EQ(span(r.bot(), 240, 800), bytes(560, kS));
  EXPECT_EQ(r.samples(), 240u);
  r.add_bot(origin + milliseconds(40), bytes(80, 0x02).data(), 80);
  EXPECT_EQ(span(r.bot(), 240, 320), bytes(80, kS));
  EXPECT_EQ(span(r.bot(), 320, 400), bytes(80, 0x02));
  EXPECT_EQ(r.samples(), 400u);
}

TEST_F(CallRecordingTest, AClearAfterEverythingPlayedChangesNothing) {
  CallRecording r(origin, seconds(1));
  r.add_bot(origin, bytes(160, 0x01).data(), 160);
  r.clear_bot(origin + milliseconds(30));
  EXPECT_EQ(span(r.bot(), 0, 160), bytes(160, 0x01));
  EXPECT_EQ(r.samples(), 160u);
  // Audio after the clear plays on arrival, not behind the earlier audio.
  r.add_bot(origin + milliseconds(30), bytes(8, 0x02).data(), 8);
  EXPECT_EQ(span(r.bot(), 240, 248), bytes(8, 0x02));
}

TEST_F(CallRecordingTest, TheHangUpCutsBotAudioQueuedToPlayAfterIt) {
  CallRecording r(origin, seconds(1));
  r.add_caller(origin, bytes(160, 0x11).data(), 160);
  r.add_bot(origin, bytes(1600, 0x01).data(), 1600);  // would play for 200 ms
  r.end(origin + milliseconds(100));                  // sample 800
  EXPECT_EQ(r.samples(), 800u);
  EXPECT_EQ(span(r.bot(), 0, 800), bytes(800, 0x01));
  EXPECT_EQ(span(r.bot(), 800, 1600), bytes(800, kS));
  // Nothing is placed after the end.
  r.add_bot(origin + milliseconds(150), bytes(8, 0x02).data(), 8);
  r.add_caller(origin + milliseconds(20), bytes(160, 0x12).data(), 160);
  EXPECT_EQ(r.bot()[1200], kS);
  EXPECT_EQ(r.caller()[160], kS);
  EXPECT_EQ(r.samples(), 800u);
}

TEST_F(CallRecordingTest, TheCallersLastFrameIsKeptWholeAtTheHangUp) {
  CallRecording r(origin, seconds(1));
  r.add_caller(origin + milliseconds(80), bytes(160, 0x11).data(), 160);  // [640, 800)
  r.end(origin + milliseconds(90));                                       // sample 720
  EXPECT_EQ(r.samples(), 800u);
  EXPECT_EQ(span(r.caller(), 640, 800), bytes(160, 0x11));
}

TEST_F(CallRecordingTest, AudioPastTheCapacityIsDroppedAndFlagged) {
  CallRecording r(origin, milliseconds(100));  // 800 samples
  r.add_caller(origin + milliseconds(90), bytes(160, 0x11).data(), 160);
  EXPECT_EQ(r.samples(), 800u);
  EXPECT_EQ(span(r.caller(), 720, 800), bytes(80, 0x11));
  r.add_bot(origin + seconds(5), bytes(8, 0x02).data(), 8);
  EXPECT_EQ(r.bot(), bytes(800, kS));
  r.end(origin + seconds(6));
  EXPECT_EQ(r.samples(), 800u);
  EXPECT_TRUE(r.truncated());
}

TEST_F(CallRecordingTest, BotAudioQueuedPastTheCapacityButCutByTheHangUpIsNoTruncation) {
  CallRecording r(origin, milliseconds(100));         // 800 samples
  r.add_bot(origin, bytes(8000, 0x01).data(), 8000);  // a second queued at once
  r.end(origin + milliseconds(50));
  EXPECT_FALSE(r.truncated());
  EXPECT_EQ(r.samples(), 400u);
  EXPECT_EQ(span(r.bot(), 0, 400), bytes(400, 0x01));
  EXPECT_EQ(span(r.bot(), 400, 800), bytes(400, kS));
}

TEST_F(CallRecordingTest, TheLengthIsCappedAtTenMinutes) {
  CallRecording r(origin, std::chrono::minutes(30));
  EXPECT_EQ(r.capacity(), 10u * 60 * 8000);
  CallRecording fits(origin, seconds(5));
  EXPECT_FALSE(fits.truncated());
  fits.add_caller(origin + seconds(4), bytes(160, 0x11).data(), 160);
  fits.end(origin + seconds(5));
  EXPECT_FALSE(fits.truncated());
}

}  // namespace
}  // namespace callsim
