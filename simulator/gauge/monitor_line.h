#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace callsim {

// One line of Redis MONITOR output, e.g.
//   1700000000.123456 [0 127.0.0.1:50312] "INCRBY" "calls:active_count" "1"
//   1700000000.123470 [0 lua] "DECR" "calls:active_count"
// Arguments are decoded from Redis's sdscatrepr quoting (\" \\ \n \r \t \a \b \xHH).
struct MonitorLine {
  int64_t time_us = 0;  // Redis wall clock (gettimeofday on the server), microseconds
  int db = 0;           // database the command ran in
  std::string client;   // "127.0.0.1:50312", "unix:/path.sock", or "lua" (scripts and functions)
  std::vector<std::string> args;  // args[0] is the command name as the client spelled it

  bool from_script() const { return client == "lua"; }
};

// Parses one line; nullopt when it is not in MONITOR's format (the caller counts those).
// Never reads past `line`, whatever it holds.
std::optional<MonitorLine> parse_monitor_line(std::string_view line);

}  // namespace callsim
