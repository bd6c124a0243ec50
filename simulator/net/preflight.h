#pragma once

#include <chrono>
#include <string>

namespace callsim {

struct TargetAddress {
  bool secure = false;
  std::string host;
  int port = 0;
  std::string resource;  // path and query
};

// Splits a ws:// or wss:// URL; InputError naming --url when it is malformed.
TargetAddress parse_target_url(const std::string& url);
// Splits an http:// or https:// URL; InputError naming `flag` when it is malformed.
TargetAddress parse_http_url(const std::string& url, const std::string& flag);

// Opens (and closes) one TCP connection to the target, so that a server that is down is reported
// as unreachable (exit 3) before any call is placed rather than as N refused calls.
void check_reachable(const TargetAddress& target, std::chrono::milliseconds timeout);

// Raises RLIMIT_NOFILE as far as allowed and checks that `concurrent` calls fit in file
// descriptors and local ports; InputError (exit 2) saying which limit and how to raise it.
void ensure_capacity_for(int concurrent);

}  // namespace callsim
