#include "core/bot_playout.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "conversation_driver.h"

namespace callsim::test {
namespace {

// Every event as text with times relative to t0 in ms, so a test reads as a timeline.
class Recorder final : public PlayoutListener {
 public:
  void on_voice_started(TimePoint at, bool new_utterance) override {
    events.push_back("voice " + ms(at) + (new_utterance ? " new" : ""));
  }
  void on_utterance_ended(TimePoint last_voiced, bool cleared) override {
    events.push_back("end " + ms(last_voiced) + (cleared ? " cleared" : ""));
  }
  void on_dead_air(TimePoint from, Nanos gap) override {
    events.push_back("dead " + ms(from) + "+" + std::to_string(gap / 1ms));
  }
  static std::string ms(TimePoint t) { return std::to_string((t - t0) / 1ms); }
  std::vector<std::string> events;
};
using Events = std::vector<std::string>;

struct Timeline {
  BotPlayout playout;
  Recorder recorder;
  void audio(Nanos at, Nanos duration, bool voiced) {
    playout.on_audio(t0 + at, bytes_for(duration), voiced, recorder);
  }
  void clear(Nanos at) { playout.on_clear(t0 + at, recorder); }
  Events until(Nanos at) {
    playout.advance(t0 + at, recorder);
    return recorder.events;
  }
};

TEST(BotPlayout, AudioQueuedFasterThanRealTimePlaysBackToBack) {
  Timeline t;
  for (int i = 0; i < 20; ++i) t.audio(1ms * i, 100ms, true);  // 2 s within 20 ms
  EXPECT_EQ(t.playout.drained_at(), t0 + 2s);
  EXPECT_EQ(t.until(1999ms), (Events{"voice 0 new"}));
  EXPECT_TRUE(t.playout.voice_playing());
  EXPECT_EQ(t.until(2s), (Events{"voice 0 new"}));
  EXPECT_FALSE(t.playout.voiced_ahead());
  EXPECT_EQ(t.playout.last_voiced_end(), t0 + 2s);
  EXPECT_EQ(t.until(2600ms), (Events{"voice 0 new", "end 2000"}));
}

TEST(BotPlayout, ADrySpellBetweenVoicedAudioIsDeadAir) {
  Timeline t;
  t.audio(0ms, 1s, true);
  t.audio(1200ms, 1s, true);
  EXPECT_EQ(t.until(3s), (Events{"voice 0 new", "dead 1000+200", "voice 1200", "end 2200"}));
}

TEST(BotPlayout, DeadAirIsReportedOnlyOnceTheNextVoiceIsHeard) {
  Timeline t;
  t.audio(0ms, 1s, true);
  t.audio(1200ms, 100ms, false);  // unvoiced 1.2 .. 1.3 s first
  t.audio(1200ms, 1s, true);      // voiced from 1.3 s
  EXPECT_EQ(t.until(1299ms), (Events{"voice 0 new"}));
  EXPECT_EQ(t.until(1300ms), (Events{"voice 0 new", "dead 1000+200", "voice 1300"}));
}

TEST(BotPlayout, AClearBeforeTheNextVoiceCancelsTheDeadAir) {
  Timeline t;
  t.audio(0ms, 1s, true);
  t.audio(1200ms, 100ms, false);
  t.audio(1200ms, 1s, true);
  t.clear(1250ms);
  EXPECT_EQ(t.until(3s), (Events{"voice 0 new", "end 1000 cleared"}));
  EXPECT_EQ(t.playout.drained_at(), t0 + 1250ms);
}

TEST(BotPlayout, ShortDrySpellsAddUpToWholePackets) {
  Timeline t;
  t.audio(0ms, 1s, true);
  t.audio(1019ms, 1s, true);  // 19 ms dry: jitter on its own
  t.audio(2021ms, 1s, true);  // 2 ms more: one 20 ms packet's worth, reported as one gap
  t.audio(3051ms, 1s, true);  // 30 ms dry: a gap of its own
  EXPECT_EQ(t.until(5s), (Events{"voice 0 new", "voice 1019", "dead 2000+21", "voice 2021",
                                 "dead 3021+30", "voice 3051", "end 4051"}));
}

TEST(BotPlayout, ABotStreamingSlowerThanRealTimeIsChoppy) {
  // 20 ms frames every 25 ms for 1 s of audio: 49 dry spells of 5 ms, 245 ms in all.
  Timeline t;
  for (int i = 0; i < 50; ++i) t.audio(25ms * i, 20ms, true);
  const Events events = t.until(3s);
  size_t gaps = 0;
  for (const auto& e : events) gaps += e.rfind("dead ", 0) == 0 && e.find("+20") != e.npos;
  EXPECT_EQ(gaps, 12u);  // 240 ms of it; the last 5 ms never made a packet
}

TEST(BotPlayout, RealTimeStreamingWithJitterHasNoDeadAir) {
  // Sent every 20 ms with up to 4 ms of jitter: the lateness never adds up past its maximum.
  Timeline t;
  const int jitter_ms[] = {0, 3, 1, 4, 2, 0, 4, 1};
  for (int i = 0; i < 400; ++i) t.audio(20ms * i + 1ms * jitter_ms[i % 8], 20ms, true);
  for (const auto& e : t.until(10s)) EXPECT_EQ(e.rfind("dead ", 0), std::string::npos) << e;
}

TEST(BotPlayout, APauseOfEndOfTurnOrMoreEndsTheUtteranceInstead) {
  Timeline t;
  t.audio(0ms, 1s, true);
  t.audio(1600ms, 1s, true);
  EXPECT_EQ(t.until(3s), (Events{"voice 0 new", "end 1000", "voice 1600 new"}));
}

TEST(BotPlayout, UnvoicedAudioCountsTowardsThePauseButIsNotDeadAir) {
  Timeline t;
  t.audio(0ms, 1s, true);
  t.audio(0ms, 300ms, false);  // silence the bot sent: 1.0 .. 1.3 s
  t.audio(1500ms, 1s, true);   // dry 1.3 .. 1.5 s; 500 ms since the voice: same utterance
  t.audio(2500ms, 500ms, false);
  t.audio(3200ms, 1s, true);  // dry 3.0 .. 3.2 s, but 700 ms since the voice: a new utterance
  EXPECT_EQ(t.until(5s), (Events{"voice 0 new", "dead 1300+200", "voice 1500", "end 2500",
                                 "voice 3200 new", "end 4200"}));
}

TEST(BotPlayout, NoDeadAirBeforeTheFirstVoiceOrAfterAClear) {
  Timeline t;
  t.audio(0ms, 200ms, false);
  t.audio(500ms, 1s, true);  // dry 0.2 .. 0.5 s before any voice
  t.clear(1s);
  t.audio(1100ms, 1s, true);  // dry after the clear
  EXPECT_EQ(t.until(3s),
            (Events{"voice 500 new", "end 1000 cleared", "voice 1100 new", "end 2100"}));
}

TEST(BotPlayout, UtteranceStartIsKeptForBargeIn) {
  Timeline t;
  t.audio(100ms, 300ms, true);
  t.audio(100ms, 200ms, false);
  t.audio(100ms, 300ms, true);
  t.until(800ms);
  EXPECT_TRUE(t.playout.in_utterance());
  EXPECT_TRUE(t.playout.voice_playing());
  EXPECT_EQ(t.playout.utterance_started(), t0 + 100ms);
}

TEST(BotPlayout, ManyVoicedRunsQueuedAheadJoinTheLastOneBeyondTheRing) {
  Timeline t;
  for (size_t i = 0; i < BotPlayout::kMaxPendingRuns + 10; ++i) {
    t.audio(0ms, 20ms, true);
    t.audio(0ms, 20ms, false);
  }
  const Events events = t.until(10s);
  // The first run plays at once; 32 more are kept apart in the ring and the rest join the last:
  // 33 voice starts, then the utterance's end.
  EXPECT_EQ(events.size(), BotPlayout::kMaxPendingRuns + 2);
  EXPECT_EQ(events.back(), "end " + std::to_string(40 * (BotPlayout::kMaxPendingRuns + 10) - 20));
}

}  // namespace
}  // namespace callsim::test
