#pragma once

#include <hiredis/hiredis.h>

#include <memory>
#include <string>

#include "child_process.h"

namespace callsim::test {

struct RedisReplyDeleter {
  void operator()(redisReply* r) const { freeReplyObject(r); }
};
using RedisReplyPtr = std::unique_ptr<redisReply, RedisReplyDeleter>;

struct RedisContextDeleter {
  void operator()(redisContext* c) const { redisFree(c); }
};
using RedisContextPtr = std::unique_ptr<redisContext, RedisContextDeleter>;

// A real redis-server private to one test fixture: its own temp dir, listening on a unix socket
// and (optionally) a free loopback TCP port, persistence off. Ready (answers PING) when the
// constructor returns; killed and its directory removed by the destructor.
class RedisServer {
 public:
  struct Options {
    bool tcp = true;
    std::string password;  // empty: no AUTH required
  };
  RedisServer() : RedisServer(Options{}) {}
  explicit RedisServer(Options options);
  ~RedisServer();

  const std::string& socket_path() const { return socket_path_; }
  int port() const { return port_; }  // 0 when started without TCP
  // URLs in the forms callsim and callsim-bot accept.
  std::string unix_url() const { return "unix://" + socket_path_; }
  std::string tcp_url() const;

  // A fresh synchronous connection over the unix socket (authenticated when a password is set).
  RedisContextPtr connect() const;
  // Runs one command and returns its reply; throws on a connection error.
  RedisReplyPtr command(const char* format, ...) const;
  // Sends the server a signal mid-test: SIGKILL for a Redis that dies, SIGSTOP for one that
  // freezes (SIGCONT thaws it).
  void signal(int signo);

 private:
  TempDir dir_;
  Options options_;
  std::string socket_path_;
  int port_ = 0;
  std::unique_ptr<ChildProcess> process_;
};

}  // namespace callsim::test
