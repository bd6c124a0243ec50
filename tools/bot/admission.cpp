#include "bot/admission.h"

#include <chrono>
#include <cstdlib>
#include <thread>

#include "net/redis_connection.h"

namespace callsim::bot {

namespace {

// INCR first and back off when over the cap: atomic, so exactly `cap` calls get in. The gauge
// may show cap+1.. for the length of the script, which callers reading the gauge must tolerate.
constexpr const char* kLuaCounterAdmit = R"(
local n = redis.call('INCR', KEYS[1])
if n > tonumber(ARGV[1]) then
  redis.call('DECR', KEYS[1])
  return 0
end
return 1)";

constexpr const char* kLuaSetAdmit = R"(
if redis.call('SCARD', KEYS[1]) >= tonumber(ARGV[1]) then
  return 0
end
redis.call('SADD', KEYS[1], ARGV[2])
redis.call('SET', KEYS[2], '1', 'EX', ARGV[3])
return 1)";

bool is_error(const RedisReply& r) {
  return r->type == REDIS_REPLY_ERROR;
}

// GET of a counter that may not exist yet.
bool read_counter(const RedisReply& r, long long& value) {
  if (r->type == REDIS_REPLY_NIL) {
    value = 0;
    return true;
  }
  if (r->type != REDIS_REPLY_STRING) return false;
  char* end = nullptr;
  value = std::strtoll(r->str, &end, 10);
  return end != r->str && *end == '\0';
}

}  // namespace

void RedisAdmission::race_window() const {
  if (config_.race_window.count() > 0) std::this_thread::sleep_for(config_.race_window);
}

Verdict RedisAdmission::admit(redisContext* ctx, const std::string& member) const {
  switch (config_.strategy) {
    case Strategy::kLua:
      return admit_lua(ctx);
    case Strategy::kSetLua:
      return admit_set_lua(ctx, member);
    case Strategy::kWatch:
      return admit_watch(ctx);
    case Strategy::kGetIncr:
      return admit_get_incr(ctx);
    case Strategy::kScardSadd:
      return admit_scard_sadd(ctx, member);
  }
  return Verdict::kError;
}

Verdict RedisAdmission::admit_lua(redisContext* ctx) const {
  RedisReply r = redis_command(
      ctx, {"EVAL", kLuaCounterAdmit, "1", counter_key_, std::to_string(config_.cap)});
  if (r->type != REDIS_REPLY_INTEGER) {
    counters_.redis_errors++;
    return Verdict::kError;
  }
  return r->integer == 1 ? Verdict::kAdmitted : Verdict::kRejected;
}

Verdict RedisAdmission::admit_set_lua(redisContext* ctx, const std::string& member) const {
  auto ttl = std::chrono::duration_cast<std::chrono::seconds>(config_.slot_ttl).count();
  RedisReply r = redis_command(ctx, {"EVAL", kLuaSetAdmit, "2", kSetKey, kPerCallKeyPrefix + member,
                                     std::to_string(config_.cap), member, std::to_string(ttl)});
  if (r->type != REDIS_REPLY_INTEGER) {
    counters_.redis_errors++;
    return Verdict::kError;
  }
  return r->integer == 1 ? Verdict::kAdmitted : Verdict::kRejected;
}

// The optimistic-locking pattern: correct about the cap, but under contention every attempt
// can be aborted, and with no backoff the retries run out while the gauge is far below the cap.
Verdict RedisAdmission::admit_watch(redisContext* ctx) const {
  for (int attempt = 0; attempt <= config_.watch_retries; ++attempt) {
    if (attempt > 0) counters_.watch_retries++;
    if (is_error(redis_command(ctx, {"WATCH", counter_key_}))) break;
    long long current = 0;
    if (!read_counter(redis_command(ctx, {"GET", counter_key_}), current)) {
      redis_command(ctx, {"UNWATCH"});
      break;
    }
    if (current >= config_.cap) {
      redis_command(ctx, {"UNWATCH"});
      return Verdict::kRejected;
    }
    race_window();
    if (is_error(redis_command(ctx, {"MULTI"}))) break;
    redis_command(ctx, {"INCR", counter_key_});
    RedisReply exec = redis_command(ctx, {"EXEC"});
    if (exec->type == REDIS_REPLY_ARRAY) return Verdict::kAdmitted;
    if (exec->type != REDIS_REPLY_NIL) break;  // NIL: a concurrent write aborted the transaction
    if (attempt == config_.watch_retries) {
      counters_.watch_exhausted++;
      return Verdict::kWatchExhausted;
    }
  }
  counters_.redis_errors++;
  return Verdict::kError;
}

// Check, then act in a separate command: two admissions that both read cap-1 both get in.
Verdict RedisAdmission::admit_get_incr(redisContext* ctx) const {
  long long current = 0;
  if (!read_counter(redis_command(ctx, {"GET", counter_key_}), current)) {
    counters_.redis_errors++;
    return Verdict::kError;
  }
  if (current >= config_.cap) return Verdict::kRejected;
  race_window();
  if (is_error(redis_command(ctx, {"INCR", counter_key_}))) {
    counters_.redis_errors++;
    return Verdict::kError;
  }
  return Verdict::kAdmitted;
}

// ProSaaS's pattern: the transaction makes the SADD and the per-call key atomic with each
// other, but not with the SCARD check before it.
Verdict RedisAdmission::admit_scard_sadd(redisContext* ctx, const std::string& member) const {
  RedisReply count = redis_command(ctx, {"SCARD", kSetKey});
  if (count->type != REDIS_REPLY_INTEGER) {
    counters_.redis_errors++;
    return Verdict::kError;
  }
  if (count->integer >= config_.cap) return Verdict::kRejected;
  race_window();
  auto ttl = std::chrono::duration_cast<std::chrono::seconds>(config_.slot_ttl).count();
  redis_command(ctx, {"MULTI"});
  redis_command(ctx, {"SADD", kSetKey, member});
  redis_command(ctx, {"SETEX", kPerCallKeyPrefix + member, std::to_string(ttl), "1"});
  RedisReply exec = redis_command(ctx, {"EXEC"});
  if (exec->type != REDIS_REPLY_ARRAY) {
    counters_.redis_errors++;
    return Verdict::kError;
  }
  return Verdict::kAdmitted;
}

bool RedisAdmission::release(redisContext* ctx, const std::string& member) const {
  if (!uses_counter(config_.strategy)) {
    redis_command(ctx, {"MULTI"});
    redis_command(ctx, {"SREM", kSetKey, member});
    redis_command(ctx, {"DEL", kPerCallKeyPrefix + member});
    RedisReply exec = redis_command(ctx, {"EXEC"});
    if (exec->type != REDIS_REPLY_ARRAY) {
      counters_.redis_errors++;
      return false;
    }
    return true;
  }
  RedisReply r = redis_command(ctx, {"DECR", counter_key_});
  if (r->type != REDIS_REPLY_INTEGER) {
    counters_.redis_errors++;
    return false;
  }
  if (config_.faults.clamp_reset && r->integer < 0) {
    // "Repairing" a negative gauge with a second command erases any INCR that landed between.
    race_window();
    if (is_error(redis_command(ctx, {"SET", counter_key_, "0"}))) {
      counters_.redis_errors++;
      return false;
    }
    counters_.clamp_resets++;
  }
  return true;
}

void RedisAdmission::prepare(redisContext* ctx) const {
  if (config_.faults.gauge_lag.count() <= 0) return;
  long long current = 0;
  if (!read_counter(redis_command(ctx, {"GET", kCounterKey}), current)) current = 0;
  if (is_error(redis_command(ctx, {"SET", kLiveCounterKey, std::to_string(current)}))) {
    counters_.redis_errors++;
  }
}

bool RedisAdmission::copy_to_gauge(redisContext* ctx, int delta) const {
  RedisReply r = redis_command(ctx, {delta > 0 ? "INCR" : "DECR", kCounterKey});
  if (r->type != REDIS_REPLY_INTEGER) {
    counters_.redis_errors++;
    return false;
  }
  return true;
}

}  // namespace callsim::bot
