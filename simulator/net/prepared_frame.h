#pragma once

#include <string_view>

#include "net/ws_client.h"

namespace callsim {

// Sends a text message as an already-framed, already-masked websocketpp message that is reused
// from one send to the next. websocketpp's own send path allocates two messages, copies the
// payload twice and re-validates UTF-8 byte by byte for every frame; callsim's messages are
// ASCII JSON it built itself, so on the per-frame path it frames them once with websocketpp's
// frame primitives and hands the result over ready to write.
class PreparedTextSender {
 public:
  // Returns the error websocketpp reports (e.g. the connection is no longer open). Works for
  // plain and TLS connections alike: both configurations share websocketpp's message type.
  template <typename ConnectionPtr>
  std::error_code send(ConnectionPtr& connection, std::string_view text) {
    return connection->send(prepare(text));
  }

 private:
  const WsMessage& prepare(std::string_view text);

  WsMessage message_;
  FastMaskRng<uint32_t> rng_;
};

}  // namespace callsim
