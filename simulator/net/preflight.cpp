#include "preflight.h"

#include <sys/resource.h>

#include <fstream>

#include <fmt/format.h>
#include <asio.hpp>
#include <websocketpp/uri.hpp>

#include "core/errors.h"
#include "core/url.h"

namespace callsim {

TargetAddress parse_target_url(const std::string& url) {
  websocketpp::uri parsed(with_lower_case_scheme(url));
  if (!parsed.get_valid()) throw InputError(fmt::format("--url '{}' is not a valid URL", url));
  if (parsed.get_scheme() != "ws" && parsed.get_scheme() != "wss") {
    throw InputError(fmt::format("--url '{}' must start with ws:// or wss://", url));
  }
  if (parsed.get_host().empty()) throw InputError(fmt::format("--url '{}' has no host", url));
  return TargetAddress{parsed.get_secure(), parsed.get_host(), parsed.get_port(),
                       parsed.get_resource()};
}

TargetAddress parse_http_url(const std::string& url, const std::string& flag) {
  websocketpp::uri parsed(with_lower_case_scheme(url));
  if (!parsed.get_valid() || (parsed.get_scheme() != "http" && parsed.get_scheme() != "https") ||
      parsed.get_host().empty()) {
    throw InputError(fmt::format("{} '{}' is not a valid http:// or https:// URL", flag, url));
  }
  return TargetAddress{parsed.get_secure(), parsed.get_host(), parsed.get_port(),
                       parsed.get_resource()};
}

void check_reachable(const TargetAddress& target, std::chrono::milliseconds timeout) {
  asio::io_context io;
  asio::ip::tcp::resolver resolver(io);
  asio::ip::tcp::socket socket(io);
  std::error_code result = asio::error::would_block;
  resolver.async_resolve(
      target.host, std::to_string(target.port),
      [&](const std::error_code& ec, asio::ip::tcp::resolver::results_type endpoints) {
        if (ec) {
          result = ec;
          return;
        }
        asio::async_connect(socket, endpoints,
                            [&](const std::error_code& connect_ec, const asio::ip::tcp::endpoint&) {
                              result = connect_ec;
                            });
      });
  io.run_for(timeout);
  if (result == asio::error::would_block) {
    throw UnreachableError(fmt::format("cannot reach {}:{}: no answer within {} ms", target.host,
                                       target.port, timeout.count()));
  }
  if (result) {
    throw UnreachableError(
        fmt::format("cannot reach {}:{}: {}", target.host, target.port, result.message()));
  }
}

void ensure_capacity_for(int concurrent) {
  // Sockets plus what the process itself, Redis and the report need.
  const rlim_t needed = static_cast<rlim_t>(concurrent) + 128;
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
    ::getrlimit(RLIMIT_NOFILE, &limit);
  }
  if (limit.rlim_cur < needed) {
    throw InputError(fmt::format(
        "--concurrent {} needs about {} file descriptors but the limit is {} (raise it with "
        "`ulimit -n`)",
        concurrent, needed, static_cast<unsigned long long>(limit.rlim_cur)));
  }
  std::ifstream range_file("/proc/sys/net/ipv4/ip_local_port_range");
  long low = 0, high = 0;
  if (range_file >> low >> high && high >= low) {
    long ports = high - low + 1;
    if (concurrent > ports) {
      throw InputError(fmt::format(
          "--concurrent {} needs as many local ports but only {} are available ({}-{} in "
          "/proc/sys/net/ipv4/ip_local_port_range)",
          concurrent, ports, low, high));
    }
  }
}

}  // namespace callsim
