#include "raw_redis_server.h"

#include <strings.h>

namespace callsim::test {

namespace {

// Reads "<prefix><number>\r\n".
bool read_count(int fd, char prefix, long& count) {
  std::string line;
  if (!RawSocketServer::read_until(fd, line, "\r\n") || line.size() < 3 || line[0] != prefix) {
    return false;
  }
  count = std::stol(line.substr(1));
  return true;
}

std::optional<std::vector<std::string>> read_command(int fd) {
  long items = 0;
  if (!read_count(fd, '*', items)) return std::nullopt;
  std::vector<std::string> args;
  for (long i = 0; i < items; ++i) {
    long length = 0;
    std::string arg;
    if (!read_count(fd, '$', length) ||
        !RawSocketServer::read_exactly(fd, arg, static_cast<size_t>(length) + 2)) {
      return std::nullopt;
    }
    arg.resize(static_cast<size_t>(length));
    args.push_back(std::move(arg));
  }
  return args;
}

std::string default_reply(const std::vector<std::string>& args) {
  if (!args.empty() && ::strcasecmp(args[0].c_str(), "PING") == 0) return "+PONG\r\n";
  return "+OK\r\n";
}

}  // namespace

RawRedisServer::RawRedisServer(Answer answer)
    : answer_(std::move(answer)), server_([this](int fd, size_t) { serve(fd); }) {}

void RawRedisServer::serve(int fd) {
  while (auto args = read_command(fd)) {
    std::optional<std::string> reply = answer_(*args);
    if (!RawSocketServer::write_all(fd, reply ? *reply : default_reply(*args))) return;
  }
}

}  // namespace callsim::test
