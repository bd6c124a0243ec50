#include "gauge/settle.h"

#include <gtest/gtest.h>

#include <thread>

#include "gauge/gauge_watcher.h"
#include "redis_client.h"

namespace callsim {
namespace {

using std::chrono::milliseconds;
using test::Client;
using test::RedisServer;

// A gauge whose value follows a script of (time since start, value) steps.
struct ScriptedGauge {
  TimePoint start = std::chrono::steady_clock::now();
  std::vector<std::pair<milliseconds, int64_t>> steps;
  std::optional<GaugeSample> operator()() const {
    TimePoint now = std::chrono::steady_clock::now();
    GaugeSample s;
    s.at = now;
    for (const auto& [after, value] : steps) {
      if (now - start >= after) s.value = value;
    }
    return s;
  }
};

TEST(Settle, WaitsForTheBaselineToHold) {
  ScriptedGauge gauge;
  gauge.steps = {{milliseconds(0), 3}, {milliseconds(20), 1}, {milliseconds(40), 0}};
  SettleResult r =
      wait_for_settle(std::cref(gauge), 0, gauge.start, milliseconds(5000), milliseconds(10));
  EXPECT_TRUE(r.settled);
  EXPECT_EQ(r.last_value, 0);
  EXPECT_GE(r.settled_at, gauge.start + milliseconds(40));  // not before the gauge got there
  EXPECT_EQ(r.took, r.settled_at - gauge.start);
  EXPECT_GE(r.waited_until, r.settled_at + milliseconds(10));
}

TEST(Settle, PassingThroughTheBaselineIsNotSettling) {
  ScriptedGauge gauge;
  // Drops through 0 to -1 (a double release) and stays there.
  gauge.steps = {{milliseconds(0), 2}, {milliseconds(10), 0}, {milliseconds(12), -1}};
  SettleResult r =
      wait_for_settle(std::cref(gauge), 0, gauge.start, milliseconds(60), milliseconds(20));
  EXPECT_FALSE(r.settled);
  EXPECT_EQ(r.last_value, -1);
  EXPECT_GE(r.waited_until, gauge.start + milliseconds(60));
}

TEST(Settle, GivesUpAfterTheSettleTime) {
  ScriptedGauge gauge;
  gauge.steps = {{milliseconds(0), 1}};
  SettleResult r = wait_for_settle(std::cref(gauge), 0, gauge.start, milliseconds(30));
  EXPECT_FALSE(r.settled);
  EXPECT_EQ(r.last_value, 1);
  EXPECT_EQ(r.took, milliseconds(0));
}

TEST(Settle, CountsOnlySamplesTakenAfterTheCallsEnded) {
  ScriptedGauge gauge;
  gauge.steps = {{milliseconds(0), 0}};  // already at the baseline before the calls ended
  TimePoint ended = gauge.start + milliseconds(30);
  SettleResult r = wait_for_settle(std::cref(gauge), 0, ended, milliseconds(1000), milliseconds(5));
  EXPECT_TRUE(r.settled);
  EXPECT_GE(r.settled_at, ended);
  EXPECT_EQ(r.took, r.settled_at - ended);
}

TEST(Settle, AStalledWatcherNeverSettles) {
  GaugeSample frozen;
  frozen.at = std::chrono::steady_clock::now();
  frozen.value = 0;
  SettleResult r = wait_for_settle([&] { return std::optional<GaugeSample>(frozen); }, 0, frozen.at,
                                   milliseconds(20), milliseconds(5));
  EXPECT_FALSE(r.settled) << "one old sample proves nothing about the gauge holding its baseline";
  EXPECT_EQ(r.last_value, 0);
}

TEST(Settle, FollowsARealGaugeReleasingLate) {
  RedisServer redis;
  Client c(redis);
  c({"SET", "calls:active_count", "2"});
  GaugeOptions o;
  o.redis_url = redis.unix_url();
  GaugeWatcher w(o);
  w.connect();
  w.start();
  TimePoint ended = std::chrono::steady_clock::now();
  TimePoint last_release{};
  std::thread releaser([&] {
    Client r(redis);
    for (int i = 0; i < 2; ++i) {
      std::this_thread::sleep_for(milliseconds(15));
      r({"DECR", "calls:active_count"});
    }
    last_release = std::chrono::steady_clock::now();
  });
  SettleResult r = wait_for_settle(w, 0, ended, std::chrono::seconds(10));
  releaser.join();
  EXPECT_TRUE(r.settled);
  EXPECT_EQ(r.last_value, 0);
  EXPECT_GT(r.took, milliseconds(0));
  EXPECT_LE(r.settled_at, r.waited_until);
  EXPECT_GE(r.waited_until, last_release);

  c({"SET", "calls:active_count", "1"});
  SettleResult leak = wait_for_settle(w, 0, std::chrono::steady_clock::now(), milliseconds(30));
  EXPECT_FALSE(leak.settled);
  EXPECT_EQ(leak.last_value, 1);
  w.stop();

  GaugeOptions none;
  none.spec = parse_gauge_spec("none");
  GaugeWatcher off(none);
  SettleResult skipped = wait_for_settle(off, 0, std::chrono::steady_clock::now(), milliseconds(1));
  EXPECT_TRUE(skipped.skipped);
}

}  // namespace
}  // namespace callsim
