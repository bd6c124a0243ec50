#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <utility>

namespace callsim::bot::test {

struct HttpResponse {
  int status = 0;  // 0: no parsable answer
  std::string headers;
  std::string body;
};

// Writes `request` verbatim to 127.0.0.1:port over a plain socket and reads until the server
// closes (the bot answers one request per connection).
HttpResponse raw_http(uint16_t port, const std::string& request);

// Connects and closes without sending anything, as a reachability probe does.
void connect_and_close(uint16_t port);

HttpResponse http_get(uint16_t port, const std::string& path);
HttpResponse http_post_form(uint16_t port, const std::string& path, const std::string& body);

// name=value&... with the values percent-encoded.
std::string form_body(std::initializer_list<std::pair<std::string, std::string>> fields);

}  // namespace callsim::bot::test
