#include "gauge/key_replay.h"

#include <gtest/gtest.h>

namespace callsim {
namespace {

constexpr int64_t kNowMs = 1'700'000'000'000;

MonitorLine line(std::vector<std::string> args, int db = 0, int64_t now_ms = kNowMs,
                 std::string client = "127.0.0.1:5000") {
  MonitorLine l;
  l.time_us = now_ms * 1000;
  l.db = db;
  l.client = std::move(client);
  l.args = std::move(args);
  return l;
}

struct Replay {
  explicit Replay(GaugeKind kind = GaugeKind::kRedisGet) : r(kind, "g", 0) {}
  KeyReplay::Effect operator()(std::vector<std::string> args, int db = 0, int64_t now_ms = kNowMs) {
    return r.apply(line(std::move(args), db, now_ms));
  }
  std::optional<int64_t> value() const { return r.value(); }
  KeyReplay r;
};

TEST(KeyReplay, CountersIncrementAndDecrementLikeRedis) {
  Replay r;
  EXPECT_EQ(r.value(), 0);
  EXPECT_TRUE(r({"INCR", "g"}).touched);
  EXPECT_TRUE(r({"incrby", "g", "5"}).touched);  // MONITOR keeps the client's spelling
  r({"DECR", "g"});
  r({"DECRBY", "g", "-3"});
  EXPECT_EQ(r.value(), 8);
  EXPECT_EQ(r.r.state().text, "8");
  // Commands on other keys or in other databases change nothing.
  EXPECT_FALSE(r({"INCR", "other"}).touched);
  EXPECT_FALSE(r({"INCR", "g"}, 1).touched);
  EXPECT_EQ(r.value(), 8);
}

TEST(KeyReplay, FailedCommandsChangeNothing) {
  Replay r;
  r({"SET", "g", "7"});
  r({"INCRBY", "g", "abc"});                   // ERR value is not an integer
  r({"INCRBY", "g", "+1"});                    // Redis's integers have no '+'
  r({"INCRBY", "g", "01"});                    // nor leading zeros
  r({"INCR", "g", "extra"});                   // wrong arity
  r({"DECRBY", "g", "-9223372036854775808"});  // would overflow
  r({"SADD", "g", "x"});                       // WRONGTYPE
  r({"SET", "g", "1", "EX"});                  // syntax error
  r({"SET", "g", "1", "EX", "0"});             // invalid expire time
  r({"SET", "g", "1", "NX", "XX"});            // syntax error
  r({"SET", "g", "1", "KEEPTTL", "PX", "5"});
  EXPECT_EQ(r.value(), 7);
  r({"SET", "g", "9223372036854775807"});
  r({"INCR", "g"});  // overflow
  EXPECT_EQ(r.value(), INT64_MAX);
  r({"SET", "g", "abc"});
  EXPECT_EQ(r.value(), std::nullopt);  // not a count
  r({"INCR", "g"});
  EXPECT_EQ(r.r.state().text, "abc");
}

TEST(KeyReplay, SetOptions) {
  Replay r;
  r({"SET", "g", "3", "XX"});
  EXPECT_EQ(r.value(), 0);  // XX on a missing key
  r({"SET", "g", "3", "NX"});
  EXPECT_EQ(r.value(), 3);
  r({"SET", "g", "4", "NX"});
  EXPECT_EQ(r.value(), 3);
  r({"SET", "g", "5", "xx", "GET", "EX", "100"});
  EXPECT_EQ(r.value(), 5);
  EXPECT_EQ(r.r.state().expire_at_ms, kNowMs + 100'000);
  r({"SET", "g", "6", "KEEPTTL"});
  EXPECT_EQ(r.r.state().expire_at_ms, kNowMs + 100'000);
  r({"SET", "g", "7"});
  EXPECT_EQ(r.r.state().expire_at_ms, -1);
  r({"SADD", "s", "x"});
  Replay set(GaugeKind::kRedisScard);
  set({"SADD", "g", "x"});
  set({"SET", "g", "1", "GET"});  // GET on a set fails the whole SET
  EXPECT_EQ(set.value(), 1);
  set({"SET", "g", "1"});  // plain SET replaces any type
  EXPECT_EQ(set.r.state().type, KeyState::Type::kString);
}

TEST(KeyReplay, ExpiryAndPersistence) {
  Replay r;
  r({"SET", "g", "2", "PX", "500"});
  EXPECT_FALSE(r.r.expire_until(kNowMs + 500));  // Redis: expired only when now > when
  EXPECT_TRUE(r.r.expire_until(kNowMs + 501));
  EXPECT_EQ(r.value(), 0);

  r({"SET", "g", "2"});
  r({"EXPIRE", "g", "10", "XX"});  // no TTL yet
  EXPECT_EQ(r.r.state().expire_at_ms, -1);
  r({"EXPIRE", "g", "10", "NX"});
  EXPECT_EQ(r.r.state().expire_at_ms, kNowMs + 10'000);
  r({"PEXPIRE", "g", "5000", "GT"});
  EXPECT_EQ(r.r.state().expire_at_ms, kNowMs + 10'000);
  r({"PEXPIRE", "g", "5000", "LT"});
  EXPECT_EQ(r.r.state().expire_at_ms, kNowMs + 5'000);
  r({"EXPIRE", "g", "1", "NX", "XX"});  // incompatible options
  EXPECT_EQ(r.r.state().expire_at_ms, kNowMs + 5'000);
  r({"PERSIST", "g"});
  EXPECT_EQ(r.r.state().expire_at_ms, -1);
  r({"PEXPIREAT", "g", std::to_string(kNowMs + 42)});
  EXPECT_EQ(r.r.state().expire_at_ms, kNowMs + 42);
  r({"EXPIRE", "g", "-1"});  // a time in the past deletes the key
  EXPECT_FALSE(r.r.state().exists());
  r({"SETEX", "g", "3", "9"});
  EXPECT_EQ(r.value(), 9);
  EXPECT_EQ(r.r.state().expire_at_ms, kNowMs + 3'000);
  r({"GETEX", "g", "PERSIST"});
  EXPECT_EQ(r.r.state().expire_at_ms, -1);
  r({"GETEX", "g", "PXAT", std::to_string(kNowMs - 1)});
  EXPECT_FALSE(r.r.state().exists());
}

TEST(KeyReplay, KeyspaceCommands) {
  Replay r;
  r({"SET", "g", "4"});
  EXPECT_TRUE(r({"DEL", "a", "g", "b"}).touched);
  EXPECT_EQ(r.value(), 0);
  r({"MSET", "a", "1", "g", "12", "b", "2"});
  EXPECT_EQ(r.value(), 12);
  r({"GETSET", "g", "13"});
  EXPECT_EQ(r.value(), 13);
  r({"APPEND", "g", "0"});
  EXPECT_EQ(r.value(), 130);
  r({"SETRANGE", "g", "0", "2"});
  EXPECT_EQ(r.value(), 230);
  r({"INCRBYFLOAT", "g", "1.5"});
  EXPECT_EQ(r.r.state().text, "231.5");
  EXPECT_EQ(r.value(), std::nullopt);
  r({"INCRBYFLOAT", "g", "0.5"});
  EXPECT_EQ(r.value(), 232);
  r({"UNLINK", "g"});
  EXPECT_EQ(r.value(), 0);
  r({"SETNX", "g", "1"});
  r({"SETNX", "g", "2"});
  EXPECT_EQ(r.value(), 1);
  r({"RENAME", "g", "elsewhere"});
  EXPECT_EQ(r.value(), 0);
  r({"SET", "g", "5"});
  r({"FLUSHALL"}, 3);  // from any database
  EXPECT_EQ(r.value(), 0);
  r({"SET", "g", "5"});
  r({"FLUSHDB"}, 2);
  EXPECT_EQ(r.value(), 5);
  r({"FLUSHDB"});
  EXPECT_EQ(r.value(), 0);
  r({"SET", "g", "5"});
  r({"GETDEL", "g"});
  EXPECT_EQ(r.value(), 0);
}

TEST(KeyReplay, ReadsAndScriptWrappersAreIgnored) {
  Replay r;
  r({"SET", "g", "1"});
  for (std::vector<std::string> read : {std::vector<std::string>{"GET", "g"},
                                        {"TTL", "g"},
                                        {"EXISTS", "g"},
                                        {"WATCH", "g"},
                                        {"EVAL", "return redis.call('INCR', KEYS[1])", "1", "g"},
                                        {"EVALSHA", "abc", "1", "g"},
                                        {"FCALL", "myinc", "1", "g"},
                                        {"ECHO", "g"},
                                        {"TYPE", "g"}}) {
    EXPECT_FALSE(r(read).touched) << read[0];
  }
  EXPECT_EQ(r.value(), 1);
}

TEST(KeyReplay, UnmodelledWritesMakeTheReplayUncertain) {
  Replay r;
  r({"SET", "g", "1"});
  EXPECT_NE(r({"RENAME", "src", "g"}).uncertain, "");
  EXPECT_NE(r({"RESTORE", "g", "0", "payload"}).uncertain, "");
  EXPECT_NE(r({"MSETNX", "a", "1", "g", "2"}).uncertain, "");
  EXPECT_NE(r({"SWAPDB", "0", "1"}, 5).uncertain, "");
  EXPECT_NE(r({"MOVE", "g", "0"}, 1).uncertain, "");  // brought over from db 1
  EXPECT_NE(r({"COPY", "src", "g", "DB", "0"}, 1).uncertain, "");
  EXPECT_EQ(r({"COPY", "g", "dst"}).uncertain, "");  // reading the key is fine
  // An unmodelled command mentioning the key anywhere is suspect: key positions are unknown.
  EXPECT_NE(r({"LPUSH", "other", "g"}).uncertain, "");
  EXPECT_EQ(r({"LPUSH", "other", "x"}).uncertain, "");
}

TEST(KeyReplay, SetsCountDistinctMembers) {
  Replay r(GaugeKind::kRedisScard);
  r({"SADD", "g", "CA1", "CA2", "CA1"});
  r({"SADD", "g", "CA2"});
  EXPECT_EQ(r.value(), 2);
  r({"SREM", "g", "CA3"});
  EXPECT_EQ(r.value(), 2);
  r({"INCR", "g"});  // WRONGTYPE
  EXPECT_EQ(r.value(), 2);
  r({"SREM", "g", "CA1", "CA2"});
  EXPECT_FALSE(r.r.state().exists());  // an empty set is no key at all
  r({"SADD", "g", "a", "b", "c"});
  EXPECT_NE(r({"SPOP", "g"}).uncertain, "");
  r({"SPOP", "g", "3"});
  EXPECT_EQ(r.value(), 0);
  r({"SADD", "g", "a"});
  r({"SMOVE", "g", "other", "a"});
  EXPECT_EQ(r.value(), 0);
  EXPECT_NE(r({"SMOVE", "other", "g", "a"}).uncertain, "");
}

TEST(KeyReplay, HashesCountFields) {
  Replay r(GaugeKind::kRedisHlen);
  r({"HSET", "g", "CA1", "t1", "CA2", "t2"});
  r({"HSETNX", "g", "CA1", "t3"});
  r({"HINCRBY", "g", "CA3", "1"});
  r({"HINCRBY", "g", "CA4", "x"});  // not an integer: fails
  r({"HSET", "g", "CA5"});          // wrong arity
  EXPECT_EQ(r.value(), 3);
  r({"HDEL", "g", "CA1", "CA9"});
  EXPECT_EQ(r.value(), 2);
}

TEST(KeyReplay, SortedSetsFollowScores) {
  Replay r(GaugeKind::kRedisZcard);
  r({"ZADD", "g", "1", "a", "2", "b", "3", "c"});
  r({"ZADD", "g", "NX", "9", "a", "4", "d"});
  EXPECT_EQ(r.value(), 4);
  EXPECT_EQ(r.r.state().scores.at("a"), 1);
  r({"ZADD", "g", "XX", "GT", "CH", "0", "a", "5", "b", "6", "e"});
  EXPECT_EQ(r.r.state().scores.at("a"), 1);
  EXPECT_EQ(r.r.state().scores.at("b"), 5);
  EXPECT_EQ(r.value(), 4);                       // XX: e not added
  r({"ZADD", "g", "NX", "GT", "1", "z"});        // incompatible flags
  r({"ZADD", "g", "1", "y", "nan", "z"});        // a bad score anywhere fails everything
  r({"ZADD", "g", "INCR", "1", "y", "2", "z"});  // INCR takes one pair
  EXPECT_EQ(r.value(), 4);
  r({"ZINCRBY", "g", "10", "c"});
  EXPECT_EQ(r.r.state().scores.at("c"), 13);
  // a=1 d=4 b=5 c=13
  r({"ZREMRANGEBYSCORE", "g", "(1", "5"});
  EXPECT_EQ(r.value(), 2);  // a and c remain
  r({"ZADD", "g", "-inf", "m", "+inf", "n"});
  r({"ZPOPMAX", "g"});
  EXPECT_FALSE(r.r.state().scores.count("n"));
  r({"ZREMRANGEBYRANK", "g", "0", "-3"});  // m a c: removes m
  EXPECT_EQ(r.r.state().scores.size(), 2u);
  EXPECT_TRUE(r.r.state().scores.count("a"));
  r({"ZPOPMIN", "g", "5"});
  EXPECT_FALSE(r.r.state().exists());
  r({"ZADD", "g", "1", "a"});
  EXPECT_NE(r({"ZREMRANGEBYLEX", "g", "-", "+"}).uncertain, "");
}

TEST(KeyReplay, StrictIntegerSyntax) {
  EXPECT_EQ(parse_redis_integer("0"), 0);
  EXPECT_EQ(parse_redis_integer("-12"), -12);
  EXPECT_EQ(parse_redis_integer("9223372036854775807"), INT64_MAX);
  EXPECT_EQ(parse_redis_integer("-9223372036854775808"), INT64_MIN);
  for (const char* bad : {"", "-", "-0", "01", "+1", " 1", "1 ", "9223372036854775808", "1.0",
                          "123456789012345678901"}) {
    EXPECT_EQ(parse_redis_integer(bad), std::nullopt) << bad;
  }
  EXPECT_EQ(parse_redis_double("inf"), std::numeric_limits<double>::infinity());
  EXPECT_EQ(parse_redis_double("-1.5e1"), -15);
  EXPECT_EQ(parse_redis_double("nan"), std::nullopt);
  EXPECT_EQ(parse_redis_double(" 1"), std::nullopt);
  EXPECT_EQ(parse_redis_double("1e999"), std::nullopt);
}

}  // namespace
}  // namespace callsim
