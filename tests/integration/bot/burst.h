#pragma once

#include <cstdint>
#include <string>

#include "bot_under_test.h"

namespace callsim::bot::test {

// What one burst of simultaneous calls showed, from both sides.
struct BurstOutcome {
  uint64_t admitted = 0;  // the bot's admission verdicts
  uint64_t rejected = 0;
  size_t closed_1013 = 0;          // calls the caller saw closed "try again later"
  size_t refused_503 = 0;          // upgrades the caller saw answered 503
  size_t served = 0;               // calls still open once every verdict was in
  long long gauge_while_held = 0;  // the Redis gauge with every admitted call still live
  bool settled = false;            // every call ended and the gauge went back to 0
};

// Opens `calls` streams at once (connected + start each, CallSids numbered from `first_sid`),
// waits for every verdict, reads the gauge, then hangs every served call up with `stop`.
BurstOutcome run_stream_burst(BotUnderTest& bot, int calls, uint64_t first_sid);

}  // namespace callsim::bot::test
