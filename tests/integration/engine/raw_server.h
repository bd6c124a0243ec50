#pragma once

#include <atomic>
#include <string>
#include <thread>

namespace callsim::test {

// A TCP server on 127.0.0.1:<port 0> that answers every WebSocket upgrade with exactly the bytes
// a test gives it, and keeps the socket open until destroyed: for servers that break the
// protocol in ways a WebSocket library refuses to.
class RawServer {
 public:
  // `answer` is sent verbatim after the request's headers; "{accept}" in it is replaced by the
  // Sec-WebSocket-Accept for the client's key.
  explicit RawServer(std::string answer);
  ~RawServer();
  RawServer(const RawServer&) = delete;
  RawServer& operator=(const RawServer&) = delete;

  int port() const { return port_; }
  std::string url() const { return "ws://127.0.0.1:" + std::to_string(port_) + "/stream"; }
  // The answer to an upgrade, a 101 with a valid accept key, followed by `after` (frames).
  static std::string upgrade_then(const std::string& after, const std::string& extra_headers = "");
  // The Sec-WebSocket-Accept that answers an upgrade request (its whole text).
  static std::string accept_for(const std::string& request);

 private:
  void serve();
  std::string answer_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace callsim::test
