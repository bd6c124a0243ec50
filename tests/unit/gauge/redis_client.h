#pragma once

#include <hiredis/hiredis.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "redis_server.h"

namespace callsim::test {

// A test's own Redis client: argv commands, so values need no escaping.
class Client {
 public:
  explicit Client(const RedisServer& server) : ctx_(server.connect()) {}
  RedisReplyPtr operator()(const std::vector<std::string>& args) {
    std::vector<const char*> argv;
    std::vector<size_t> lengths;
    for (const auto& a : args) {
      argv.push_back(a.data());
      lengths.push_back(a.size());
    }
    RedisReplyPtr reply(static_cast<redisReply*>(
        redisCommandArgv(ctx_.get(), static_cast<int>(argv.size()), argv.data(), lengths.data())));
    if (!reply) throw std::runtime_error(std::string("redis: ") + ctx_->errstr);
    return reply;
  }
  std::string text(const std::vector<std::string>& args) {
    auto r = (*this)(args);
    return r->str ? std::string(r->str, r->len) : std::string();
  }
  long long integer(const std::vector<std::string>& args) { return (*this)(args)->integer; }

 private:
  RedisContextPtr ctx_;
};

}  // namespace callsim::test
