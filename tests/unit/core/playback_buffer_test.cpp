#include "core/playback_buffer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace callsim {
namespace {

using namespace std::chrono_literals;
using Names = std::vector<std::string>;

const TimePoint t0 = TimePoint(1000s);

Names take(PlaybackBuffer& buffer, TimePoint now) {
  Names out;
  buffer.take_due_marks(now, out);
  return out;
}

TEST(PlaybackBuffer, MarkWithNothingQueuedIsDueAtOnce) {
  PlaybackBuffer buffer;
  buffer.enqueue_mark(t0, "a");
  EXPECT_EQ(buffer.next_mark_due(), t0);
  EXPECT_EQ(take(buffer, t0), Names{"a"});
  EXPECT_EQ(buffer.pending_marks(), 0u);
  EXPECT_EQ(buffer.next_mark_due(), std::nullopt);
}

TEST(PlaybackBuffer, MarkEchoesWhenItsAudioHasPlayedToTheNanosecond) {
  PlaybackBuffer buffer;
  EXPECT_EQ(buffer.enqueue_audio(t0, 160), 160u);
  EXPECT_EQ(buffer.queued(t0), 20ms);
  buffer.enqueue_mark(t0, "m");
  EXPECT_EQ(buffer.next_mark_due(), t0 + 20ms);
  EXPECT_TRUE(take(buffer, t0 + 20ms - 1ns).empty());
  EXPECT_EQ(take(buffer, t0 + 20ms), Names{"m"});
  EXPECT_EQ(buffer.queued(t0 + 20ms), 0ns);
}

TEST(PlaybackBuffer, EachBytePlaysForAnEighthOfAMillisecond) {
  PlaybackBuffer buffer;
  buffer.enqueue_audio(t0, 3);
  buffer.enqueue_mark(t0, "three");
  EXPECT_EQ(buffer.next_mark_due(), t0 + 375us);
  EXPECT_EQ(buffer.queued(t0 + 100us), 275us);
  EXPECT_EQ(buffer.accepted_bytes(), 3u);
}

TEST(PlaybackBuffer, AudioQueuedWhilePlayingExtendsTheQueue) {
  PlaybackBuffer buffer;
  buffer.enqueue_audio(t0, 160);
  buffer.enqueue_audio(t0 + 10ms, 160);  // 10 ms still queued, then 20 ms more
  buffer.enqueue_mark(t0 + 10ms, "after both");
  EXPECT_EQ(buffer.next_mark_due(), t0 + 40ms);
  EXPECT_EQ(buffer.queued(t0 + 10ms), 30ms);
}

TEST(PlaybackBuffer, AudioAfterADrainStartsFreshAtNow) {
  PlaybackBuffer buffer;
  buffer.enqueue_audio(t0, 160);
  const TimePoint later = t0 + 1s;
  EXPECT_EQ(buffer.queued(later), 0ns);
  buffer.enqueue_mark(later, "idle");
  EXPECT_EQ(buffer.next_mark_due(), later);
  buffer.enqueue_audio(later, 80);
  EXPECT_EQ(buffer.queued(later), 10ms);
  buffer.enqueue_mark(later, "fresh");
  EXPECT_EQ(take(buffer, later), Names{"idle"});
  EXPECT_EQ(buffer.next_mark_due(), later + 10ms);
  EXPECT_EQ(take(buffer, later + 10ms), Names{"fresh"});
}

TEST(PlaybackBuffer, MarksLeaveInTheOrderTheyCame) {
  PlaybackBuffer buffer;
  buffer.enqueue_audio(t0, 160);
  buffer.enqueue_mark(t0, "a");
  buffer.enqueue_audio(t0, 160);
  buffer.enqueue_mark(t0, "b");
  buffer.enqueue_mark(t0, "c");  // no audio between b and c: due together
  buffer.enqueue_audio(t0, 8);
  buffer.enqueue_mark(t0, "d");
  EXPECT_TRUE(take(buffer, t0 + 19ms).empty());
  EXPECT_EQ(take(buffer, t0 + 39ms), Names{"a"});
  EXPECT_EQ(take(buffer, t0 + 40ms), (Names{"b", "c"}));
  EXPECT_EQ(buffer.next_mark_due(), t0 + 41ms);
  EXPECT_EQ(take(buffer, t0 + 1h), Names{"d"});
}

TEST(PlaybackBuffer, AMarkNeverOvertakesAnEarlierOneEvenIfTimeRunsBackwards) {
  PlaybackBuffer buffer;
  buffer.enqueue_mark(t0 + 5s, "first");  // due t0 + 5 s
  buffer.enqueue_mark(t0, "second");      // a caller's clock going backwards: due t0
  EXPECT_TRUE(take(buffer, t0 + 1s).empty());
  EXPECT_EQ(take(buffer, t0 + 5s), (Names{"first", "second"}));
}

TEST(PlaybackBuffer, ClearEchoesEveryPendingMarkInOrderAndDropsTheAudio) {
  PlaybackBuffer buffer;
  buffer.enqueue_audio(t0, 8000);  // 1 s
  buffer.enqueue_mark(t0, "a");
  buffer.enqueue_audio(t0, 8000);
  buffer.enqueue_mark(t0, "b");
  Names out{"already there"};
  buffer.clear(t0 + 500ms, out);
  EXPECT_EQ(out, (Names{"already there", "a", "b"}));
  EXPECT_EQ(buffer.pending_marks(), 0u);
  EXPECT_EQ(buffer.cleared_bytes(), 4000u + 8000u);
  EXPECT_EQ(buffer.queued(t0 + 500ms), 0ns);
  EXPECT_TRUE(take(buffer, t0 + 1h).empty());

  buffer.enqueue_mark(t0 + 500ms, "after clear");
  EXPECT_EQ(buffer.next_mark_due(), t0 + 500ms);
  buffer.enqueue_audio(t0 + 600ms, 160);
  buffer.enqueue_mark(t0 + 600ms, "new audio");
  EXPECT_EQ(buffer.next_mark_due(), t0 + 500ms);
  EXPECT_EQ(take(buffer, t0 + 600ms), Names{"after clear"});
  EXPECT_EQ(buffer.next_mark_due(), t0 + 620ms);
  EXPECT_EQ(buffer.accepted_bytes(), 16160u);
  EXPECT_EQ(buffer.dropped_bytes(), 0u);
}

TEST(PlaybackBuffer, ClearCountsAPartlyPlayedByteAsCleared) {
  PlaybackBuffer buffer;
  buffer.enqueue_audio(t0, 2);
  Names out;
  buffer.clear(t0 + 100us, out);
  EXPECT_EQ(buffer.cleared_bytes(), 2u);
  buffer.enqueue_audio(t0 + 100us, 2);
  buffer.clear(t0 + 225us, out);  // first byte done exactly at 125 µs
  EXPECT_EQ(buffer.cleared_bytes(), 3u);
  buffer.clear(t0 + 1s, out);  // nothing queued
  EXPECT_EQ(buffer.cleared_bytes(), 3u);
  EXPECT_TRUE(out.empty());
}

TEST(PlaybackBuffer, TenMinutesFitExactly) {
  PlaybackBuffer buffer;
  EXPECT_EQ(buffer.enqueue_audio(t0, 4'800'000), 4'800'000u);
  EXPECT_EQ(buffer.queued(t0), 10min);
  EXPECT_FALSE(buffer.overflowed());
  EXPECT_EQ(buffer.dropped_bytes(), 0u);
}

TEST(PlaybackBuffer, AudioBeyondTenMinutesIsDroppedAndCounted) {
  PlaybackBuffer buffer;
  EXPECT_EQ(buffer.enqueue_audio(t0, 4'800'001), 4'800'000u);
  EXPECT_TRUE(buffer.overflowed());
  EXPECT_EQ(buffer.dropped_bytes(), 1u);
  EXPECT_EQ(buffer.enqueue_audio(t0, 160), 0u);
  EXPECT_EQ(buffer.dropped_bytes(), 161u);
  // One second later, one second of room has opened.
  EXPECT_EQ(buffer.enqueue_audio(t0 + 1s, 10'000), 8'000u);
  EXPECT_EQ(buffer.dropped_bytes(), 2'161u);
  EXPECT_EQ(buffer.accepted_bytes(), 4'808'000u);
  buffer.enqueue_mark(t0 + 1s, "end");
  EXPECT_EQ(buffer.next_mark_due(), t0 + 1s + 10min);
  // A partial byte of room is no room.
  EXPECT_EQ(buffer.enqueue_audio(t0 + 1s + 100us, 1), 0u);
  EXPECT_EQ(buffer.enqueue_audio(t0 + 1s + 125us, 1), 1u);
}

TEST(PlaybackBuffer, AbsurdAmountsDoNotOverflow) {
  PlaybackBuffer buffer;
  EXPECT_EQ(buffer.enqueue_audio(t0, UINT64_MAX), 4'800'000u);
  EXPECT_EQ(buffer.dropped_bytes(), UINT64_MAX - 4'800'000u);
  EXPECT_EQ(buffer.queued(t0), 10min);
  EXPECT_EQ(buffer.enqueue_audio(t0, 0), 0u);
}

TEST(PlaybackBuffer, HundredThousandMarksStayCheapAndOrdered) {
  PlaybackBuffer buffer;
  constexpr int kMarks = 100'000;
  for (int i = 0; i < kMarks; ++i) {
    buffer.enqueue_audio(t0, 8);  // 1 ms each
    buffer.enqueue_mark(t0, "m" + std::to_string(i));
  }
  EXPECT_EQ(buffer.pending_marks(), static_cast<size_t>(kMarks));
  Names out;
  int expected_next = 0;
  for (int step = 1; step <= 100; ++step) {
    // Mark i is due at t0 + (i + 1) ms.
    buffer.take_due_marks(t0 + std::chrono::milliseconds(step * 1000), out);
    ASSERT_EQ(out.size(), static_cast<size_t>(step * 1000));
    for (; expected_next < step * 1000; ++expected_next) {
      ASSERT_EQ(out[static_cast<size_t>(expected_next)], "m" + std::to_string(expected_next));
    }
  }
  EXPECT_EQ(buffer.pending_marks(), 0u);
}

}  // namespace
}  // namespace callsim
