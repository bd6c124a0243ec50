#include "bot_under_test.h"

#include <cstdlib>

#include "child_process.h"

namespace callsim::bot::test {

BotUnderTest::BotUnderTest(const std::function<void(BotConfig&)>& configure) {
  BotConfig config;
  config.listen_port = 0;
  config.redis = parse_redis_url(redis_.unix_url());
  config.silent = true;
  config.log = [this](std::string_view line) {
    std::lock_guard<std::mutex> lock(log_mutex_);
    log_.emplace_back(line);
  };
  if (configure) configure(config);
  counter_gauge_ = uses_counter(config.strategy);
  bot_ = std::make_unique<Bot>(std::move(config));
}

BotUnderTest::~BotUnderTest() {
  bot_->stop();
}

long long BotUnderTest::gauge() {
  if (counter_gauge_) {
    auto reply = redis_.command("GET %s", kCounterKey);
    return reply->type == REDIS_REPLY_STRING ? std::atoll(reply->str) : 0;
  }
  return redis_.command("SCARD %s", kSetKey)->integer;
}

void BotUnderTest::set_counter(long long value) {
  redis_.command("SET %s %lld", kCounterKey, value);
}

bool BotUnderTest::gauge_becomes(long long value, std::chrono::milliseconds timeout) {
  return callsim::test::eventually([&] { return gauge() == value; }, timeout);
}

bool BotUnderTest::eventually(const std::function<bool(const Counters&)>& ready,
                              std::chrono::milliseconds timeout) {
  return callsim::test::eventually([&] { return ready(bot_->counters()); }, timeout);
}

std::vector<std::string> BotUnderTest::log_lines() {
  std::lock_guard<std::mutex> lock(log_mutex_);
  return log_;
}

}  // namespace callsim::bot::test
