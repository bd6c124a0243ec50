#pragma once

#include <atomic>
#include <cstddef>
#include <string>

#include "raw_socket_server.h"

namespace callsim::test {

// A Media Streams server that stops reading: it upgrades, reads callsim's messages up to `start`
// (for the streamSid), may then flood the call with pings or marks, and never reads again. Its
// sockets stay open, unread, until it is destroyed; callsim's close is never answered.
class StalledServer {
 public:
  enum class Flood { kNone, kPings, kMarks };
  // The most a control frame may carry. Each pong echoes it, so a flood fills callsim's send
  // buffer (up to tcp_wmem's 4 MB) after some 32,000 pings, well inside a short call even when a
  // sanitized build reads a few hundred thousand pings a second.
  static constexpr size_t kPingPayloadBytes = 125;
  // `receive_buffer`: SO_RCVBUF for each connection (0 keeps the kernel's), so that a short call
  // already fills what this side's kernel takes and the rest stays on callsim's side.
  StalledServer(Flood flood, size_t count, int receive_buffer = 0);
  ~StalledServer();

  std::string url() const { return "ws://127.0.0.1:" + std::to_string(port()) + "/stream"; }
  int port() const { return server_.port(); }
  // Connections whose flood was written out whole.
  size_t floods_written() const { return floods_written_; }

 private:
  void serve(int fd);

  const Flood flood_;
  const size_t count_;
  const int receive_buffer_;
  std::atomic<bool> stopping_{false};
  std::atomic<size_t> floods_written_{0};
  RawSocketServer server_;  // last: its threads see the members above constructed
};

}  // namespace callsim::test
