#pragma once

#include <functional>
#include <memory>
#include <string>

namespace callsim::test {

// A TCP server on 127.0.0.1:<port 0> that hands every accepted connection, on a thread of its
// own, to `serve` with the connection's socket and its number (0 for the first). It is the base
// of test servers that must send what no server library would: wrong framing, huge headers,
// invalid bytes. `serve` may return at any time (the socket is then closed) or block reading;
// the destructor shuts every socket down, so blocked reads end, and joins the threads.
class RawSocketServer {
 public:
  using Serve = std::function<void(int fd, size_t connection)>;
  explicit RawSocketServer(Serve serve);
  ~RawSocketServer();
  RawSocketServer(const RawSocketServer&) = delete;
  RawSocketServer& operator=(const RawSocketServer&) = delete;

  int port() const;
  size_t connections() const;

  // Reads until `text` ends with `terminator` (appending to it); false when the peer closed or
  // the server is shutting down first.
  static bool read_until(int fd, std::string& text, const std::string& terminator);
  // Reads exactly `count` more bytes into `text`.
  static bool read_exactly(int fd, std::string& text, size_t count);
  static bool write_all(int fd, const std::string& bytes);

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace callsim::test
