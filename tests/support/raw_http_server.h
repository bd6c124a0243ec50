#pragma once

#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "raw_socket_server.h"

namespace callsim::test {

// An HTTP/1.1 server that answers each request with exactly the bytes a test gives, well-formed
// or not, then closes the connection (one request per connection).
class RawHttpServer {
 public:
  struct Request {
    size_t number = 0;  // 0 for the first request
    std::string head;   // request line and headers, as received
    std::string body;   // Content-Length bytes
  };
  // The bytes to send; nullopt: never answer, keeping the connection open until the client
  // gives up or the server is destroyed.
  using Answer = std::function<std::optional<std::string>(const Request&)>;

  explicit RawHttpServer(Answer answer);

  int port() const { return server_.port(); }
  std::string url(const std::string& path = "/") const;
  std::vector<Request> requests() const;

  // A complete response with Content-Length and Connection: close; `extra_headers` are lines
  // ending in \r\n.
  static std::string response(int status, const std::string& body,
                              const std::string& content_type = "application/json",
                              const std::string& extra_headers = "");

 private:
  void serve(int fd);

  Answer answer_;
  mutable std::mutex mutex_;
  std::vector<Request> requests_;
  RawSocketServer server_;  // last: its threads use the members above
};

}  // namespace callsim::test
