#pragma once

#include <cstddef>
#include <deque>
#include <string>
#include <string_view>
#include <type_traits>

#include "net/ws_client.h"

namespace callsim {

// Sends text messages (and pongs) that callsim frames and masks itself, straight to the socket
// when websocketpp has nothing of the connection's queued or being written: websocketpp's own
// send path allocates two messages, copies the payload twice, re-validates UTF-8 byte by byte and
// goes through a queue, an asio write operation and its completion handler for every frame,
// which cost about as much again as the kernel's own loopback path. callsim's messages are ASCII
// JSON it built itself, so one non-blocking send() of the framed bytes is all a frame needs.
// When the kernel takes only part of a frame (a server that reads slowly), or something is
// queued already, or the connection is TLS, what is left goes to websocketpp as a message that
// is already framed, and websocketpp writes it after whatever it holds, in order.
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
    return transmit(connection, websocketpp::frame::opcode::text, text);
  }
  // A pong callsim frames itself (websocketpp's automatic one would escape the count).
  template <typename ConnectionPtr>
  std::error_code send_pong(ConnectionPtr& connection, std::string_view payload) {
    return transmit(connection, websocketpp::frame::opcode::pong, payload);
  }

  // callsim closes the socket itself behind websocketpp's back (a reset mid-call), which still
  // reports the connection open: the descriptor's number may go to the next socket opened.
  void forget_socket() { fd_ = -1; }

  // Frame bytes (header and payload) and frames handed to websocketpp and not yet written out.
  size_t held_bytes() {
    release();
    return held_bytes_;
  }
  size_t held_frames() {
    release();
    return held_.size();
  }
  // Frames that went straight to the socket, whole, and frames that went through websocketpp.
  uint64_t frames_written_directly() const { return frames_direct_; }
  uint64_t frames_handed_over() const { return frames_handed_over_; }
  // The bytes a frame of `payload_size` takes on the wire, as a client (masked) sends it.
  static size_t frame_size(size_t payload_size);

 private:
  template <typename ConnectionPtr>
  std::error_code transmit(ConnectionPtr& connection, websocketpp::frame::opcode::value opcode,
                           std::string_view payload) {
    frame(opcode, payload);
    size_t written = 0;
    // Only a plain socket can be written past websocketpp; a TLS stream has its own state.
    if constexpr (std::is_same_v<ConnectionPtr, WsClient::connection_ptr>) {
      if (held_frames() == 0 && connection->get_state() == websocketpp::session::state::open) {
        // The socket sits behind two of websocketpp's pointers, each a cache miss per frame
        // with a thousand calls; its descriptor does not change while the connection is open.
        if (fd_ < 0) fd_ = connection->get_raw_socket().native_handle();
        written = write_directly(fd_);
        if (written == wire_.size()) {
          ++frames_direct_;
          return {};
        }
      }
    }
    return hand_over(connection, unwritten_message(written));
  }
  template <typename ConnectionPtr>
  std::error_code hand_over(ConnectionPtr& connection, const WsMessage& message) {
    std::error_code ec = connection->send(message);
    if (ec) {
      spare_ = message;
      return ec;
    }
    ++frames_handed_over_;
    held_bytes_ += message->get_header().size() + message->get_payload().size();
    held_.push_back(message);
    return ec;
  }
  // Frames `payload` into wire_: the header, then the payload masked with a fresh key.
  void frame(websocketpp::frame::opcode::value opcode, std::string_view payload);
  // What the kernel took of wire_ at once (0 when it took nothing or the socket failed: the
  // failure then surfaces through websocketpp's own write of the rest).
  size_t write_directly(int fd);
  // wire_ from `written` on, as a message websocketpp writes as it is.
  WsMessage unwritten_message(size_t written);
  // Forgets the messages websocketpp has let go of, keeping the last one for reuse.
  void release();

  std::string wire_;
  int fd_ = -1;  // the connection's socket, once first written to directly
  std::deque<WsMessage> held_;
  size_t held_bytes_ = 0;
  uint64_t frames_direct_ = 0;
  uint64_t frames_handed_over_ = 0;
  WsMessage spare_;
  FastMaskRng<uint32_t> rng_;
};

}  // namespace callsim
