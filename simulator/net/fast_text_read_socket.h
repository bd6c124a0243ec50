#pragma once

// websocketpp's plain-TCP socket policy with its own read path. Each read waits for readiness
// and then calls recv() once; a run of received bytes that is nothing but whole plain text frames
// goes straight to the worker (ServerTextSink), and websocketpp sees only the other runs.
//
// Why: asio 1.22 starts every read with a speculative recv(), which after websocketpp re-arms on
// a drained socket returns EAGAIN: two recv() calls per frame received. And websocketpp's own
// per-frame work (frame loop, message allocation, a std::function and shared_ptr copies per read)
// was about 1.7 us of a received frame's 9 us at 500 talking calls. The wait's re-arm is an
// epoll_ctl(MOD) that re-reports a socket already readable, so no readiness edge is lost.

#include <sys/socket.h>
#include <sys/types.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <system_error>
#include <utility>

#include <websocketpp/transport/asio/security/none.hpp>

#include "net/server_frame_scanner.h"

namespace callsim {

// Where plain text frames taken past websocketpp go. `accepting` is asked before every frame:
// websocketpp delivers a data message only while the connection is open, and a frame the sink
// takes may end or close its call, after which the run's later frames are dropped as websocketpp
// drops them.
struct ServerTextSink {
  void* context = nullptr;
  uint32_t slot = 0;
  bool (*accepting)(void* context, uint32_t slot) = nullptr;
  void (*deliver)(void* context, uint32_t slot, std::string_view payload) = nullptr;
};

class FastTextReadStream {
 public:
  using executor_type = asio::ip::tcp::socket::executor_type;

  explicit FastTextReadStream(websocketpp::transport::asio::basic_socket::connection& owner)
      : owner_(owner) {}

  executor_type get_executor() { return socket().get_executor(); }

  // From now on, runs of plain text frames go to `sink` instead of websocketpp.
  void set_text_sink(const ServerTextSink& sink) { sink_ = sink; }
  void clear_text_sink() { sink_ = ServerTextSink{}; }

  template <typename ConstBuffers, typename Handler>
  void async_write_some(const ConstBuffers& buffers, Handler&& handler) {
    socket().async_write_some(buffers, std::forward<Handler>(handler));
  }

  template <typename MutableBuffers, typename Handler>
  void async_read_some(const MutableBuffers& buffers, Handler&& handler) {
    wait_then_read(*asio::buffer_sequence_begin(buffers), std::forward<Handler>(handler));
  }

  // Runs of frames taken past websocketpp, and runs passed to it: tests see the path taken.
  size_t runs_taken() const { return runs_taken_; }
  size_t runs_passed() const { return runs_passed_; }
  // Frames of a taken run that came after the sink stopped accepting.
  size_t frames_dropped() const { return frames_dropped_; }

 private:
  asio::ip::tcp::socket& socket() { return owner_.get_raw_socket(); }

  // One non-blocking recv() with asio's error conventions (end of stream is asio::error::eof).
  size_t receive_now(asio::mutable_buffer target, std::error_code& ec) {
    ssize_t n = ::recv(socket().native_handle(), target.data(), target.size(), MSG_DONTWAIT);
    if (n > 0) return static_cast<size_t>(n);
    if (n == 0 && target.size() > 0) {
      ec = asio::error::eof;
    } else if (n < 0) {
      ec = (errno == EAGAIN || errno == EWOULDBLOCK)
               ? std::error_code(asio::error::would_block)
               : std::error_code(errno, asio::error::get_system_category());
    }
    return 0;
  }

  // The scanner itself judges whether websocketpp stands at a frame boundary.
  bool take_past_websocketpp(std::string_view run) {
    if (sink_.deliver == nullptr || !sink_.accepting(sink_.context, sink_.slot)) {
      scanner_.note_passed(run);
      return false;
    }
    // The sink may clear itself (a call ending) while the run is delivered: copy it first.
    ServerTextSink sink = sink_;
    bool first = true;
    return scanner_.take_plain_text_frames(run, [&](std::string_view payload) {
      if (first || sink.accepting(sink.context, sink.slot)) {
        sink.deliver(sink.context, sink.slot, payload);
      } else {
        ++frames_dropped_;
      }
      first = false;
    });
  }

  // The handler (asio's read operation around websocketpp's) holds websocketpp's connection, and
  // with it this stream, until it is called or destroyed.
  template <typename Handler>
  void wait_then_read(asio::mutable_buffer target, Handler&& handler) {
    socket().async_wait(asio::socket_base::wait_read,
                        [this, target, handler = std::forward<Handler>(handler)](
                            std::error_code ec) mutable { read_when_ready(ec, target, handler); });
  }

  template <typename Handler>
  void read_when_ready(std::error_code ec, asio::mutable_buffer target, Handler& handler) {
    size_t received = 0;
    if (!ec) received = receive_now(target, ec);
    // Readiness without data: an edge whose bytes an earlier recv() already took.
    if (ec == asio::error::would_block) {
      wait_then_read(target, std::move(handler));
      return;
    }
    if (ec || !take_past_websocketpp(
                  std::string_view(static_cast<const char*>(target.data()), received))) {
      if (!ec) ++runs_passed_;
      handler(ec, received);
      return;
    }
    ++runs_taken_;
    // The same read goes on: websocketpp has not seen these bytes. The sink may have closed the
    // socket (a call reset mid-run).
    if (socket().is_open()) {
      wait_then_read(target, std::move(handler));
    } else {
      handler(std::error_code(asio::error::operation_aborted), 0);
    }
  }

  websocketpp::transport::asio::basic_socket::connection& owner_;
  ServerTextSink sink_;
  ServerFrameScanner scanner_;
  size_t runs_taken_ = 0;
  size_t runs_passed_ = 0;
  size_t frames_dropped_ = 0;
};

// The policy websocketpp's transport is configured with: basic_socket's connection and endpoint,
// except that the transport's reads and writes go through FastTextReadStream.
struct FastTextReadSocket {
  class connection : public websocketpp::transport::asio::basic_socket::connection {
   public:
    connection() : stream_(*this) {}
    FastTextReadStream& get_socket() { return stream_; }

   private:
    FastTextReadStream stream_;
  };

  class endpoint : public websocketpp::transport::asio::basic_socket::endpoint {
   public:
    typedef connection socket_con_type;
  };
};

}  // namespace callsim
