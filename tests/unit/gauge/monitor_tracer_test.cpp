#include "gauge/monitor_tracer.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace callsim {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;

constexpr int64_t kRedisStartUs = 1'700'000'000'000'000;
const std::string kPrefix = "callsim-gauge-test:";

// Builds MONITOR lines and checkpoints on two clocks: Redis time (µs since the epoch) and a
// steady_clock origin, so mapping can be checked exactly.
class Stream {
 public:
  explicit Stream(GaugeKind kind = GaugeKind::kRedisGet)
      : spec_{kind, "g", "", ""}, tracer_(spec_, 0, kPrefix) {}

  void command(int64_t redis_us, std::vector<std::string> args, std::string client = "unix:/r") {
    std::string line = fmt::format("{}.{:06} [0 {}]", (kRedisStartUs + redis_us) / 1000000,
                                   (kRedisStartUs + redis_us) % 1000000, client);
    for (const auto& a : args) line += " " + redis_repr(a);
    tracer_.on_line(line);
  }
  // A checkpoint whose ECHO ran at redis_us; the sampler saw it between sent and received.
  void checkpoint(uint64_t seq, int64_t redis_us, TimePoint sent, TimePoint received,
                  KeySnapshot snapshot) {
    tracer_.add_checkpoint(seq, sent, received, std::move(snapshot));
    command(redis_us, {"ECHO", kPrefix + std::to_string(seq)});
  }
  void counter_checkpoint(uint64_t seq, int64_t redis_us, TimePoint sent, TimePoint received,
                          std::optional<int64_t> value) {
    KeySnapshot s;
    s.full = true;
    if (value && *value != 0) {
      s.state.type = KeyState::Type::kString;
      s.state.text = std::to_string(*value);
    }
    s.count = value;
    checkpoint(seq, redis_us, sent, received, s);
  }
  GaugeTrace finish() {
    GaugeTrace t;
    tracer_.finish(t);
    return t;
  }
  MonitorTracer& tracer() { return tracer_; }

 private:
  GaugeSpec spec_;
  MonitorTracer tracer_;
};

std::vector<int64_t> values(const GaugeTrace& t) {
  std::vector<int64_t> out;
  for (const auto& e : t.events) out.push_back(e.value.value_or(-999));
  return out;
}

const TimePoint t0 = TimePoint(std::chrono::seconds(500));

TEST(MonitorTracer, ReplaysFromTheFirstCheckpointAndMapsTimesBetweenCheckpoints) {
  Stream s;
  s.command(0, {"INCR", "g"});  // before any checkpoint: unknown starting point, ignored
  EXPECT_TRUE(s.tracer().wants_full_state());
  s.counter_checkpoint(1, 1000, t0, t0 + microseconds(100), 3);
  EXPECT_FALSE(s.tracer().wants_full_state());
  s.command(1250, {"INCR", "g"});
  s.command(1500, {"DECR", "g"}, "lua");
  s.command(1600, {"GET", "g"});
  s.counter_checkpoint(2, 2000, t0 + milliseconds(2), t0 + milliseconds(2) + microseconds(100), 3);
  EXPECT_EQ(s.tracer().last_checkpoint_seen(), 2u);
  GaugeTrace t = s.finish();
  EXPECT_TRUE(t.exact) << t.not_exact_reason;
  EXPECT_EQ(t.checkpoints, 2u);
  EXPECT_EQ(t.commands_on_key, 2u);
  ASSERT_EQ(values(t), (std::vector<int64_t>{3, 4, 3}));
  EXPECT_EQ(t.events[0].origin, EventOrigin::kSnapshot);
  EXPECT_EQ(t.events[1].origin, EventOrigin::kClient);
  EXPECT_EQ(t.events[1].command, "INCR");
  EXPECT_EQ(t.events[2].origin, EventOrigin::kScript);
  // Checkpoint midpoints: t0+50us at Redis 1000us, t0+2050us at Redis 2000us (2x slower clock).
  EXPECT_EQ(t.events[0].at, t0 + microseconds(50));
  EXPECT_EQ(t.events[1].at, t0 + microseconds(550));
  EXPECT_EQ(t.events[2].at, t0 + microseconds(1050));
  EXPECT_EQ(t.events[1].redis_time_us, kRedisStartUs + 1250);
  EXPECT_EQ(t.clock_uncertainty, microseconds(50));
}

TEST(MonitorTracer, DisagreementMakesTheTraceInexactAndResyncs) {
  Stream s;
  s.counter_checkpoint(1, 1000, t0, t0 + microseconds(10), 0);
  s.command(1100, {"INCR", "g"});
  s.counter_checkpoint(2, 2000, t0 + milliseconds(1), t0 + milliseconds(1), 5);
  s.command(2100, {"INCR", "g"});
  s.counter_checkpoint(3, 3000, t0 + milliseconds(2), t0 + milliseconds(2), 6);
  GaugeTrace t = s.finish();
  EXPECT_FALSE(t.exact);
  EXPECT_THAT(t.not_exact_reason, ::testing::HasSubstr("replay had 1 but Redis had 5"));
  EXPECT_EQ(t.divergences, 1u);
  EXPECT_EQ(t.resyncs, 1u);
  EXPECT_EQ(values(t), (std::vector<int64_t>{0, 1, 5, 6}));
  EXPECT_EQ(t.events[2].origin, EventOrigin::kResync);
}

TEST(MonitorTracer, UnmodelledCommandWaitsForAFullRead) {
  Stream s(GaugeKind::kRedisScard);
  KeySnapshot full;
  full.full = true;
  full.state.type = KeyState::Type::kSet;
  full.state.members = {"a"};
  full.count = 1;
  s.checkpoint(1, 1000, t0, t0, full);
  s.command(1100, {"SPOP", "g", "1"});  // only if it held one member... it does: exact
  s.command(1200, {"SADD", "g", "a", "b", "c"});
  s.command(1300, {"SPOP", "g"});  // random: unknowable
  EXPECT_TRUE(s.tracer().wants_full_state());
  s.command(1400, {"SADD", "g", "d"});  // ignored while uncertain
  KeySnapshot count_only;
  count_only.count = 3;
  s.checkpoint(2, 2000, t0 + milliseconds(1), t0 + milliseconds(1), count_only);
  EXPECT_TRUE(s.tracer().wants_full_state());
  full.state.members = {"a", "b", "d"};
  full.count = 3;
  s.checkpoint(3, 3000, t0 + milliseconds(2), t0 + milliseconds(2), full);
  EXPECT_FALSE(s.tracer().wants_full_state());
  s.command(3100, {"SREM", "g", "a"});
  GaugeTrace t = s.finish();
  EXPECT_FALSE(t.exact);
  EXPECT_EQ(t.resyncs, 1u);
  EXPECT_EQ(t.commands_on_key, 5u);
  // SPOP of a one-member set is exact; the random SPOP leaves a gap until the full read.
  EXPECT_EQ(values(t), (std::vector<int64_t>{1, 0, 3, 3, 2}));
  EXPECT_EQ(t.events[3].origin, EventOrigin::kResync);
}

TEST(MonitorTracer, UnmodelledCommandResultsAreReported) {
  Stream s(GaugeKind::kRedisScard);
  KeySnapshot full;
  full.full = true;
  full.state.type = KeyState::Type::kSet;
  full.state.members = {"a", "b", "c"};
  full.count = 3;
  s.checkpoint(1, 1000, t0, t0, full);
  s.command(1300, {"SPOP", "g"});
  full.state.members = {"a", "c"};
  full.count = 2;
  s.checkpoint(2, 2000, t0 + milliseconds(1), t0 + milliseconds(1), full);
  s.command(2100, {"SREM", "g", "a"});
  GaugeTrace t = s.finish();
  EXPECT_FALSE(t.exact);
  EXPECT_THAT(t.not_exact_reason, ::testing::HasSubstr("SPOP"));
  EXPECT_EQ(t.resyncs, 1u);
  EXPECT_EQ(values(t), (std::vector<int64_t>{3, 2, 1}));
}

TEST(MonitorTracer, ExpiryBecomesAnEventAtItsDeadline) {
  Stream s;
  s.counter_checkpoint(1, 1000, t0, t0, 0);
  s.command(1100, {"SET", "g", "4", "PX", "5"});  // the line's ms is 1; expires after ms 6
  s.counter_checkpoint(2, 10'000, t0 + milliseconds(9), t0 + milliseconds(9), 0);
  GaugeTrace t = s.finish();
  EXPECT_TRUE(t.exact) << t.not_exact_reason;
  ASSERT_EQ(values(t), (std::vector<int64_t>{0, 4, 0}));
  EXPECT_EQ(t.events[2].origin, EventOrigin::kExpiry);
  EXPECT_EQ(t.events[2].redis_time_us, kRedisStartUs + 6000);
}

TEST(MonitorTracer, ExpiryRightAtTheBoundaryFollowsTheCheckpoint) {
  Stream s;
  s.counter_checkpoint(1, 1000, t0, t0, 0);
  s.command(1100, {"SET", "g", "4", "PX", "5"});  // expire_at = ms 6
  // Redis evaluated the EXEC at ms 6 but stamped the ECHO in ms 7: the key was still there.
  s.counter_checkpoint(2, 7'100, t0 + milliseconds(6), t0 + milliseconds(6), 4);
  s.counter_checkpoint(3, 20'000, t0 + milliseconds(19), t0 + milliseconds(19), 0);
  GaugeTrace t = s.finish();
  EXPECT_TRUE(t.exact) << t.not_exact_reason;
  EXPECT_EQ(values(t), (std::vector<int64_t>{0, 4, 0}));
}

TEST(MonitorTracer, MappedTimesStayInOrderWhenRedisClockSteps) {
  Stream s;
  s.counter_checkpoint(1, 5000, t0, t0, 0);
  s.command(5100, {"INCR", "g"});
  s.command(900, {"INCR", "g"});  // wall clock stepped back
  s.command(950, {"INCR", "g"});
  s.counter_checkpoint(2, 1000, t0 + milliseconds(1), t0 + milliseconds(1), 3);
  s.command(1100, {"DECR", "g"});
  GaugeTrace t = s.finish();
  EXPECT_TRUE(t.exact) << t.not_exact_reason;
  ASSERT_EQ(t.events.size(), 5u);
  for (size_t i = 1; i < t.events.size(); ++i) EXPECT_GE(t.events[i].at, t.events[i - 1].at);
  EXPECT_LE(t.events[3].at, t0 + milliseconds(1));
  // After the last checkpoint, Redis time offsets map directly.
  EXPECT_EQ(t.events[4].at, t0 + milliseconds(1) + microseconds(100));
}

// A line stamped ~485 years after the last checkpoint used to overflow the nanosecond mapping
// (signed overflow, UBSan; found by tests/fuzz/fuzz_monitor_tracer.cpp) and land before it.
TEST(MonitorTracer, AStampFarPastTheLastCheckpointMapsNoFurtherThanADay) {
  Stream s;
  s.counter_checkpoint(1, 0, t0, t0, 0);
  s.command(15'300'000'000'020'001, {"INCR", "g"});
  GaugeTrace t = s.finish();
  ASSERT_EQ(t.events.size(), 2u);
  EXPECT_EQ(t.events[1].at, t0 + std::chrono::hours(24));
}

TEST(MonitorTracer, MissingCheckpointsAndLostStreamsAreNotExact) {
  Stream s;
  s.counter_checkpoint(1, 1000, t0, t0, 0);
  s.tracer().add_checkpoint(2, t0, t0, KeySnapshot{});
  s.counter_checkpoint(3, 3000, t0, t0, 0);  // 2's ECHO never came
  GaugeTrace t = s.finish();
  EXPECT_FALSE(t.exact);
  EXPECT_THAT(t.not_exact_reason, ::testing::HasSubstr("checkpoint 2 never appeared"));

  Stream never;
  GaugeTrace empty = never.finish();
  EXPECT_FALSE(empty.exact);
  EXPECT_THAT(empty.not_exact_reason, ::testing::HasSubstr("no checkpoint"));

  Stream lost;
  lost.counter_checkpoint(1, 1000, t0, t0, 0);
  lost.tracer().mark_inexact("MONITOR connection lost: reset");
  EXPECT_THAT(lost.finish().not_exact_reason, ::testing::HasSubstr("connection lost"));
}

TEST(MonitorTracer, IgnoresOtherWatchersCheckpointsAndOtherKeys) {
  Stream s;
  s.counter_checkpoint(1, 1000, t0, t0, 0);
  s.command(1100, {"ECHO", "callsim-gauge-someoneelse:2"});
  s.command(1200, {"INCR", "g2"});
  s.command(1300, {"SET", "x", "\"g\""});
  s.command(1400, {"INCR", "g"});
  GaugeTrace t = s.finish();
  EXPECT_TRUE(t.exact);
  EXPECT_EQ(values(t), (std::vector<int64_t>{0, 1}));
  EXPECT_EQ(t.monitor_lines, 5u);
}

}  // namespace
}  // namespace callsim

namespace callsim {
namespace {

using std::chrono::microseconds;

const TimePoint t1 = TimePoint(std::chrono::seconds(700));

// Lines exactly as Redis 7 MONITOR printed them for a Lua back-off (INCR, over the cap, DECR)
// and for a MULTI/EXEC doing the same, with the cap at 3 and the counter at 3.
TEST(MonitorTracer, AScriptIsOneStepAndItsBackOffIsNoEvent) {
  Stream s;
  s.counter_checkpoint(1, 1000, t1, t1 + microseconds(100), 3);
  s.tracer().on_line(
      "1700000000.001100 [0 unix:/tmp/r.sock] \"EVALSHA\" "
      "\"8f0e1b6a1d9e7c3b2a4f5d6e7c8b9a0f1e2d3c4b\" \"1\" \"g\" \"3\"");
  s.tracer().on_line("1700000000.001110 [0 lua] \"INCR\" \"g\"");
  s.tracer().on_line("1700000000.001120 [0 lua] \"DECR\" \"g\"");
  // An admission by the next script: the value after it is the event.
  s.tracer().on_line(
      "1700000000.001200 [0 unix:/tmp/r.sock] \"EVAL\" \"local n = redis.call('INCR', "
      "KEYS[1])\" \"1\" \"g\"");
  s.tracer().on_line("1700000000.001210 [0 lua] \"INCR\" \"g\"");
  s.tracer().on_line("1700000000.001300 [0 127.0.0.1:5000] \"DECR\" \"g\"");
  s.counter_checkpoint(2, 2000, t1 + microseconds(1000), t1 + microseconds(1100), 3);
  GaugeTrace t = s.finish();
  EXPECT_TRUE(t.exact) << t.not_exact_reason;
  // Before: {3, 4, 3, 4, 3}: the 4 inside the back-off was an "overshoot" no client could read.
  ASSERT_EQ(values(t), (std::vector<int64_t>{3, 4, 3}));
  EXPECT_EQ(t.events[1].origin, EventOrigin::kScript);
  EXPECT_EQ(t.events[1].command, "EVAL");
  EXPECT_EQ(t.events[2].origin, EventOrigin::kClient);
  EXPECT_EQ(t.commands_on_key, 4u);
}

TEST(MonitorTracer, ATransactionIsOneStepAndOtherClientsStayOutOfIt) {
  Stream s;
  s.counter_checkpoint(1, 1000, t1, t1 + microseconds(100), 3);
  s.tracer().on_line("1700000000.001100 [0 127.0.0.1:5001] \"MULTI\"");
  // Another client's command between MULTI and the queued block is its own step.
  s.tracer().on_line("1700000000.001150 [0 127.0.0.1:5002] \"INCR\" \"g\"");
  s.tracer().on_line("1700000000.001200 [0 127.0.0.1:5001] \"INCR\" \"g\"");
  s.tracer().on_line("1700000000.001201 [0 127.0.0.1:5001] \"DECR\" \"g\"");
  s.tracer().on_line("1700000000.001202 [0 127.0.0.1:5001] \"EXEC\"");
  s.tracer().on_line("1700000000.001300 [0 127.0.0.1:5003] \"MULTI\"");
  s.tracer().on_line("1700000000.001310 [0 127.0.0.1:5003] \"DECR\" \"g\"");
  s.tracer().on_line("1700000000.001311 [0 127.0.0.1:5003] \"GET\" \"g\"");
  s.tracer().on_line("1700000000.001312 [0 127.0.0.1:5003] \"EXEC\"");
  s.counter_checkpoint(2, 2000, t1 + microseconds(1000), t1 + microseconds(1100), 3);
  GaugeTrace t = s.finish();
  EXPECT_TRUE(t.exact) << t.not_exact_reason;
  ASSERT_EQ(values(t), (std::vector<int64_t>{3, 4, 3}));
  EXPECT_EQ(t.events[1].command, "INCR");
  EXPECT_EQ(t.events[2].command, "EXEC");
}

TEST(MonitorTracer, AClientsNonAtomicBackOffStaysTwoEvents) {
  // INCR, then a separate DECR: between them any client could read the overshoot.
  Stream s;
  s.counter_checkpoint(1, 1000, t1, t1 + microseconds(100), 3);
  s.tracer().on_line("1700000000.001100 [0 127.0.0.1:5001] \"INCR\" \"g\"");
  s.tracer().on_line("1700000000.001200 [0 127.0.0.1:5001] \"DECR\" \"g\"");
  s.counter_checkpoint(2, 2000, t1 + microseconds(1000), t1 + microseconds(1100), 3);
  GaugeTrace t = s.finish();
  ASSERT_EQ(values(t), (std::vector<int64_t>{3, 4, 3}));
}

}  // namespace
}  // namespace callsim
