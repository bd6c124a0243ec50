#include "redis_connection.h"

#include <vector>

#include <fmt/format.h>

#include "core/errors.h"

namespace callsim {

RedisContext connect_redis(const RedisUrl& url, std::chrono::milliseconds timeout) {
  timeval tv{static_cast<time_t>(timeout.count() / 1000),
             static_cast<suseconds_t>((timeout.count() % 1000) * 1000)};
  RedisContext ctx(url.is_unix ? redisConnectUnixWithTimeout(url.socket_path.c_str(), tv)
                               : redisConnectWithTimeout(url.host.c_str(), url.port, tv));
  if (!ctx) throw UnreachableError(fmt::format("Redis {}: out of memory", url.display()));
  if (ctx->err) {
    throw UnreachableError(
        fmt::format("cannot connect to Redis {}: {}", url.display(), ctx->errstr));
  }
  redisSetTimeout(ctx.get(), tv);
  if (!url.password.empty()) {
    RedisReply reply = url.username.empty()
                           ? redis_command(ctx.get(), {"AUTH", url.password})
                           : redis_command(ctx.get(), {"AUTH", url.username, url.password});
    if (reply->type == REDIS_REPLY_ERROR) {
      throw UnreachableError(
          fmt::format("Redis {} refused the password: {}", url.display(), reply->str));
    }
  }
  RedisReply ping = redis_command(ctx.get(), {"PING"});
  if (ping->type == REDIS_REPLY_ERROR) {
    throw UnreachableError(fmt::format("Redis {} refused PING: {}", url.display(), ping->str));
  }
  if (url.db != 0) {
    RedisReply reply = redis_command(ctx.get(), {"SELECT", std::to_string(url.db)});
    if (reply->type == REDIS_REPLY_ERROR) {
      throw UnreachableError(
          fmt::format("Redis {} cannot select database {}: {}", url.display(), url.db, reply->str));
    }
  }
  return ctx;
}

RedisReply redis_command(redisContext* ctx, std::initializer_list<std::string> argv) {
  std::vector<const char*> args;
  std::vector<size_t> lengths;
  for (const auto& a : argv) {
    args.push_back(a.data());
    lengths.push_back(a.size());
  }
  RedisReply reply(static_cast<redisReply*>(
      redisCommandArgv(ctx, static_cast<int>(args.size()), args.data(), lengths.data())));
  if (!reply) {
    throw UnreachableError(fmt::format("Redis connection lost: {}", ctx->errstr));
  }
  return reply;
}

}  // namespace callsim
