#pragma once

#include <string>
#include <string_view>

namespace callsim {

// Where a Redis server is and how to log in, parsed from the URL forms callsim and callsim-bot
// accept: redis://[[user]:password@]host[:port][/db] and unix:///path/to.sock[?db=N&password=P].
struct RedisUrl {
  bool is_unix = false;
  std::string host = "127.0.0.1";
  int port = 6379;
  std::string socket_path;  // set when is_unix
  std::string username;     // Redis 6 ACL user; empty means the default user
  std::string password;     // empty: no AUTH
  int db = 0;

  // The URL with the password masked, safe for logs and reports.
  std::string display() const;
};

// Throws InputError naming the problem.
RedisUrl parse_redis_url(std::string_view url);

}  // namespace callsim
