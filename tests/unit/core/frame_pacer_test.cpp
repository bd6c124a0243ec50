#include "core/frame_pacer.h"

#include <gtest/gtest.h>

#include <vector>

#include "core/clock.h"
#include "core/sids.h"

namespace callsim {
namespace {

using namespace std::chrono_literals;

// Sends every due frame at clock.now(); returns each frame's lateness.
std::vector<Nanos> send_due(FramePacer& pacer, const Clock& clock) {
  std::vector<Nanos> lateness;
  for (uint64_t n = pacer.due_frames(clock.now()); n > 0; --n) {
    lateness.push_back(pacer.mark_sent(clock.now()));
  }
  return lateness;
}

TEST(FramePacer, FirstFrameIsDueAtStart) {
  ManualClock clock;
  const TimePoint start = clock.now();
  FramePacer pacer(start, 155);
  EXPECT_EQ(pacer.next_due(), start);
  EXPECT_EQ(pacer.next_timestamp_ms(), 155u);
  EXPECT_EQ(pacer.due_frames(start - 1ns), 0u);
  EXPECT_EQ(pacer.due_frames(start), 1u);
  EXPECT_EQ(pacer.mark_sent(start), 0ns);
  EXPECT_EQ(pacer.next_frame(), 1u);
  EXPECT_EQ(pacer.next_due(), start + 20ms);
  EXPECT_EQ(pacer.next_timestamp_ms(), 175u);
  EXPECT_EQ(pacer.due_frames(start + 20ms - 1ns), 0u);
  EXPECT_EQ(pacer.due_frames(start + 20ms), 1u);
  EXPECT_EQ(pacer.deadline(7), start + 140ms);
}

TEST(FramePacer, NoDriftOverTenThousandFramesWithJitteryWakeUps) {
  ManualClock clock;
  const TimePoint start = clock.now();
  FramePacer pacer(start, 102);
  uint64_t state = 1;
  uint64_t sent = 0;
  while (sent < 10'000) {
    // Wake somewhere between 2 ms early and 17 ms late, to the nanosecond.
    state = mix64(state);
    const Nanos jitter = Nanos(static_cast<int64_t>(state % 19'000'000) - 2'000'000);
    clock.set(pacer.next_due() + jitter);
    for (uint64_t n = pacer.due_frames(clock.now()); n > 0 && sent < 10'000; --n) {
      const uint64_t frame = pacer.next_frame();
      ASSERT_EQ(pacer.next_timestamp_ms(), 102 + 20 * frame);
      ASSERT_EQ(pacer.mark_sent(clock.now()), clock.now() - (start + frame * 20ms));
      ++sent;
    }
  }
  EXPECT_EQ(pacer.skipped_frames(), 0u);
  EXPECT_EQ(pacer.sent_frames(), 10'000u);
  EXPECT_EQ(pacer.next_frame(), 10'000u);
  EXPECT_EQ(pacer.next_due(), start + 200s);
  EXPECT_EQ(pacer.next_timestamp_ms(), 102u + 200'000u);
}

TEST(FramePacer, LatenessIsMeasuredAgainstEachFramesOwnDeadline) {
  ManualClock clock;
  const TimePoint start = clock.now();
  FramePacer pacer(start, 0);
  clock.advance(3ms);
  EXPECT_EQ(send_due(pacer, clock), std::vector<Nanos>{3ms});
  clock.set(start + 20ms + 1ns);
  EXPECT_EQ(send_due(pacer, clock), std::vector<Nanos>{1ns});
  clock.set(start + 40ms);
  EXPECT_EQ(send_due(pacer, clock), std::vector<Nanos>{0ns});
  // Sent before its deadline (the caller did not ask due_frames): negative lateness.
  EXPECT_EQ(pacer.mark_sent(start + 55ms), -5ms);
}

TEST(FramePacer, StallOf300MillisecondsSendsFifteenFramesBackToBack) {
  ManualClock clock;
  const TimePoint start = clock.now();
  FramePacer pacer(start, 155);
  EXPECT_EQ(send_due(pacer, clock).size(), 1u);  // frame 0 on time
  clock.advance(300ms);
  const std::vector<Nanos> lateness = send_due(pacer, clock);
  ASSERT_EQ(lateness.size(), 15u);
  for (size_t i = 0; i < lateness.size(); ++i) {
    EXPECT_EQ(lateness[i], 280ms - i * 20ms) << i;  // frames 1..15, due 20..300 ms
  }
  EXPECT_EQ(pacer.skipped_frames(), 0u);
  EXPECT_EQ(pacer.next_frame(), 16u);
  EXPECT_EQ(pacer.next_timestamp_ms(), 155u + 320u);
}

TEST(FramePacer, StallOfFiveSecondsSendsTheLatestSecondAndSkipsTheRest) {
  ManualClock clock;
  const TimePoint start = clock.now();
  FramePacer pacer(start, 155);
  EXPECT_EQ(send_due(pacer, clock).size(), 1u);  // frame 0; chunk 1, timestamp 155
  clock.advance(5s);                             // frames 1..250 are due
  EXPECT_EQ(pacer.due_frames(clock.now()), 50u);
  EXPECT_EQ(pacer.skipped_frames(), 200u);
  EXPECT_EQ(pacer.next_frame(), 201u);
  EXPECT_EQ(pacer.sent_frames(), 1u);                       // the next chunk is still 2
  EXPECT_EQ(pacer.next_timestamp_ms(), 155u + 201u * 20u);  // the timestamp jumps
  // Asking again before sending changes nothing.
  EXPECT_EQ(pacer.due_frames(clock.now()), 50u);
  EXPECT_EQ(pacer.skipped_frames(), 200u);

  const std::vector<Nanos> lateness = send_due(pacer, clock);
  ASSERT_EQ(lateness.size(), 50u);
  EXPECT_EQ(lateness.front(), 980ms);  // frame 201, due 4.02 s
  EXPECT_EQ(lateness.back(), 0ms);     // frame 250, due 5 s
  EXPECT_EQ(pacer.sent_frames(), 51u);
  EXPECT_EQ(pacer.next_due(), start + 5020ms);

  // Back on schedule afterwards.
  clock.advance(20ms);
  EXPECT_EQ(send_due(pacer, clock), std::vector<Nanos>{0ns});
  EXPECT_EQ(pacer.skipped_frames(), 200u);
}

TEST(FramePacer, BurstLimitIsExact) {
  ManualClock clock;
  const TimePoint start = clock.now();
  FramePacer exactly(start, 0);
  EXPECT_EQ(exactly.due_frames(start + (FramePacer::kMaxBurst - 1) * 20ms), FramePacer::kMaxBurst);
  EXPECT_EQ(exactly.skipped_frames(), 0u);
  FramePacer one_more(start, 0);
  EXPECT_EQ(one_more.due_frames(start + FramePacer::kMaxBurst * 20ms), FramePacer::kMaxBurst);
  EXPECT_EQ(one_more.skipped_frames(), 1u);
  EXPECT_EQ(one_more.next_frame(), 1u);
}

TEST(FramePacer, PartlySentBurstResumesWhereItLeftOff) {
  ManualClock clock;
  const TimePoint start = clock.now();
  FramePacer pacer(start, 0);
  clock.advance(100ms);  // frames 0..5 due
  EXPECT_EQ(pacer.due_frames(clock.now()), 6u);
  pacer.mark_sent(clock.now());
  pacer.mark_sent(clock.now());
  EXPECT_EQ(pacer.due_frames(clock.now()), 4u);
  clock.advance(1ms);
  EXPECT_EQ(pacer.mark_sent(clock.now()), 61ms);  // frame 2, due 40 ms
}

}  // namespace
}  // namespace callsim
