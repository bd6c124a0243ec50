#pragma once

#include <cstddef>
#include <string>

#include <websocketpp/common/memory.hpp>
#include <websocketpp/http/response.hpp>

namespace callsim {

// The parser websocketpp's client reads the server's answer to the upgrade with (the client
// config's response_type), plus what websocketpp 0.8.2 lacks: it judges an answer only line by
// line, so bytes that cannot be HTTP and hold no "\r\n" (a TLS record, an SSH banner cut short)
// wait out the whole handshake timeout, and a malformed answer fails as "Generic error". This one
// judges the first bytes as they arrive, and keeps them, so that a failed or stalled upgrade says
// what came back.
class UpgradeResponse : public websocketpp::http::parser::response {
 public:
  using response::consume;
  // websocketpp's parsing, but it throws websocketpp::http::exception (which fails the
  // connection) as soon as the bytes cannot start an HTTP status line, and records why any
  // parse failed.
  size_t consume(char const* buf, size_t len);

  // The first bytes of the answer (at most 64), however far parsing got.
  const std::string& first_bytes() const { return first_bytes_; }
  size_t bytes_received() const { return bytes_received_; }
  // "" while the answer is HTTP so far; otherwise why it is not, naming the bytes.
  const std::string& parse_error() const { return parse_error_; }
  // The status code as the server wrote it (0 until the status line's code has arrived).
  // websocketpp's status_code enum only holds 0..511: a code above that (599, 999) is handed to
  // it as 500, since loading it into the enum is undefined behaviour (found by fuzzing); this
  // keeps the real number for the call's record.
  int status_number() const { return status_number_; }

 private:
  // Bytes held back until the status line's code is complete, so that it can be judged (and
  // replaced) before websocketpp parses it.
  std::string held_;
  int status_number_ = 0;
  std::string first_bytes_;
  size_t bytes_received_ = 0;
  std::string parse_error_;
};

}  // namespace callsim
