// Each admission strategy against a real redis-server, 60 simultaneous calls at cap 50: the
// correct ones admit exactly 50 every time; the racy ones show their bug within 20 bursts.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <fmt/format.h>

#include "burst.h"

namespace callsim::bot::test {
namespace {

constexpr int kCalls = 60;
constexpr int kCap = 50;
constexpr int kBursts = 20;

std::function<void(BotConfig&)> with(Strategy strategy, int race_window_us = 0) {
  return [=](BotConfig& c) {
    c.strategy = strategy;
    c.cap = kCap;
    c.race_window = std::chrono::microseconds(race_window_us);
  };
}

std::string describe(const std::vector<uint64_t>& admitted) {
  std::string out;
  for (auto a : admitted) out += fmt::format("{} ", a);
  return out;
}

void expect_exact_cap_every_burst(Strategy strategy) {
  BotUnderTest bot(with(strategy, 1000));
  for (int burst = 0; burst < kBursts; ++burst) {
    SCOPED_TRACE(fmt::format("burst {}", burst));
    BurstOutcome out = run_stream_burst(bot, kCalls, 1000 * (burst + 1));
    ASSERT_EQ(out.admitted, uint64_t{kCap});
    ASSERT_EQ(out.rejected, uint64_t{kCalls - kCap});
    ASSERT_EQ(out.closed_1013, size_t{kCalls - kCap});
    ASSERT_EQ(out.served, size_t{kCap});
    ASSERT_EQ(out.gauge_while_held, kCap);
    ASSERT_TRUE(out.settled);
  }
  EXPECT_EQ(bot.counters().release_failures, 0u);
  EXPECT_EQ(bot.counters().redis_errors, 0u);
  // The test's calls follow Twilio's format, so the conformance checker stays silent.
  for (size_t i = 0; i < kDeviationKinds; ++i) {
    EXPECT_EQ(bot.counters().deviation(static_cast<Deviation>(i)), 0u)
        << to_string(static_cast<Deviation>(i));
  }
}

TEST(AdmissionStrategy, LuaAdmitsExactlyTheCapInEveryBurst) {
  expect_exact_cap_every_burst(Strategy::kLua);
}

TEST(AdmissionStrategy, SetLuaAdmitsExactlyTheCapInEveryBurst) {
  expect_exact_cap_every_burst(Strategy::kSetLua);
}

// The check-then-act strategies: several admission threads read 49 and all of them act.
void expect_overflow_within_bursts(Strategy strategy) {
  BotUnderTest bot(with(strategy, 2000));
  std::vector<uint64_t> admitted;
  for (int burst = 0; burst < kBursts; ++burst) {
    BurstOutcome out = run_stream_burst(bot, kCalls, 1000 * (burst + 1));
    ASSERT_TRUE(out.settled) << "burst " << burst;
    // What the caller saw and what the gauge said agree: every admitted call holds a slot.
    ASSERT_EQ(out.served, out.admitted);
    ASSERT_EQ(out.gauge_while_held, static_cast<long long>(out.admitted));
    admitted.push_back(out.admitted);
    if (out.admitted > kCap) break;
  }
  EXPECT_GT(admitted.back(), uint64_t{kCap}) << "admitted per burst: " << describe(admitted);
}

TEST(AdmissionStrategy, GetIncrOverflowsTheCapWithARaceWindow) {
  expect_overflow_within_bursts(Strategy::kGetIncr);
}

TEST(AdmissionStrategy, ScardSaddOverflowsTheCapWithARaceWindow) {
  expect_overflow_within_bursts(Strategy::kScardSadd);
}

// WATCH never overflows, but contention exhausts its retries: calls are refused while the
// gauge is far below the cap.
TEST(AdmissionStrategy, WatchRejectsFalselyFromAnEmptyGauge) {
  BotUnderTest bot(with(Strategy::kWatch, 1000));
  std::vector<uint64_t> admitted;
  for (int burst = 0; burst < kBursts; ++burst) {
    ASSERT_EQ(bot.gauge(), 0);
    BurstOutcome out = run_stream_burst(bot, kCalls, 1000 * (burst + 1));
    ASSERT_TRUE(out.settled) << "burst " << burst;
    ASSERT_LE(out.admitted, uint64_t{kCap});
    ASSERT_EQ(out.gauge_while_held, static_cast<long long>(out.admitted));
    admitted.push_back(out.admitted);
    if (out.admitted < kCap) break;
  }
  EXPECT_LT(admitted.back(), uint64_t{kCap}) << "admitted per burst: " << describe(admitted);
  EXPECT_GT(bot.counters().watch_exhausted, 0u);
  EXPECT_GT(bot.counters().watch_retries, 0u);
}

}  // namespace
}  // namespace callsim::bot::test
