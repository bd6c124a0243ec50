#include "redis_server.h"

#include <cstdarg>
#include <stdexcept>
#include <thread>

namespace callsim::test {

RedisServer::RedisServer(Options options) : options_(std::move(options)) {
  socket_path_ = dir_.path() + "/redis.sock";
  port_ = options_.tcp ? free_tcp_port() : 0;
  std::vector<std::string> argv = {"redis-server",
                                   "--port",
                                   std::to_string(port_),
                                   "--bind",
                                   "127.0.0.1",
                                   "--unixsocket",
                                   socket_path_,
                                   "--unixsocketperm",
                                   "700",
                                   "--dir",
                                   dir_.path(),
                                   "--save",
                                   "",
                                   "--appendonly",
                                   "no",
                                   "--daemonize",
                                   "no",
                                   "--maxclients",
                                   "10000"};
  if (!options_.password.empty()) {
    argv.push_back("--requirepass");
    argv.push_back(options_.password);
  }
  process_ = std::make_unique<ChildProcess>(argv, dir_.path() + "/redis.log");

  bool ready = eventually(
      [&] {
        if (!process_->running()) return true;
        try {
          auto reply = command("PING");
          return reply && reply->type == REDIS_REPLY_STATUS;
        } catch (const std::exception&) {
          return false;
        }
      },
      std::chrono::milliseconds(10000));
  if (!ready || !process_->running()) {
    throw std::runtime_error("redis-server did not start: " + process_->output());
  }
}

RedisServer::~RedisServer() = default;

void RedisServer::signal(int signo) {
  process_->signal(signo);
}

std::string RedisServer::tcp_url() const {
  if (!port_) throw std::logic_error("RedisServer started without TCP");
  std::string auth = options_.password.empty() ? "" : ":" + options_.password + "@";
  return "redis://" + auth + "127.0.0.1:" + std::to_string(port_) + "/0";
}

RedisContextPtr RedisServer::connect() const {
  timeval timeout{2, 0};
  RedisContextPtr ctx(redisConnectUnixWithTimeout(socket_path_.c_str(), timeout));
  if (!ctx || ctx->err) {
    throw std::runtime_error("cannot connect to " + socket_path_ + ": " +
                             (ctx ? ctx->errstr : "out of memory"));
  }
  if (!options_.password.empty()) {
    RedisReplyPtr auth(
        static_cast<redisReply*>(redisCommand(ctx.get(), "AUTH %s", options_.password.c_str())));
    if (!auth || auth->type == REDIS_REPLY_ERROR) throw std::runtime_error("AUTH failed");
  }
  return ctx;
}

RedisReplyPtr RedisServer::command(const char* format, ...) const {
  auto ctx = connect();
  va_list args;
  va_start(args, format);
  RedisReplyPtr reply(static_cast<redisReply*>(redisvCommand(ctx.get(), format, args)));
  va_end(args);
  if (!reply) throw std::runtime_error(std::string("redis command failed: ") + ctx->errstr);
  return reply;
}

}  // namespace callsim::test
