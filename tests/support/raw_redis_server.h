#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "raw_socket_server.h"

namespace callsim::test {

// A Redis stand-in speaking RESP on a raw socket: each command (an array of bulk strings) is
// answered with exactly the bytes `answer` returns, so tests can send replies a real Redis
// never would. PING, SELECT and AUTH get +OK/+PONG unless `answer` returns something.
class RawRedisServer {
 public:
  using Answer = std::function<std::optional<std::string>(const std::vector<std::string>&)>;
  explicit RawRedisServer(Answer answer);

  std::string url() const { return "redis://127.0.0.1:" + std::to_string(server_.port()) + "/0"; }

 private:
  void serve(int fd);

  Answer answer_;
  RawSocketServer server_;  // last: its threads use the members above
};

}  // namespace callsim::test
