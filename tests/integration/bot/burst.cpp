#include "burst.h"

#include "child_process.h"
#include "twilio_calls.h"
#include "twilio_json.h"

namespace callsim::bot::test {

BurstOutcome run_stream_burst(BotUnderTest& bot, int calls, uint64_t first_sid) {
  BurstOutcome out;
  const Counters& counters = bot.counters();
  uint64_t admitted_before = counters.admitted;
  uint64_t rejected_before = counters.rejected;
  bool at_upgrade = bot.bot().config().admit_at == AdmitAt::kUpgrade;

  TwilioCalls callers(bot.port());
  for (int i = 0; i < calls; ++i) {
    uint64_t n = first_sid + static_cast<uint64_t>(i);
    callers.open({connected_json(), start_json(twilio_sid("CA", n), twilio_sid("MZ", n))});
  }
  bool decided = bot.eventually([&](const Counters& c) {
    return c.admitted + c.rejected - admitted_before - rejected_before ==
           static_cast<uint64_t>(calls);
  });
  if (!decided) return out;
  out.admitted = counters.admitted - admitted_before;
  out.rejected = counters.rejected - rejected_before;
  // A refusal reaches the caller a moment after the verdict.
  auto refused = [&](const TwilioCalls::Call& c) {
    return at_upgrade ? c.http_status == 503 : c.close_code == 1013;
  };
  callsim::test::eventually([&] { return callers.count(refused) == out.rejected; },
                            std::chrono::seconds(10));
  out.closed_1013 = callers.count([](const TwilioCalls::Call& c) { return c.close_code == 1013; });
  out.refused_503 = callers.count([](const TwilioCalls::Call& c) { return c.http_status == 503; });
  out.served = callers.count([](const TwilioCalls::Call& c) { return c.opened && !c.closed; });
  out.gauge_while_held = bot.gauge();

  for (int i = 0; i < calls; ++i) {
    auto call = callers.snapshot(static_cast<size_t>(i));
    if (!call.opened || call.closed) continue;
    uint64_t n = first_sid + static_cast<uint64_t>(i);
    callers.send(static_cast<size_t>(i), stop_json(twilio_sid("MZ", n), 2, twilio_sid("CA", n)));
    callers.close(static_cast<size_t>(i));
  }
  bool ended = callers.wait_all([](const TwilioCalls::Call& c) { return c.ended(); });
  out.settled = ended && bot.gauge_becomes(0) &&
                callsim::test::eventually([&] { return bot.bot().active_calls() == 0; },
                                          std::chrono::seconds(10));
  return out;
}

}  // namespace callsim::bot::test
