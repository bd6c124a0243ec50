#pragma once

#include <hiredis/hiredis.h>

#include <string>

#include "bot/bot_config.h"
#include "bot/counters.h"

namespace callsim::bot {

enum class Verdict {
  kAdmitted,
  kRejected,        // at or over the cap
  kWatchExhausted,  // every WATCH attempt was aborted by a concurrent writer
  kError,           // Redis failed; the call is refused (fail closed)
};

// The admission check and the release, as each strategy runs them against Redis (the table
// in real-servers.md). It holds no connection: every admission thread passes its own, so the
// racy strategies race exactly as a multi-process service does.
class RedisAdmission {
 public:
  RedisAdmission(const BotConfig& config, Counters& counters)
      : config_(config),
        counters_(counters),
        counter_key_(config.faults.gauge_lag.count() > 0 ? kLiveCounterKey : kCounterKey) {}

  // Under --fault gauge-lag, starts the private counter from the gauge's value, so a gauge left
  // non-zero (another instance's calls) still takes its share of the cap. Throws
  // UnreachableError when the connection breaks.
  void prepare(redisContext* ctx) const;

  // `member` is the call's identity in the gauge set (set strategies). Throws UnreachableError
  // when the connection breaks; a Redis error reply is counted and gives kError.
  Verdict admit(redisContext* ctx, const std::string& member) const;

  // Gives the slot back. Returns false on a Redis error reply; throws UnreachableError when
  // the connection breaks.
  bool release(redisContext* ctx, const std::string& member) const;

  // --fault gauge-lag: the INCR (delta +1) or DECR (-1) that reaches the gauge key late. Returns
  // false on a Redis error reply; throws UnreachableError when the connection breaks.
  bool copy_to_gauge(redisContext* ctx, int delta) const;

 private:
  Verdict admit_lua(redisContext* ctx) const;
  Verdict admit_set_lua(redisContext* ctx, const std::string& member) const;
  Verdict admit_watch(redisContext* ctx) const;
  Verdict admit_get_incr(redisContext* ctx) const;
  Verdict admit_scard_sadd(redisContext* ctx, const std::string& member) const;
  void race_window() const;

  const BotConfig& config_;
  Counters& counters_;
  const char* counter_key_;  // the key the counter strategies decide on
};

}  // namespace callsim::bot
