#pragma once

#include "test_certificate.h"

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace callsim::test {

// One request the server received.
struct HttpExchange {
  std::string method;
  std::string resource;                        // path and query
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
};

// What the handler tells the server to answer.
struct HttpReply {
  int status = 200;
  std::string body;
  std::string content_type = "text/xml";
  bool never = false;  // read the request, then never answer (the connection stays open)
};

using HttpHandler = std::function<HttpReply(const HttpExchange&)>;

// A real HTTP/1.1 server on 127.0.0.1:<port 0>, in-process on its own thread (websocketpp's
// HTTP handler), recording every request. With `tls_cert_file`/`tls_key_file` (PEM) it speaks
// HTTPS instead. The handler runs on the server's thread.
class HttpTestServer {
 public:
  explicit HttpTestServer(HttpHandler handler, const std::string& tls_cert_file = "",
                          const std::string& tls_key_file = "");
  ~HttpTestServer();
  HttpTestServer(const HttpTestServer&) = delete;
  HttpTestServer& operator=(const HttpTestServer&) = delete;

  int port() const;
  // "http://127.0.0.1:<port><path>" (https with TLS).
  std::string url(const std::string& path = "/") const;
  std::vector<HttpExchange> exchanges() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace callsim::test
