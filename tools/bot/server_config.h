#pragma once

// The websocketpp server configurations of one network thread: each thread owns its endpoint and
// io_context, so no locks (concurrency::none); limits sized for Twilio's traffic, so a hostile
// client is refused early instead of buffered. The plain and TLS configurations differ only in
// the socket.

// asio chooses between aligned_alloc and operator new from a macro the standard library defines,
// so a standard header must come first or files disagree (ASan: alloc-dealloc-mismatch).
#include <cstddef>

#include <websocketpp/concurrency/none.hpp>
#include <websocketpp/config/asio.hpp>
#include <websocketpp/server.hpp>

namespace callsim::bot {

template <typename Socket>
struct BotServerConfig : public websocketpp::config::asio {
  typedef BotServerConfig type;
  typedef websocketpp::config::asio base;

  typedef websocketpp::concurrency::none concurrency_type;
  typedef base::request_type request_type;
  typedef base::response_type response_type;
  typedef base::message_type message_type;
  typedef base::con_msg_manager_type con_msg_manager_type;
  typedef base::endpoint_msg_manager_type endpoint_msg_manager_type;
  typedef websocketpp::log::basic<concurrency_type, websocketpp::log::elevel> elog_type;
  typedef websocketpp::log::basic<concurrency_type, websocketpp::log::alevel> alog_type;
  typedef base::rng_type rng_type;

  static const bool enable_multithreading = false;
  // Twilio's largest message is `start` (custom parameters under 500 characters each); a
  // caller message beyond this closes the stream with 1009.
  static const size_t max_message_size = 64 * 1024;
  // Webhook bodies are a few hundred bytes of form fields.
  static const size_t max_http_body_size = 64 * 1024;
  static const long timeout_open_handshake = 5000;
  static const long timeout_close_handshake = 1000;

  struct transport_config : public base::transport_config {
    typedef typename type::concurrency_type concurrency_type;
    typedef typename type::alog_type alog_type;
    typedef typename type::elog_type elog_type;
    typedef typename type::request_type request_type;
    typedef typename type::response_type response_type;
    typedef Socket socket_type;
    static const bool enable_multithreading = false;
    // A TLS close waits for the caller's close_notify, which websocketpp's own client (and
    // perhaps others) sends only after its 5 s close timeout; the call's close, and with it the
    // release of a slot still held, must not wait that long. TLS 1.3 lets a side close without
    // waiting (RFC 8446 §6.1).
    static const long timeout_socket_shutdown = 1000;
  };
  typedef websocketpp::transport::asio::endpoint<transport_config> transport_type;
};

using PlainServerConfig = BotServerConfig<websocketpp::transport::asio::basic_socket::endpoint>;
using TlsServerConfig = BotServerConfig<websocketpp::transport::asio::tls_socket::endpoint>;

template <typename Config>
using Server = websocketpp::server<Config>;
template <typename Config>
using ServerConnection = typename Server<Config>::connection_ptr;

}  // namespace callsim::bot
