#pragma once

// A single-threaded websocketpp server configuration (concurrency::none, one io_context per
// server) for the small servers callsim's tests and benchmarks run in-process.

#include <cstddef>

#include <websocketpp/concurrency/none.hpp>
#include <websocketpp/config/asio_no_tls.hpp>
#include <websocketpp/server.hpp>

namespace callsim {

struct WsServerConfig : public websocketpp::config::asio {
  typedef WsServerConfig type;
  typedef websocketpp::config::asio base;
  typedef websocketpp::concurrency::none concurrency_type;
  typedef websocketpp::log::basic<concurrency_type, websocketpp::log::elevel> elog_type;
  typedef websocketpp::log::basic<concurrency_type, websocketpp::log::alevel> alog_type;
  static const bool enable_multithreading = false;
  struct transport_config : public base::transport_config {
    typedef type::concurrency_type concurrency_type;
    typedef type::alog_type alog_type;
    typedef type::elog_type elog_type;
    static const bool enable_multithreading = false;
    static const int listen_backlog = 4096;
  };
  typedef websocketpp::transport::asio::endpoint<transport_config> transport_type;
};

using WsServer = websocketpp::server<WsServerConfig>;

}  // namespace callsim
