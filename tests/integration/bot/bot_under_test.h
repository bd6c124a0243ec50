#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "bot/bot.h"
#include "redis_server.h"

namespace callsim::bot::test {

// A private redis-server and an in-process bot on a free port using it. Silent by default (most
// tests are about admission, not speech); `configure` changes anything else.
class BotUnderTest {
 public:
  explicit BotUnderTest(const std::function<void(BotConfig&)>& configure = {});
  ~BotUnderTest();

  uint16_t port() const { return bot_->port(); }
  Bot& bot() { return *bot_; }
  const Counters& counters() const { return bot_->counters(); }
  callsim::test::RedisServer& redis() { return redis_; }

  // The gauge the strategy maintains: GET calls:active_count or SCARD calls:active.
  long long gauge();
  void set_counter(long long value);
  // Polls until the gauge equals `value`.
  bool gauge_becomes(long long value, std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // Polls until the predicate over the bot's counters holds.
  bool eventually(const std::function<bool(const Counters&)>& ready,
                  std::chrono::milliseconds timeout = std::chrono::seconds(10));
  std::vector<std::string> log_lines();

 private:
  callsim::test::RedisServer redis_;
  bool counter_gauge_ = true;
  std::mutex log_mutex_;
  std::vector<std::string> log_;
  std::unique_ptr<Bot> bot_;
};

}  // namespace callsim::bot::test
