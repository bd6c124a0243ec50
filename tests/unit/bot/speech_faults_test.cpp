// The Conversation's latency and audio faults on a hand-moved clock: exact frame times for
// --tts-speed, --tts-burst and --stall, what --clear-delay and --no-greeting change, and the
// answer's pause (--think draws, --think-per-call beyond --think-knee).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <string>
#include <vector>

#include "bot/conversation.h"
#include "conversation_fixture.h"

namespace callsim::bot::test {
namespace {

using Said = std::vector<std::string>;

class SpeechFaults : public ConversationTest {
 protected:
  // A 200 ms greeting (10 frames) for the tests that need time to interrupt it. A steady tone
  // repeats every 5 frames at 440 Hz; a rising level keeps every frame distinct.
  void long_greeting() {
    std::vector<int16_t> pcm(1600);
    for (size_t i = 0; i < pcm.size(); ++i) {
      pcm[i] = static_cast<int16_t>(std::sin(2 * M_PI * 440.0 * i / 8000.0) * (3000.0 + 4.0 * i));
    }
    voice_.greeting = media::FrameSource::from_pcm(pcm, "greeting");
  }
};

TEST_F(SpeechFaults, TtsSpeedFourSendsAFrameEvery5ms) {
  settings_.tts_speed = 4;
  Recorder out(voice_);
  Conversation c(voice_, settings_, out);
  c.begin(t0_);
  EXPECT_EQ(ticks(c, out, 0, 30),
            (Said{"0 greeting#0", "5 greeting#1", "10 greeting#2", "10 mark:greeting"}));
}

TEST_F(SpeechFaults, TtsSpeedBelowOneSendsAFrameEvery25msAt08) {
  settings_.tts_speed = 0.8;
  Recorder out(voice_);
  Conversation c(voice_, settings_, out);
  c.begin(t0_);
  EXPECT_EQ(ticks(c, out, 0, 80),
            (Said{"0 greeting#0", "25 greeting#1", "50 greeting#2", "50 mark:greeting"}));
}

TEST_F(SpeechFaults, AtRealTimeTheBotIsHeardUntilItsLastFrameHasPlayed) {
  Recorder out(voice_);
  Conversation c(voice_, settings_, out);
  c.begin(t0_);
  ticks(c, out, 0, 45);  // the last frame went at 40
  EXPECT_FALSE(c.speaking());
  EXPECT_TRUE(c.audible(at(59)));
  EXPECT_FALSE(c.audible(at(60)));
}

TEST_F(SpeechFaults, BurstSendsTheWholeUtteranceAtOnceAndIsHeardWhileItPlays) {
  settings_.tts_burst = true;
  Recorder out(voice_);
  Conversation c(voice_, settings_, out);
  c.begin(t0_);
  c.on_tick(t0_);
  EXPECT_EQ(out.take(), (Said{"greeting#0", "greeting#1", "greeting#2", "mark:greeting"}));
  EXPECT_FALSE(c.speaking());
  // 60 ms of audio is still playing at the caller: talking over it is a barge-in.
  EXPECT_TRUE(c.audible(at(59)));
  EXPECT_FALSE(c.audible(at(60)));
  now_ = at(40);
  caller(c, loud_, 2);
  EXPECT_EQ(out.take(), (Said{"clear"}));
  EXPECT_EQ(c.barge_ins(), 1u);
  EXPECT_EQ(out.barge_ins, 1);
}

TEST_F(SpeechFaults, SpeakingAfterABurstHasPlayedIsNoBargeIn) {
  settings_.tts_burst = true;
  Recorder out(voice_);
  Conversation c(voice_, settings_, out);
  c.begin(t0_);
  c.on_tick(t0_);
  out.take();
  now_ = at(60);
  caller(c, loud_, 2);
  EXPECT_TRUE(out.take().empty());
  EXPECT_EQ(c.barge_ins(), 0u);
}

TEST_F(SpeechFaults, TheMarkEchoEndsWhatIsHeardOnlyForTheUtterancesOwnMark) {
  settings_.tts_burst = true;
  Recorder out(voice_);
  Conversation echoed(voice_, settings_, out);
  echoed.begin(t0_);
  echoed.on_tick(t0_);
  echoed.on_mark_echo("greeting", at(10));  // Twilio says the caller has heard it all
  EXPECT_FALSE(echoed.audible(at(10)));
  Conversation other(voice_, settings_, out);
  other.begin(t0_);
  other.on_tick(t0_);
  other.on_mark_echo("heartbeat_1", at(10));
  EXPECT_TRUE(other.audible(at(10)));
}

TEST_F(SpeechFaults, StallSendsNothingForFORAfterEveryEVERYOfAudio) {
  long_greeting();
  settings_.stall_every = milliseconds(60);  // 3 frames
  settings_.stall_for = milliseconds(100);
  Recorder out(voice_);
  Conversation c(voice_, settings_, out);
  c.begin(t0_);
  EXPECT_EQ(ticks(c, out, 0, 600),
            (Said{"0 greeting#0", "20 greeting#1", "40 greeting#2",      // then 100 ms of nothing
                  "160 greeting#3", "180 greeting#4", "200 greeting#5",  // ...
                  "320 greeting#6", "340 greeting#7", "360 greeting#8",  // ...
                  "480 greeting#9", "480 mark:greeting"}));
  EXPECT_EQ(c.stalls(), 3u);
  EXPECT_EQ(out.stalls, 3);
}

TEST_F(SpeechFaults, StallWithBurstSendsEVERYOfAudioAtOnceEveryFOR) {
  long_greeting();
  settings_.tts_burst = true;
  settings_.stall_every = milliseconds(60);
  settings_.stall_for = milliseconds(100);
  Recorder out(voice_);
  Conversation c(voice_, settings_, out);
  c.begin(t0_);
  EXPECT_EQ(ticks(c, out, 0, 400),
            (Said{"0 greeting#0", "0 greeting#1", "0 greeting#2", "100 greeting#3",
                  "100 greeting#4", "100 greeting#5", "200 greeting#6", "200 greeting#7",
                  "200 greeting#8", "300 greeting#9", "300 mark:greeting"}));
  EXPECT_EQ(c.stalls(), 3u);
}

TEST_F(SpeechFaults, StallEveryMultipleOfTheClipNeverStallsAShorterUtterance) {
  settings_.stall_every = milliseconds(60);  // exactly the greeting: no frame after a boundary
  settings_.stall_for = milliseconds(100);
  Recorder out(voice_);
  Conversation c(voice_, settings_, out);
  c.begin(t0_);
  EXPECT_EQ(ticks(c, out, 0, 100),
            (Said{"0 greeting#0", "20 greeting#1", "40 greeting#2", "40 mark:greeting"}));
  EXPECT_EQ(c.stalls(), 0u);
}

TEST_F(SpeechFaults, ClearDelayTalksOnForDThenStopsAndClears) {
  long_greeting();
  settings_.clear_delay = milliseconds(50);
  Recorder out(voice_);
  Conversation c(voice_, settings_, out);
  c.begin(t0_);
  ticks(c, out, 0, 100);  // frames 0..5
  now_ = at(100);
  caller(c, loud_, 2);
  EXPECT_TRUE(out.take().empty());
  EXPECT_EQ(c.barge_ins(), 1u);
  EXPECT_EQ(ticks(c, out, 101, 400), (Said{"120 greeting#6", "140 greeting#7", "150 clear"}));
  EXPECT_FALSE(c.speaking());
}

TEST_F(SpeechFaults, InterruptingAgainDoesNotPostponeAPendingClear) {
  long_greeting();
  settings_.clear_delay = milliseconds(50);
  Recorder out(voice_);
  Conversation c(voice_, settings_, out);
  c.begin(t0_);
  ticks(c, out, 0, 100);
  turn(c, 100);  // barges in, then stops
  now_ = at(130);
  caller(c, loud_, 2);  // and starts again
  EXPECT_EQ(c.barge_ins(), 2u);
  EXPECT_EQ(ticks(c, out, 101, 1000), (Said{"120 greeting#6", "140 greeting#7", "150 clear"}));
}

TEST_F(SpeechFaults, ClearDelayNeverTalksOverTheCallerToTheEnd) {
  long_greeting();
  settings_.clear_delay = std::nullopt;
  Recorder out(voice_);
  Conversation c(voice_, settings_, out);
  c.begin(t0_);
  ticks(c, out, 0, 100);
  now_ = at(100);
  caller(c, loud_, 2);
  EXPECT_EQ(c.barge_ins(), 1u);
  EXPECT_EQ(ticks(c, out, 101, 400), (Said{"120 greeting#6", "140 greeting#7", "160 greeting#8",
                                           "180 greeting#9", "180 mark:greeting"}));
}

TEST_F(SpeechFaults, AClearStillPendingGoesOutJustBeforeTheAnswer) {
  long_greeting();
  settings_.clear_delay = std::chrono::seconds(2);
  Recorder out(voice_);
  Conversation c(voice_, settings_, out);
  c.begin(t0_);
  ticks(c, out, 0, 100);
  turn(c, 100);  // the answer is due at 400, long before the clear
  EXPECT_EQ(ticks(c, out, 101, 500), (Said{"120 greeting#6", "140 greeting#7", "160 greeting#8",
                                           "180 greeting#9", "180 mark:greeting", "400 clear",
                                           "400 answer#0", "420 answer#1", "420 mark:answer_1"}));
  EXPECT_TRUE(ticks(c, out, 501, 2500).empty());  // that was the clear: no second one
}

TEST_F(SpeechFaults, NoGreetingWaitsForTheCallerToSpeakFirst) {
  settings_.greet = false;
  Recorder out(voice_);
  Conversation c(voice_, settings_, out);
  c.begin(t0_);
  EXPECT_TRUE(ticks(c, out, 0, 1000).empty());
  turn(c, 1000);
  EXPECT_EQ(ticks(c, out, 1001, 1500),
            (Said{"1300 answer#0", "1320 answer#1", "1320 mark:answer_1"}));
  EXPECT_EQ(c.barge_ins(), 0u);
  EXPECT_EQ(out.pauses, (std::vector<Nanos>{milliseconds(300)}));
}

class ThinkDraws : public SpeechFaults {
 public:
  // The pauses of `turns` answers by a conversation seeded `seed`.
  std::vector<Nanos> draws(uint64_t seed, int turns) {
    Recorder out(voice_);
    Conversation c(voice_, settings_, out, seed);
    c.begin(t0_);
    c.on_tick(at(100));  // the greeting
    for (int i = 0; i < turns; ++i) {
      turn(c, 200 + 2000 * i);
      c.on_tick(at(1200 + 2000 * i));  // after any pause up to 1 s: the answer goes out
    }
    EXPECT_EQ(c.answers(), static_cast<uint64_t>(turns));
    return out.pauses;
  }
};

TEST_F(ThinkDraws, AreUniformWithinTheSpreadAndTheSameForTheSameSeed) {
  settings_.think = ThinkTime::parse("600ms±200ms");
  auto pauses = draws(7, 40);
  ASSERT_EQ(pauses.size(), 40u);
  Nanos total{0};
  for (Nanos p : pauses) {
    EXPECT_GE(p, milliseconds(400));
    EXPECT_LE(p, milliseconds(800));
    total += p;
  }
  EXPECT_GT(std::set<Nanos>(pauses.begin(), pauses.end()).size(), 35u);
  // Seed 7's 40 draws; a uniform draw's mean over 40 has a standard deviation of 18 ms.
  const double mean_ms = std::chrono::duration<double, std::milli>(total).count() / 40;
  EXPECT_NEAR(mean_ms, 600, 60);
  EXPECT_EQ(draws(7, 40), pauses);
  EXPECT_NE(draws(8, 40), pauses);
}

TEST_F(ThinkDraws, TheAnswerStartsExactlyItsPauseAfterTheTurnEnds) {
  settings_.think = ThinkTime::parse("600ms+-200ms");
  Recorder out(voice_);
  Conversation c(voice_, settings_, out, 42);
  c.begin(t0_);
  c.on_tick(at(100));
  out.take();
  turn(c, 200);
  auto said = ticks(c, out, 201, 1100);
  ASSERT_EQ(out.pauses.size(), 1u);
  // Ticks fall on whole milliseconds: the first one at or after the deadline sends the frame.
  auto due_ms = 200 + std::chrono::ceil<milliseconds>(out.pauses[0]).count();
  ASSERT_FALSE(said.empty());
  EXPECT_EQ(said.front(), std::to_string(due_ms) + " answer#0");
}

TEST(SpeechSettings, LoadDelayIsPerCallBeyondTheKnee) {
  SpeechSettings s;
  s.think_knee = 80;
  s.think_per_call = milliseconds(10);
  EXPECT_EQ(s.load_delay(0), Nanos(0));
  EXPECT_EQ(s.load_delay(80), Nanos(0));
  EXPECT_EQ(s.load_delay(81), milliseconds(10));
  EXPECT_EQ(s.load_delay(100), milliseconds(200));
  s.think_knee = 0;
  EXPECT_EQ(s.load_delay(3), milliseconds(30));
  s.think_per_call = Nanos(0);
  EXPECT_EQ(s.load_delay(1000), Nanos(0));
}

TEST_F(SpeechFaults, KneeAddsToThePauseByTheCallsServedWhenTheAnswerIsScheduled) {
  settings_.think = ThinkTime{milliseconds(200), Nanos(0)};
  settings_.think_knee = 2;
  settings_.think_per_call = milliseconds(100);
  std::atomic<int64_t> serving{4};
  Recorder out(voice_);
  Conversation c(voice_, settings_, out, 0, &serving);
  c.begin(t0_);
  c.on_tick(at(100));
  out.take();
  turn(c, 200);
  serving = 0;  // read when the answer was scheduled, not when it is spoken
  EXPECT_EQ(ticks(c, out, 201, 700).front(), "600 answer#0");  // 200 + 2 × 100
  for (int64_t calls : {1, 2, 3}) {
    serving = calls;
    turn(c, 1000 * static_cast<int>(calls));
    ticks(c, out, 1000 * static_cast<int>(calls) + 1, 1000 * static_cast<int>(calls) + 900);
  }
  EXPECT_EQ(out.pauses, (std::vector<Nanos>{milliseconds(400), milliseconds(200), milliseconds(200),
                                            milliseconds(300)}));
}

}  // namespace
}  // namespace callsim::bot::test
