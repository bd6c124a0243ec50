// Each --fault against a real redis-server, next to the same steps without it: the fault, and
// only the fault, changes the gauge the way real-servers.md describes.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <thread>

#include "bot_under_test.h"
#include "calls.h"
#include "child_process.h"
#include "net/redis_connection.h"
#include "raw_http.h"

namespace callsim::bot::test {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

std::function<void(BotConfig&)> with_faults(std::initializer_list<const char*> faults,
                                            int cap = 50) {
  return [=](BotConfig& c) {
    c.cap = cap;
    for (const char* f : faults) apply_fault(c, f);
  };
}

bool admitted(BotUnderTest& bot, uint64_t n) {
  return bot.eventually([n](const Counters& c) { return c.admitted == n; });
}

// The caller vanishes (TCP reset, no `stop`). A correct bot releases on close; the leaky one
// only in its `stop` handler, so the slot stays taken for good.
TEST(Fault, LeakOnAbruptCloseKeepsTheSlotOfACallerThatVanished) {
  for (bool leaky : {false, true}) {
    SCOPED_TRACE(leaky ? "leak-on-abrupt-close" : "no fault");
    BotUnderTest bot(leaky ? with_faults({"leak-on-abrupt-close"}) : with_faults({}));
    TwilioCalls callers(bot.port());
    size_t vanishing = place_call(callers, 1);
    ASSERT_TRUE(admitted(bot, 1));
    ASSERT_EQ(bot.gauge(), 1);
    callers.reset(vanishing);
    ASSERT_TRUE(bot.eventually([](const Counters& c) { return c.streams_closed == 1; }));

    size_t polite = place_call(callers, 2);
    ASSERT_TRUE(admitted(bot, 2));
    hang_up(callers, polite, 2);
    ASSERT_TRUE(bot.eventually([](const Counters& c) { return c.streams_closed == 2; }));
    if (leaky) {
      // The polite call was released (by its stop); the vanished one never will be.
      ASSERT_TRUE(bot.eventually([](const Counters& c) { return c.releases == 1; }));
      EXPECT_EQ(bot.gauge(), 1);
      EXPECT_EQ(bot.counters().leaked, 1u);
      EXPECT_EQ(bot.bot().active_calls(), 1);
    } else {
      EXPECT_TRUE(bot.gauge_becomes(0));
      // The release is counted once Redis has answered it, a moment after the gauge moved.
      EXPECT_TRUE(bot.eventually([](const Counters& c) { return c.releases == 2; }));
      EXPECT_EQ(bot.counters().leaked, 0u);
    }
  }
}

// Released on `stop` and again on close: the gauge drifts one lower per call.
TEST(Fault, DoubleReleaseDrivesTheGaugeBelowTheLiveCalls) {
  for (bool faulty : {false, true}) {
    SCOPED_TRACE(faulty ? "double-release" : "no fault");
    BotUnderTest bot(faulty ? with_faults({"double-release"}) : with_faults({}));
    TwilioCalls callers(bot.port());
    size_t first = place_call(callers, 1);
    size_t second = place_call(callers, 2);
    ASSERT_TRUE(admitted(bot, 2));
    ASSERT_EQ(bot.gauge(), 2);

    hang_up(callers, first, 1);
    // The second call is still live: the gauge should say 1.
    ASSERT_TRUE(bot.gauge_becomes(faulty ? 0 : 1));
    ASSERT_TRUE(callers.wait_for(second, [](const TwilioCalls::Call& c) { return !c.closed; }));
    hang_up(callers, second, 2);
    EXPECT_TRUE(bot.gauge_becomes(faulty ? -2 : 0));
    ASSERT_TRUE(
        bot.eventually([&](const Counters& c) { return c.releases == (faulty ? 4u : 2u); }));
    EXPECT_EQ(bot.counters().double_releases, faulty ? 2u : 0u);
    EXPECT_EQ(bot.bot().active_calls(), 0);
  }
}

// DECR, then SET 0 when negative, as two commands. The repair heals a gauge that drifted low,
// but an admission landing between the two commands is erased: the gauge ends below the live
// calls and the cap overflows later.
TEST(Fault, ClampResetErasesAnAdmissionBetweenDecrAndSet) {
  // Wide, so that a loaded machine still lands the second admission inside it.
  static constexpr int kWindowMs = 1500;
  auto configure = [](bool clamp) {
    return [clamp](BotConfig& c) {
      c.cap = 1;
      c.race_window = std::chrono::milliseconds(kWindowMs);
      if (clamp) apply_fault(c, "clamp-reset");
    };
  };
  // Another instance's double release left the gauge one lower than the calls it counts.
  auto drift = [](BotUnderTest& bot) { bot.set_counter(bot.gauge() - 1); };

  {
    SCOPED_TRACE("no fault: the drift stays");
    BotUnderTest bot(configure(false));
    TwilioCalls callers(bot.port());
    size_t a = place_call(callers, 1);
    ASSERT_TRUE(admitted(bot, 1));
    drift(bot);
    hang_up(callers, a, 1);
    EXPECT_TRUE(bot.gauge_becomes(-1));
  }
  {
    SCOPED_TRACE("clamp-reset, nothing concurrent: the drift is repaired");
    BotUnderTest bot(configure(true));
    TwilioCalls callers(bot.port());
    size_t a = place_call(callers, 1);
    ASSERT_TRUE(admitted(bot, 1));
    drift(bot);
    hang_up(callers, a, 1);
    ASSERT_TRUE(bot.eventually([](const Counters& c) { return c.clamp_resets == 1; }));
    EXPECT_EQ(bot.gauge(), 0);
    size_t b = place_call(callers, 2);
    ASSERT_TRUE(admitted(bot, 2));
    EXPECT_EQ(bot.gauge(), 1);
    hang_up(callers, b, 2);
  }
  {
    SCOPED_TRACE("clamp-reset with an admission inside the window");
    BotUnderTest bot(configure(true));
    TwilioCalls callers(bot.port());
    size_t a = place_call(callers, 1);
    ASSERT_TRUE(admitted(bot, 1));
    drift(bot);
    hang_up(callers, a, 1);
    ASSERT_TRUE(bot.gauge_becomes(-1, milliseconds(kWindowMs / 2)))
        << "the DECR should land well inside the window";
    size_t b = place_call(callers, 2);
    ASSERT_TRUE(admitted(bot, 2));
    ASSERT_TRUE(bot.eventually([](const Counters& c) { return c.clamp_resets == 1; }));
    EXPECT_EQ(bot.gauge(), 0) << "b's INCR was overwritten by SET 0";
    EXPECT_EQ(bot.bot().active_calls(), 1);
    // The cap is 1 and b is live, yet the next call gets in.
    size_t c = place_call(callers, 3);
    ASSERT_TRUE(admitted(bot, 3));
    EXPECT_EQ(bot.bot().active_calls(), 2);
    EXPECT_FALSE(callers.snapshot(b).closed);
    EXPECT_FALSE(callers.snapshot(c).closed);
  }
}

// The slot is given back a while after the call ended, as ProSaaS does.
TEST(Fault, ReleaseDelayKeepsTheSlotAfterTheCallEnded) {
  constexpr milliseconds kDelay{600};
  BotUnderTest bot(with_faults({"release-delay=600ms"}));
  TwilioCalls callers(bot.port());
  size_t a = place_call(callers, 1);
  ASSERT_TRUE(admitted(bot, 1));
  auto hung_up = Clock::now();
  hang_up(callers, a, 1);
  ASSERT_TRUE(callers.wait_for(a, is_closed));
  // The bot considers the call over as soon as it has handled the close...
  EXPECT_TRUE(callsim::test::eventually([&] { return bot.bot().active_calls() == 0; },
                                        std::chrono::seconds(2)));
  ASSERT_TRUE(bot.gauge_becomes(0));
  EXPECT_GE(Clock::now() - hung_up, kDelay);  // ...but Redis hears of it only after the delay
  // The bot counts a release once its DECR has replied, which may be just after the gauge reads 0.
  EXPECT_TRUE(bot.eventually([](const Counters& c) { return c.releases == 1; }));
}

// The gauge is an exact copy of the live count, 700 ms late: the admission decides on the live
// count at once (a second call is turned away while the gauge still reads 0), and every INCR and
// DECR reaches the gauge key only after the lag.
TEST(Fault, GaugeLagDelaysTheGaugeButNotTheDecision) {
  constexpr milliseconds kLag{700};
  BotUnderTest bot(with_faults({"gauge-lag=700ms"}, 1));
  TwilioCalls callers(bot.port());
  // Every admission comes after this, so its copy cannot reach the gauge before placed + lag.
  const auto placed = Clock::now();
  size_t first = place_call(callers, 1);
  ASSERT_TRUE(admitted(bot, 1));
  size_t second = place_call(callers, 2);
  ASSERT_TRUE(callers.wait_for(second, is_closed));
  EXPECT_EQ(callers.snapshot(second).close_code, 1013);
  EXPECT_EQ(bot.counters().rejected, 1u);
  const long long gauge_at_rejection = bot.gauge();
  if (Clock::now() - placed < kLag) {
    EXPECT_EQ(gauge_at_rejection, 0) << "the rejection came before any copy could land";
  }
  ASSERT_TRUE(bot.gauge_becomes(1));
  EXPECT_GE(Clock::now() - placed, kLag);
  // The decision ran on the private counter; the rejected call's INCR-and-back-off never
  // reaches the gauge.
  EXPECT_EQ(std::atoll(bot.redis().command("GET %s", kLiveCounterKey)->str), 1);
  std::this_thread::sleep_for(kLag);
  EXPECT_EQ(bot.gauge(), 1);

  const auto hung_up = Clock::now();
  hang_up(callers, first, 1);
  ASSERT_TRUE(bot.eventually([](const Counters& c) { return c.releases == 1; }));
  ASSERT_TRUE(bot.gauge_becomes(0));
  EXPECT_GE(Clock::now() - hung_up, kLag);
  EXPECT_EQ(std::atoll(bot.redis().command("GET %s", kLiveCounterKey)->str), 0);
}

// Calls another instance holds (the gauge at 1 before the bot starts) take their share of the
// cap under the lag too: the private counter starts from the gauge.
TEST(Fault, GaugeLagStartsFromTheGaugesValue) {
  BotUnderTest bot([](BotConfig& c) {
    c.cap = 2;
    apply_fault(c, "gauge-lag=100ms");
    RedisContext redis = connect_redis(c.redis);
    redis_command(redis.get(), {"SET", kCounterKey, "1"});
  });
  TwilioCalls callers(bot.port());
  size_t first = place_call(callers, 1);
  ASSERT_TRUE(admitted(bot, 1));
  size_t second = place_call(callers, 2);
  ASSERT_TRUE(callers.wait_for(second, is_closed));
  EXPECT_EQ(callers.snapshot(second).close_code, 1013);
  EXPECT_TRUE(bot.gauge_becomes(2));
  hang_up(callers, first, 1);
  EXPECT_TRUE(bot.gauge_becomes(1));
}

// The service counts a call done 300 ms after serving it, while the call goes on: the gauge
// drops, the stream stays open, and the call's later end releases nothing more.
TEST(Fault, EarlyReleaseGivesTheSlotBackWhileTheCallGoesOn) {
  constexpr milliseconds kEarly{300};
  BotUnderTest bot(with_faults({"early-release=300ms"}, 1));
  TwilioCalls callers(bot.port());
  const auto placed = Clock::now();
  size_t first = place_call(callers, 1);
  ASSERT_TRUE(admitted(bot, 1));
  ASSERT_TRUE(bot.gauge_becomes(0));
  EXPECT_GE(Clock::now() - placed, kEarly);
  EXPECT_EQ(bot.counters().early_releases, 1u);
  EXPECT_FALSE(callers.snapshot(first).closed);
  // Cap 1, and the first call is still live, yet the next one gets in.
  size_t second = place_call(callers, 2);
  ASSERT_TRUE(admitted(bot, 2));
  EXPECT_FALSE(callers.snapshot(second).closed);
  hang_up(callers, first, 1);
  ASSERT_TRUE(bot.eventually([](const Counters& c) { return c.streams_closed == 1; }));
  ASSERT_TRUE(bot.gauge_becomes(0));  // the second call's own early release
  EXPECT_TRUE(bot.eventually([](const Counters& c) { return c.releases == 2; }));
  EXPECT_EQ(bot.counters().double_releases, 0u);
}

// No inbound media for a while: the service ends the call on its side while the caller's
// socket stays open, so open streams can exceed the cap.
TEST(Fault, IdleReleaseFreesTheSlotWhileTheStreamStaysOpen) {
  constexpr milliseconds kIdle{300};
  {
    SCOPED_TRACE("no fault");
    BotUnderTest bot(with_faults({}, 1));
    TwilioCalls callers(bot.port());
    size_t quiet = place_call(callers, 1);
    ASSERT_TRUE(admitted(bot, 1));
    std::this_thread::sleep_for(2 * kIdle);
    EXPECT_EQ(bot.gauge(), 1);
    size_t next = place_call(callers, 2);
    ASSERT_TRUE(callers.wait_for(next, is_closed));
    EXPECT_EQ(callers.snapshot(next).close_code, 1013);
    EXPECT_FALSE(callers.snapshot(quiet).closed);
  }
  {
    SCOPED_TRACE("idle-release=300ms");
    BotUnderTest bot(with_faults({"idle-release=300ms"}, 1));
    TwilioCalls callers(bot.port());
    // Taken before the call is placed: the bot's idle clock cannot start earlier, whereas a time
    // taken after admitted() has seen the admission may already be late (0.3 ms under ASan).
    const auto placed_at = Clock::now();
    size_t quiet = place_call(callers, 1);
    ASSERT_TRUE(admitted(bot, 1));
    ASSERT_TRUE(bot.gauge_becomes(0));
    EXPECT_GE(Clock::now() - placed_at, kIdle);
    EXPECT_EQ(bot.counters().idle_releases, 1u);
    size_t next = place_call(callers, 2);
    ASSERT_TRUE(admitted(bot, 2));
    // Cap 1, two open streams.
    EXPECT_FALSE(callers.snapshot(quiet).closed);
    EXPECT_FALSE(callers.snapshot(next).closed);
    EXPECT_EQ(bot.gauge(), 1);
  }
}

// A stream that never sends `start` is closed 1000 "No START event". When the cap is enforced
// at the webhook, the stream never said which call it was, so the webhook's slot stays taken
// until Twilio's status callback.
TEST(Fault, NoStartTimeoutClosesTheStreamAndLeavesTheWebhookSlot) {
  constexpr milliseconds kTimeout{300};
  {
    SCOPED_TRACE("admit at start");
    BotUnderTest bot(with_faults({"no-start-timeout=300ms"}));
    TwilioCalls callers(bot.port());
    auto opened = Clock::now();
    size_t mute = callers.open({connected_json()});
    ASSERT_TRUE(callers.wait_for(mute, is_closed));
    EXPECT_GE(Clock::now() - opened, kTimeout);
    EXPECT_EQ(callers.snapshot(mute).close_code, 1000);
    EXPECT_EQ(callers.snapshot(mute).close_reason, "No START event");
    EXPECT_EQ(bot.counters().no_start_timeouts, 1u);
    EXPECT_EQ(bot.counters().admitted, 0u);
    EXPECT_EQ(bot.gauge(), 0);
  }
  {
    SCOPED_TRACE("admit at webhook");
    BotUnderTest bot([](BotConfig& c) {
      c.admit_at = AdmitAt::kWebhook;
      apply_fault(c, "no-start-timeout=300ms");
    });
    auto twiml = http_post_form(bot.port(), "/webhook/incoming_call",
                                form_body({{"CallSid", call_sid(1)}, {"CallStatus", "ringing"}}));
    ASSERT_NE(twiml.body.find("<Connect"), std::string::npos) << twiml.body;
    ASSERT_EQ(bot.gauge(), 1);
    TwilioCalls callers(bot.port());
    size_t mute = callers.open({connected_json()});
    ASSERT_TRUE(callers.wait_for(mute, is_closed));
    EXPECT_EQ(callers.snapshot(mute).close_reason, "No START event");
    std::this_thread::sleep_for(kTimeout);
    EXPECT_EQ(bot.gauge(), 1) << "nothing tied the stream to the webhook's slot";
    auto status =
        http_post_form(bot.port(), "/webhook/call_status",
                       form_body({{"CallSid", call_sid(1)}, {"CallStatus", "completed"}}));
    EXPECT_EQ(status.status, 204);
    EXPECT_TRUE(bot.gauge_becomes(0));
  }
}

// The status callback handler that decrements on every CallStatus=completed, slot or no slot.
// Call 2 was turned away at the webhook: its busy callback frees nothing either way, but a
// completed one takes back a slot it never held.
TEST(Fault, ReleaseOnCompletedReleasesForACallItNeverAdmitted) {
  for (bool faulty : {false, true}) {
    SCOPED_TRACE(faulty ? "release-on-completed" : "no fault");
    BotUnderTest bot([faulty](BotConfig& c) {
      c.cap = 1;
      c.admit_at = AdmitAt::kWebhook;
      if (faulty) apply_fault(c, "release-on-completed");
    });
    auto status = [&](int call, const char* call_status) {
      return http_post_form(bot.port(), "/webhook/call_status",
                            form_body({{"CallSid", call_sid(call)}, {"CallStatus", call_status}}));
    };
    for (int call : {1, 2}) {
      auto twiml =
          http_post_form(bot.port(), "/webhook/incoming_call",
                         form_body({{"CallSid", call_sid(call)}, {"CallStatus", "ringing"}}));
      ASSERT_EQ(twiml.body.find("<Connect") != std::string::npos, call == 1) << twiml.body;
    }
    ASSERT_EQ(bot.gauge(), 1);
    EXPECT_EQ(status(2, "busy").status, 204);
    EXPECT_EQ(status(2, "no-answer").status, 204);
    std::this_thread::sleep_for(milliseconds(100));
    EXPECT_EQ(bot.gauge(), 1);
    EXPECT_EQ(status(2, "completed").status, 204);
    EXPECT_TRUE(bot.gauge_becomes(faulty ? 0 : 1));
    EXPECT_EQ(status(1, "completed").status, 204);
    EXPECT_TRUE(bot.gauge_becomes(faulty ? -1 : 0));
    EXPECT_EQ(bot.counters().stray_releases, faulty ? 1u : 0u);
  }
}

}  // namespace
}  // namespace callsim::bot::test
