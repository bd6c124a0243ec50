// The watcher against a real redis-server: every value the gauge took, reconstructed from
// MONITOR, must match what Redis really did (scripts, transactions, aborted WATCH transactions).
#include "gauge/gauge_watcher.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <sstream>
#include <thread>

#include "core/errors.h"
#include "redis_client.h"

namespace callsim {
namespace {

using test::Client;
using test::RedisServer;
using ::testing::HasSubstr;

// The admission script of a correct server: INCR, and DECR back when over the cap. It also
// records the highest value its INCR ever returned, the true maximum the replay must find.
const char* kAdmitScript = R"(
local v = redis.call('INCR', KEYS[1])
local m = tonumber(redis.call('GET', KEYS[2]) or '0')
if v > m then redis.call('SET', KEYS[2], v) end
if v > tonumber(ARGV[1]) then redis.call('DECR', KEYS[1]) return 0 end
return 1)";

GaugeOptions options_for(const RedisServer& redis, const std::string& spec = "calls:active_count") {
  GaugeOptions o;
  o.spec = parse_gauge_spec(spec);
  o.redis_url = redis.unix_url();
  return o;
}

// Starts the watcher and waits for its first sample, so the replay has its starting point
// before the test's traffic begins.
void start_and_wait(GaugeWatcher& w) {
  w.start();
  ASSERT_TRUE(test::eventually([&] { return w.latest().has_value(); }, std::chrono::seconds(5)));
}

std::vector<int64_t> traced_values(const GaugeTrace& t) {
  std::vector<int64_t> out;
  for (const auto& e : t.events) {
    if (out.empty() || e.value.value_or(-999) != out.back()) out.push_back(e.value.value_or(-999));
  }
  return out;
}

int64_t traced_max(const GaugeTrace& t) {
  int64_t m = INT64_MIN;
  for (const auto& e : t.events) m = std::max(m, e.value.value_or(INT64_MIN));
  return m;
}

TEST(GaugeWatcher, LuaBackoffExcursionIsTracedExactly) {
  RedisServer redis;
  GaugeWatcher w(options_for(redis));
  w.connect();
  ASSERT_TRUE(w.monitoring()) << w.monitor_refusal();
  EXPECT_EQ(w.read_now(), 0);
  start_and_wait(w);
  Client c(redis);
  const std::vector<std::string> admit = {"EVAL",      kAdmitScript, "2", "calls:active_count",
                                          "calls:max", "3"};
  for (int i = 0; i < 3; ++i) EXPECT_EQ(c(admit)->integer, 1);
  EXPECT_EQ(c(admit)->integer, 0);  // 4 > 3: DECR back inside the script
  c({"DECR", "calls:active_count"});
  GaugeTrace t = w.stop();
  EXPECT_TRUE(t.exact) << t.not_exact_reason;
  EXPECT_TRUE(t.monitored);
  // 0 (snapshot), three admissions, one release. The back-off's INCR to 4 and DECR to 3 run in
  // one script: no client can read the 4, so it is no event (it was one before issue 11).
  EXPECT_EQ(traced_values(t), (std::vector<int64_t>{0, 1, 2, 3, 2}));
  EXPECT_EQ(traced_max(t), 3);
  EXPECT_EQ(t.events[1].origin, EventOrigin::kScript);
  EXPECT_EQ(t.events[1].command, "EVAL");
  EXPECT_EQ(t.events.back().origin, EventOrigin::kClient);
  EXPECT_EQ(t.events.back().command, "DECR");
  EXPECT_EQ(t.divergences, 0u);
  EXPECT_GT(t.checkpoints, 0u);
  EXPECT_FALSE(t.samples.empty());
}

TEST(GaugeWatcher, ConcurrentScriptsAndReleasesMatchRedisMaximumAndFinalValue) {
  RedisServer redis;
  GaugeWatcher w(options_for(redis));
  w.connect();
  start_and_wait(w);
  constexpr int kThreads = 4;
  constexpr int kAttempts = 150;
  std::atomic<int> admitted{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      Client c(redis);
      int live = 0;
      for (int n = 0; n < kAttempts; ++n) {
        if (c({"EVAL", kAdmitScript, "2", "calls:active_count", "calls:max", "5"})->integer == 1) {
          ++admitted;
          ++live;
        }
        if (live > 0 && (n + i) % 3 == 0) {  // releases interleave with admissions
          c({"DECR", "calls:active_count"});
          --live;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  Client c(redis);
  int64_t real_final = std::stoll(c.text({"GET", "calls:active_count"}));
  int64_t real_max = std::stoll(c.text({"GET", "calls:max"}));
  GaugeTrace t = w.stop();
  EXPECT_TRUE(t.exact) << t.not_exact_reason;
  EXPECT_EQ(t.divergences, 0u);  // every checkpoint (one per ms) agreed with the replay
  ASSERT_FALSE(t.events.empty());
  EXPECT_EQ(t.events.back().value, real_final);
  // calls:max records the value inside the scripts, back-offs included (cap + 1); a client
  // only ever sees the value after a script, so the traced maximum is the cap.
  EXPECT_EQ(real_max, 6);
  EXPECT_EQ(traced_max(t), 5);
  // One event per admitting script; a back-off leaves the value as it was, so it is none.
  size_t script_steps = std::count_if(t.events.begin(), t.events.end(), [](const GaugeEvent& e) {
    return e.origin == EventOrigin::kScript && e.command == "EVAL";
  });
  EXPECT_EQ(script_steps, static_cast<size_t>(admitted.load()));
  for (size_t i = 1; i < t.events.size(); ++i) ASSERT_GE(t.events[i].at, t.events[i - 1].at);
}

TEST(GaugeWatcher, TransactionsAreReplayedAndAbortedOnesAreNot) {
  RedisServer redis;
  GaugeWatcher w(options_for(redis));
  w.connect();
  start_and_wait(w);
  Client a(redis);
  Client b(redis);
  // Executed transaction: its commands appear in MONITOR when EXEC runs them.
  a({"MULTI"});
  a({"INCR", "calls:active_count"});
  a({"INCRBY", "calls:active_count", "5"});
  a({"DECR", "calls:active_count"});
  auto exec = a({"EXEC"});
  ASSERT_EQ(exec->elements, 3u);
  EXPECT_EQ(exec->element[2]->integer, 5);

  // WATCH transaction aborted by a concurrent change: EXEC returns nil, nothing is applied.
  a({"WATCH", "calls:active_count"});
  a({"GET", "calls:active_count"});
  a({"MULTI"});
  a({"INCR", "calls:active_count"});
  a({"INCR", "calls:active_count"});
  b({"INCRBY", "calls:active_count", "10"});
  EXPECT_EQ(a({"EXEC"})->type, REDIS_REPLY_NIL);

  // EXECABORT (a queued command was rejected) and DISCARD apply nothing either.
  a({"MULTI"});
  a({"INCR", "calls:active_count"});
  a({"NOSUCHCOMMAND"});
  EXPECT_EQ(a({"EXEC"})->type, REDIS_REPLY_ERROR);
  a({"MULTI"});
  a({"INCR", "calls:active_count"});
  a({"DISCARD"});

  // A run-time error inside EXEC fails that command only.
  a({"MULTI"});
  a({"INCR", "calls:active_count"});
  a({"SADD", "calls:active_count", "x"});
  a({"INCR", "calls:active_count"});
  exec = a({"EXEC"});
  EXPECT_EQ(exec->element[1]->type, REDIS_REPLY_ERROR);

  // A script that fails half-way keeps what it did before the error.
  EXPECT_EQ(a({"EVAL",
               "redis.call('INCR', KEYS[1]) redis.call('INCR', KEYS[1]) "
               "return redis.call('INCRBY', KEYS[1], 'x')",
               "1", "calls:active_count"})
                ->type,
            REDIS_REPLY_ERROR);
  EXPECT_EQ(a.text({"GET", "calls:active_count"}), "19");

  GaugeTrace t = w.stop();
  EXPECT_TRUE(t.exact) << t.not_exact_reason;
  // Each EXEC and each script is one step: only the value after it is an event.
  EXPECT_EQ(traced_values(t), (std::vector<int64_t>{0, 5, 15, 17, 19}));
  EXPECT_EQ(t.events.back().value, 19);
}

TEST(GaugeWatcher, SetHashAndSortedSetGaugesAreReplayed) {
  RedisServer redis;
  Client c(redis);
  c({"SADD", "calls:active", "CA0"});  // a baseline member before the run
  GaugeWatcher w(options_for(redis, "scard:calls:active"));
  w.connect();
  EXPECT_EQ(w.read_now(), 1);
  start_and_wait(w);
  const char* set_admit = R"(
redis.call('SADD', KEYS[1], ARGV[1])
if redis.call('SCARD', KEYS[1]) > tonumber(ARGV[2]) then redis.call('SREM', KEYS[1], ARGV[1]) return 0 end
return 1)";
  for (int i = 1; i <= 4; ++i) {
    c({"EVAL", set_admit, "1", "calls:active", "CA" + std::to_string(i), "3"});
  }
  c({"SADD", "calls:active", "CA1"});  // already a member: SCARD unchanged
  c({"SREM", "calls:active", "CA2", "CA9"});
  GaugeTrace t = w.stop();
  EXPECT_TRUE(t.exact) << t.not_exact_reason;
  // Re-adding CA1 changes nothing.
  // CA3 and CA4 touch 4 only inside their scripts: no client can read it, so no event.
  EXPECT_EQ(traced_values(t), (std::vector<int64_t>{1, 2, 3, 2}));
  EXPECT_EQ(t.events.back().value, c.integer({"SCARD", "calls:active"}));

  c({"ZADD", "calls:z", "100", "CA1", "200", "CA2"});
  GaugeWatcher z(options_for(redis, "zcard:calls:z"));
  z.connect();
  start_and_wait(z);
  c({"ZADD", "calls:z", "300", "CA3"});
  c({"ZREMRANGEBYSCORE", "calls:z", "-inf", "(250"});  // a sliding window dropping stale calls
  GaugeTrace zt = z.stop();
  EXPECT_TRUE(zt.exact) << zt.not_exact_reason;
  EXPECT_EQ(traced_values(zt), (std::vector<int64_t>{2, 3, 1}));

  GaugeWatcher h(options_for(redis, "hlen:calls:h"));
  h.connect();
  start_and_wait(h);
  c({"HSET", "calls:h", "CA1", "t", "CA2", "t"});
  c({"HDEL", "calls:h", "CA1"});
  GaugeTrace ht = h.stop();
  EXPECT_TRUE(ht.exact) << ht.not_exact_reason;
  EXPECT_EQ(traced_values(ht), (std::vector<int64_t>{0, 2, 1}));
}

TEST(GaugeWatcher, KeyExpiryIsTraced) {
  RedisServer redis;
  GaugeWatcher w(options_for(redis));
  w.connect();
  start_and_wait(w);
  Client c(redis);
  c({"SET", "calls:active_count", "3", "PX", "30"});
  TimePoint set_at = std::chrono::steady_clock::now();
  ASSERT_TRUE(test::eventually(
      [&] {
        auto s = w.latest();
        return s && s->at > set_at + std::chrono::milliseconds(30) && s->value == 0;
      },
      std::chrono::seconds(5)));
  GaugeTrace t = w.stop();
  EXPECT_TRUE(t.exact) << t.not_exact_reason;
  EXPECT_EQ(traced_values(t), (std::vector<int64_t>{0, 3, 0}));
  EXPECT_EQ(t.events.back().origin, EventOrigin::kExpiry);
}

TEST(GaugeWatcher, UnmodelledCommandMakesTheTraceInexactButKeepsFollowing) {
  RedisServer redis;
  GaugeWatcher w(options_for(redis));
  w.connect();
  start_and_wait(w);
  Client c(redis);
  c({"SET", "calls:spare", "7"});
  c({"RENAME", "calls:spare", "calls:active_count"});
  ASSERT_TRUE(test::eventually([&] { return w.latest() && w.latest()->value == 7; },
                               std::chrono::seconds(5)));
  c({"INCR", "calls:active_count"});
  GaugeTrace t = w.stop();
  EXPECT_FALSE(t.exact);
  EXPECT_THAT(t.not_exact_reason, HasSubstr("RENAME"));
  EXPECT_GE(t.resyncs, 1u);
  EXPECT_EQ(t.events.back().value, 8);
}

TEST(GaugeWatcher, FallsBackToSamplingWhenMonitorIsRefused) {
  RedisServer redis;
  Client c(redis);
  c({"ACL", "SETUSER", "nomonitor", "on", ">pw", "~*", "&*", "+@all", "-monitor"});
  c({"ACL", "SETUSER", "nomulti", "on", ">pw", "~*", "&*", "+@all", "-multi"});
  GaugeOptions o = options_for(redis);
  o.redis_url = "redis://nomonitor:pw@127.0.0.1:" + std::to_string(redis.port()) + "/0";
  GaugeWatcher w(o);
  w.connect();
  EXPECT_FALSE(w.monitoring());
  EXPECT_THAT(w.monitor_refusal(), HasSubstr("refused MONITOR"));
  EXPECT_THAT(w.monitor_refusal(), HasSubstr("NOPERM"));
  start_and_wait(w);
  c({"SET", "calls:active_count", "2"});
  ASSERT_TRUE(test::eventually([&] { return w.latest() && w.latest()->value == 2; },
                               std::chrono::seconds(5)));
  GaugeTrace t = w.stop();
  EXPECT_FALSE(t.monitored);
  EXPECT_FALSE(t.exact);
  EXPECT_TRUE(t.events.empty());
  EXPECT_THAT(t.not_exact_reason, HasSubstr("refused MONITOR"));
  EXPECT_EQ(t.samples.back().value, 2);

  o.redis_url = "redis://nomulti:pw@127.0.0.1:" + std::to_string(redis.port()) + "/0";
  GaugeWatcher no_multi(o);
  no_multi.connect();
  EXPECT_FALSE(no_multi.monitoring());
  EXPECT_THAT(no_multi.monitor_refusal(), HasSubstr("MULTI/EXEC"));
}

TEST(GaugeWatcher, FallsBackWhenMonitorIsRenamedAway) {
  test::TempDir dir;
  const std::string socket = dir.path() + "/redis.sock";
  test::ChildProcess redis(
      {"redis-server", "--port", "0", "--unixsocket", socket, "--dir", dir.path(), "--save", "",
       "--appendonly", "no", "--rename-command", "MONITOR", ""},
      dir.path() + "/redis.log");
  GaugeOptions o;
  o.redis_url = "unix://" + socket;
  ASSERT_TRUE(test::eventually(
      [&] {
        try {
          GaugeWatcher probe(o);
          probe.read_now();
          return true;
        } catch (const UnreachableError&) {
          return false;
        }
      },
      std::chrono::seconds(10)))
      << redis.output();
  GaugeWatcher w(o);
  w.connect();
  EXPECT_FALSE(w.monitoring());
  EXPECT_THAT(w.monitor_refusal(), HasSubstr("unknown command"));
  start_and_wait(w);
  GaugeTrace t = w.stop();
  EXPECT_FALSE(t.monitored);
  EXPECT_THAT(t.not_exact_reason, HasSubstr("refused MONITOR"));
  EXPECT_FALSE(t.samples.empty());
}

TEST(GaugeWatcher, SampleModeNeverMonitors) {
  RedisServer redis;
  GaugeOptions o = options_for(redis);
  o.trace = TraceMode::kSample;
  GaugeWatcher w(o);
  w.connect();
  EXPECT_FALSE(w.monitoring());
  start_and_wait(w);
  Client c(redis);
  c({"INCRBY", "calls:active_count", "4"});
  ASSERT_TRUE(test::eventually([&] { return w.latest() && w.latest()->value == 4; },
                               std::chrono::seconds(5)));
  EXPECT_EQ(w.read_now(), 4);  // safe while the sampler runs
  GaugeTrace t = w.stop();
  EXPECT_FALSE(t.monitored);
  EXPECT_THAT(t.not_exact_reason, HasSubstr("--gauge-trace sample"));
  for (size_t i = 1; i < t.samples.size(); ++i) {
    EXPECT_GE(t.samples[i].at, t.samples[i - 1].at);
    EXPECT_GE(t.samples[i].round_trip.count(), 0);
  }
}

TEST(GaugeWatcher, LosingTheMonitorConnectionIsReported) {
  RedisServer redis;
  GaugeWatcher w(options_for(redis));
  w.connect();
  start_and_wait(w);
  Client c(redis);
  std::string clients = c.text({"CLIENT", "LIST"});
  std::istringstream lines(clients);
  std::string line;
  std::string monitor_id;
  while (std::getline(lines, line)) {
    if (line.find(" cmd=monitor ") != std::string::npos) {
      monitor_id = line.substr(3, line.find(' ') - 3);  // "id=N ..."
    }
  }
  ASSERT_FALSE(monitor_id.empty()) << clients;
  c({"CLIENT", "KILL", "ID", monitor_id});
  c({"INCR", "calls:active_count"});
  ASSERT_TRUE(test::eventually([&] { return w.latest() && w.latest()->value == 1; },
                               std::chrono::seconds(5)));
  GaugeTrace t = w.stop();
  EXPECT_FALSE(t.exact);
  EXPECT_THAT(t.not_exact_reason, HasSubstr("MONITOR connection lost"));
  EXPECT_EQ(t.samples.back().value, 1);  // sampling carried on
}

std::string connect_error(const GaugeOptions& o) {
  try {
    GaugeWatcher w(o);
    w.connect();
  } catch (const UnreachableError& e) {
    return e.what();
  }
  return "no error";
}

TEST(GaugeWatcher, ConnectFailsClearlyBeforeTheRun) {
  GaugeOptions o;
  o.redis_url = "redis://127.0.0.1:" + std::to_string(test::free_tcp_port()) + "/0";
  EXPECT_THAT(connect_error(o), HasSubstr("cannot connect to Redis"));

  RedisServer::Options secured;
  secured.password = "right";
  RedisServer locked(secured);
  o.redis_url = "redis://:wrong@127.0.0.1:" + std::to_string(locked.port()) + "/0";
  EXPECT_THAT(connect_error(o), HasSubstr("refused the password"));
  o.redis_url = "redis://127.0.0.1:" + std::to_string(locked.port()) + "/0";
  EXPECT_THAT(connect_error(o), HasSubstr("NOAUTH"));

  RedisServer redis;
  Client c(redis);
  c({"RPUSH", "calls:active_count", "x"});
  o = options_for(redis);
  EXPECT_THAT(connect_error(o),
              HasSubstr("is a list, but --gauge get:calls:active_count reads a string"));
  c({"DEL", "calls:active_count"});
  c({"SET", "calls:active_count", "many"});
  EXPECT_THAT(connect_error(o), HasSubstr("holds 'many', not an integer"));
  o.spec = parse_gauge_spec("scard:calls:active_count");
  EXPECT_THAT(connect_error(o), HasSubstr("is a string, but --gauge scard"));
}

TEST(GaugeWatcher, NoneGaugeDoesNothing) {
  GaugeOptions o;
  o.spec = parse_gauge_spec("none");
  GaugeWatcher w(o);
  w.connect();
  EXPECT_FALSE(w.enabled());
  w.start();
  EXPECT_FALSE(w.latest());
  EXPECT_THROW(w.read_now(), UnreachableError);
  GaugeTrace t = w.stop();
  EXPECT_EQ(t.source, "none");
  EXPECT_TRUE(t.samples.empty());
}

}  // namespace
}  // namespace callsim
