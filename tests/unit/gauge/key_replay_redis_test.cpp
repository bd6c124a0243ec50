// The replay model against the real thing: random command sequences run on a real redis-server
// and on KeyReplay, with the key's whole state compared after every command.
#include <gtest/gtest.h>

#include <chrono>
#include <random>

#include "gauge/key_replay.h"
#include "redis_client.h"

namespace callsim {
namespace {

using test::Client;
using test::RedisServer;

int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

KeyState real_state(Client& c, const std::string& key) {
  KeyState s;
  std::string type = c.text({"TYPE", key});
  if (type == "string") {
    s.type = KeyState::Type::kString;
    s.text = c.text({"GET", key});
  } else if (type == "set" || type == "hash") {
    s.type = type == "set" ? KeyState::Type::kSet : KeyState::Type::kHash;
    auto r = c({type == "set" ? "SMEMBERS" : "HKEYS", key});
    for (size_t i = 0; i < r->elements; ++i) s.members.insert(r->element[i]->str);
  } else if (type == "zset") {
    s.type = KeyState::Type::kZset;
    auto r = c({"ZRANGE", key, "0", "-1", "WITHSCORES"});
    for (size_t i = 0; i + 1 < r->elements; i += 2) {
      s.scores[r->element[i]->str] = *parse_redis_double(r->element[i + 1]->str);
    }
  } else if (type != "none") {
    s.type = KeyState::Type::kOther;
  }
  s.expire_at_ms = c.integer({"PTTL", key}) >= 0 ? 1 : -1;  // compared as "has a TTL"
  return s;
}

std::string describe(const KeyState& s) {
  std::string out = std::string(to_string(s.type)) + " '" + s.text + "' {";
  for (const auto& m : s.members) out += m + ",";
  for (const auto& [m, score] : s.scores) out += m + "=" + std::to_string(score) + ",";
  return out + "} ttl=" + (s.expire_at_ms >= 0 ? "yes" : "no");
}

class CommandGenerator {
 public:
  explicit CommandGenerator(uint32_t seed) : rng_(seed) {}
  std::vector<std::string> next() {
    const std::string k = pick({"g", "g", "g", "o"});
    switch (rng_() % 30) {
      case 0:
        return {"INCR", k};
      case 1:
        return {"DECR", k};
      case 2:
        return {"INCRBY", k, value()};
      case 3:
        return {"DECRBY", k, value()};
      case 4: {
        std::vector<std::string> set = {"SET", k, value()};
        for (int i = rng_() % 3; i > 0; --i) {
          for (auto& opt : pick_options()) set.push_back(opt);
        }
        return set;
      }
      case 5:
        return {"SETNX", k, value()};
      case 6:
        return {"GETSET", k, value()};
      case 7:
        return {"APPEND", k, pick({"0", "1", "x"})};
      case 8:
        return {pick({"DEL", "UNLINK"}), k, pick({"o", "zz"})};
      case 9: {
        std::vector<std::string> e = {pick({"EXPIRE", "PEXPIRE"}), k,
                                      pick({"1000", "-1", "0", "x"})};
        if (rng_() % 2) e.push_back(pick({"NX", "XX", "GT", "LT", "BAD"}));
        return e;
      }
      case 10:
        return {"PERSIST", k};
      case 11:
        return {"SADD", k, member(), member()};
      case 12:
        return {"SREM", k, member(), member()};
      case 13:
        return {"HSET", k, member(), value()};
      case 14:
        return {"HDEL", k, member()};
      case 15: {
        std::vector<std::string> z = {"ZADD", k};
        if (rng_() % 2) z.push_back(pick({"NX", "XX", "GT", "LT", "CH", "INCR"}));
        z.push_back(score());
        z.push_back(member());
        if (rng_() % 3 == 0) {
          z.push_back(score());
          z.push_back(member());
        }
        return z;
      }
      case 16:
        return {"ZREM", k, member()};
      case 17:
        return {"ZINCRBY", k, score(), member()};
      case 18:
        return {"ZREMRANGEBYSCORE", k, pick({"-inf", "(1", "1", "x"}), pick({"+inf", "2.5", "(3"})};
      case 19:
        return {pick({"ZPOPMIN", "ZPOPMAX"}), k, pick({"1", "2", "0"})};
      case 20:
        return {"ZREMRANGEBYRANK", k, pick({"0", "-1", "1"}), pick({"0", "-1", "5"})};
      case 21:
        return {"MSET", "o", value(), k, value()};
      case 22:
        return {"GETDEL", k};
      case 23:
        return {"INCRBYFLOAT", k, pick({"1.5", "2", "-0.5", "abc", "1e3"})};
      case 24:
        return {"SETRANGE", k, pick({"0", "2"}), pick({"7", "", "xy"})};
      case 25:
        return {"SPOP", k, pick({"10", "0"})};
      case 26:
        return {"HINCRBY", k, member(), pick({"1", "x"})};
      case 27:
        return {"SETEX", k, pick({"100", "0", "x"}), value()};
      case 28:
        return {"GETEX", k, pick({"PERSIST", "EX", "PX"}), pick({"100", "0"})};
      default:
        return {"RENAME", "g", "o"};
    }
  }

 private:
  std::string pick(std::initializer_list<const char*> options) {
    auto it = options.begin();
    std::advance(it, rng_() % options.size());
    return *it;
  }
  std::vector<std::string> pick_options() {
    switch (rng_() % 8) {
      case 0:
        return {"NX"};
      case 1:
        return {"XX"};
      case 2:
        return {"GET"};
      case 3:
        return {"KEEPTTL"};
      case 4:
        return {"EX", pick({"1000", "0", "-5", "x"})};
      case 5:
        return {"PX", "100000"};
      case 6:
        return {"PXAT", std::to_string(wall_ms() + 100000)};
      default:
        return {"BOGUS"};
    }
  }
  std::string value() {
    return pick({"0", "1", "5", "-3", "abc", "9223372036854775807", "01", ""});
  }
  std::string member() { return pick({"a", "b", "c", "d"}); }
  std::string score() { return pick({"1", "2.5", "-inf", "+inf", "nan", "x", "3"}); }
  std::mt19937 rng_;
};

void run_differential(uint32_t seed, int commands) {
  RedisServer server;
  Client c(server);
  KeyReplay replay(GaugeKind::kRedisGet, "g", 0);
  CommandGenerator gen(seed);
  int uncertain = 0;
  for (int i = 0; i < commands; ++i) {
    std::vector<std::string> args = gen.next();
    MonitorLine line;
    line.time_us = wall_ms() * 1000;
    line.args = args;
    c(args);
    KeyReplay::Effect effect = replay.apply(line);
    KeyState real = real_state(c, "g");
    if (!effect.uncertain.empty()) {
      ++uncertain;
      replay.reset(real);  // as the tracer does at its next full checkpoint
      continue;
    }
    KeyState modelled = replay.state();
    modelled.expire_at_ms = modelled.expire_at_ms >= 0 ? 1 : -1;
    std::string command;
    for (const auto& a : args) command += "'" + a + "' ";
    ASSERT_TRUE(modelled == real && modelled.expire_at_ms == real.expire_at_ms)
        << "after command " << i << ": " << command << "\n  replay: " << describe(modelled)
        << "\n  redis:  " << describe(real);
  }
  // Only SPOP of a smaller set is unknowable in this grammar; the rest must be modelled.
  EXPECT_LT(uncertain, commands / 20);
}

const std::vector<uint32_t> kSeeds = {1u, 2u, 3u};

TEST(KeyReplayAgainstRedis, RandomCommandSequencesMatchRedisExactly) {
  for (uint32_t seed : kSeeds) {
    SCOPED_TRACE(seed);
    run_differential(seed, 1500);
  }
}

}  // namespace
}  // namespace callsim
