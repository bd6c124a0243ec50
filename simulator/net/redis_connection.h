#pragma once

#include <hiredis/hiredis.h>

#include <chrono>
#include <memory>
#include <string>

#include "core/redis_url.h"

namespace callsim {

struct RedisReplyDeleter {
  void operator()(redisReply* r) const {
    if (r) freeReplyObject(r);
  }
};
using RedisReply = std::unique_ptr<redisReply, RedisReplyDeleter>;

struct RedisContextDeleter {
  void operator()(redisContext* c) const {
    if (c) redisFree(c);
  }
};
using RedisContext = std::unique_ptr<redisContext, RedisContextDeleter>;

// A blocking hiredis connection that is connected, authenticated and on the right database, or
// an UnreachableError saying which of those steps failed and why.
RedisContext connect_redis(const RedisUrl& url,
                           std::chrono::milliseconds timeout = std::chrono::milliseconds(2000));

// Runs one command (argv form, so values need no escaping). Throws UnreachableError when the
// connection fails; a Redis error reply is returned as a reply of type REDIS_REPLY_ERROR.
RedisReply redis_command(redisContext* ctx, std::initializer_list<std::string> argv);

}  // namespace callsim
