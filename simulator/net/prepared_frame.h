#pragma once

#include <cstddef>
#include <deque>
#include <string_view>

#include "net/ws_client.h"

namespace callsim {

// Sends text messages (and pongs) as already-framed, already-masked websocketpp messages that are
// reused from one send to the next. websocketpp's own send path allocates two messages, copies
// the payload twice and re-validates UTF-8 byte by byte for every frame; callsim's messages are
// ASCII JSON it built itself, so on the per-frame path it frames them once with websocketpp's
// frame primitives and hands the result over ready to write.
//
// It also keeps count of what websocketpp still holds of it. websocketpp queues without limit
// and its get_buffered_amount() sees neither frame headers nor the write in progress, so a
// server that stops reading is seen here: every message handed over is kept until websocketpp
// lets go of it (written out whole), in order, since websocketpp writes in order.
class PreparedTextSender {
 public:
  // Returns the error websocketpp reports (e.g. the connection is no longer open). Works for
  // plain and TLS connections alike: both configurations share websocketpp's message type.
  template <typename ConnectionPtr>
  std::error_code send(ConnectionPtr& connection, std::string_view text) {
    return hand_over(connection, prepare(websocketpp::frame::opcode::text, text));
  }
  // A pong callsim frames itself (websocketpp's automatic one would escape the count).
  template <typename ConnectionPtr>
  std::error_code send_pong(ConnectionPtr& connection, std::string_view payload) {
    return hand_over(connection, prepare(websocketpp::frame::opcode::pong, payload));
  }

  // Frame bytes (header and payload) and frames handed to websocketpp and not yet written out.
  size_t held_bytes() {
    release();
    return held_bytes_;
  }
  size_t held_frames() {
    release();
    return held_.size();
  }
  // The bytes a frame of `payload_size` takes on the wire, as a client (masked) sends it.
  static size_t frame_size(size_t payload_size);

 private:
  template <typename ConnectionPtr>
  std::error_code hand_over(ConnectionPtr& connection, const WsMessage& message) {
    std::error_code ec = connection->send(message);
    if (ec) {
      spare_ = message;
      return ec;
    }
    held_bytes_ += message->get_header().size() + message->get_payload().size();
    held_.push_back(message);
    return ec;
  }
  WsMessage prepare(websocketpp::frame::opcode::value opcode, std::string_view payload);
  // Forgets the messages websocketpp has let go of, keeping the last one for reuse.
  void release();

  std::deque<WsMessage> held_;
  size_t held_bytes_ = 0;
  WsMessage spare_;
  FastMaskRng<uint32_t> rng_;
};

}  // namespace callsim
