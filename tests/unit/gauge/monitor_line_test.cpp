#include "gauge/monitor_line.h"

#include <gtest/gtest.h>

#include <random>

#include "gauge/monitor_tracer.h"

namespace callsim {
namespace {

TEST(MonitorLine, ParsesTcpUnixAndScriptLines) {
  auto a = parse_monitor_line(
      R"(1795746633.546538 [0 127.0.0.1:50312] "INCRBY" "calls:active_count" "5")");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->time_us, 1795746633546538);
  EXPECT_EQ(a->db, 0);
  EXPECT_EQ(a->client, "127.0.0.1:50312");
  EXPECT_FALSE(a->from_script());
  EXPECT_EQ(a->args, (std::vector<std::string>{"INCRBY", "calls:active_count", "5"}));

  auto b = parse_monitor_line(R"(1795746995.719987 [12 lua] "INCR" "c")");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->db, 12);
  EXPECT_TRUE(b->from_script());

  // A unix socket path may hold spaces and brackets.
  auto c = parse_monitor_line(R"(1.000001 [3 unix:/tmp/my dir]/r.sock] "GET" "k")");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->client, "unix:/tmp/my dir]/r.sock");
  EXPECT_EQ(c->time_us, 1000001);
}

TEST(MonitorLine, DecodesRedisQuoting) {
  // Captured from Redis 7.0: SET "we\"ird\n\x01key" "a b\"c\\"
  auto l = parse_monitor_line(
      R"(1795746634.590226 [0 unix:/tmp/gx/r.sock] "SET" "we\"ird\n\x01key" "a b\"c\\")");
  ASSERT_TRUE(l);
  ASSERT_EQ(l->args.size(), 3u);
  EXPECT_EQ(l->args[1], std::string("we\"ird\n\x01key"));
  EXPECT_EQ(l->args[2], "a b\"c\\");
  auto e = parse_monitor_line(R"(1.000000 [0 lua] "SET" "" "\t\r\a\b\xff")");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->args[1], "");
  EXPECT_EQ(e->args[2], std::string("\t\r\a\b\xff"));
}

TEST(MonitorLine, EveryByteRoundTripsThroughRedisRepr) {
  std::string all;
  for (int c = 0; c < 256; ++c) all.push_back(static_cast<char>(c));
  std::string line = "17.000000 [0 lua] \"SADD\" " + redis_repr(all) + " " + redis_repr("x y");
  auto l = parse_monitor_line(line);
  ASSERT_TRUE(l);
  ASSERT_EQ(l->args.size(), 3u);
  EXPECT_EQ(l->args[1], all);
  EXPECT_EQ(l->args[2], "x y");
}

TEST(MonitorLine, RejectsMalformedLines) {
  for (const char* bad : {"", "OK", "1.5 [0 lua] \"GET\"", "abc.000000 [0 lua] \"GET\"",
                          "1.000000 0 lua] \"GET\"", "1.000000 [x lua] \"GET\"", "1.000000 [0 lua]",
                          "1.000000 [0 lua] \"GET", "1.000000 [0 lua] \"G\\x4\"",
                          "1.000000 [0 lua] \"GET\"\"k\"", "1.000000 [0 lua] \"GET\\"}) {
    EXPECT_FALSE(parse_monitor_line(bad)) << bad;
  }
}

// 18 digits of seconds used to overflow int64 microseconds (signed overflow, UBSan; found by
// tests/fuzz/fuzz_monitor_line.cpp): such a stamp is not Redis's clock.
TEST(MonitorLine, RejectsStampsBeyondInt64Microseconds) {
  EXPECT_FALSE(parse_monitor_line("170000000333333330.123470 [0 lua] \"GET\" \"k\""));
  EXPECT_FALSE(parse_monitor_line("9223372036855.000000 [0 lua] \"GET\""));
  auto last = parse_monitor_line("9223372036853.000000 [0 lua] \"GET\"");
  ASSERT_TRUE(last);
  EXPECT_EQ(last->time_us, 9'223'372'036'853'000'000);
}

TEST(MonitorLine, SurvivesRandomBytes) {
  std::mt19937 rng(7);
  const std::string alphabet = "0123456789. []\"\\xaf:lu\n";
  size_t parsed = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string line = "1.000000 [0 lua] ";
    size_t n = rng() % 40;
    for (size_t j = 0; j < n; ++j) line.push_back(alphabet[rng() % alphabet.size()]);
    if (parse_monitor_line(line)) ++parsed;
  }
  EXPECT_GT(parsed, 0u);  // some random tails are valid argument lists
}

}  // namespace
}  // namespace callsim
