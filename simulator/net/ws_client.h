#pragma once

// The websocketpp client configuration callsim's workers use: one endpoint per worker thread, so
// no locks (concurrency::none, no strands); a cheap PRNG for frame masking keys instead of a
// system call per frame; logging off (a load generator must not write per-connection lines).

#include <cstdint>
#include <random>
#include <type_traits>

#include <websocketpp/client.hpp>
#include <websocketpp/concurrency/none.hpp>
#include <websocketpp/config/asio_client.hpp>

#include "net/fast_text_read_socket.h"
#include "net/upgrade_response.h"

namespace callsim {

// A fresh seed per masking-key generator: splitmix64 over one std::random_device draw per thread.
// Every call has a generator, and constructing a std::random_device probes the CPU or opens a
// device each time: two per call were 2.8 % of the CPU of opening a thousand calls at once.
inline uint64_t fresh_mask_seed() {
  thread_local uint64_t state = (uint64_t(std::random_device{}()) << 32) ^ std::random_device{}();
  uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// xorshift64*: masking keys only need to be unpredictable to intermediaries, not to attackers,
// and std::random_device per frame costs a syscall on the hot path.
template <typename IntType>
class FastMaskRng {
 public:
  FastMaskRng() : state_(fresh_mask_seed() | 1) {}
  IntType operator()() {
    state_ ^= state_ >> 12;
    state_ ^= state_ << 25;
    state_ ^= state_ >> 27;
    return static_cast<IntType>((state_ * 0x2545F4914F6CDD1DULL) >> 32);
  }

 private:
  uint64_t state_;
};

struct WsClientConfig : public websocketpp::config::asio_client {
  typedef WsClientConfig type;
  typedef websocketpp::config::asio_client base;

  typedef websocketpp::concurrency::none concurrency_type;
  typedef base::request_type request_type;
  typedef UpgradeResponse response_type;
  typedef base::message_type message_type;
  typedef base::con_msg_manager_type con_msg_manager_type;
  typedef base::endpoint_msg_manager_type endpoint_msg_manager_type;
  typedef websocketpp::log::basic<concurrency_type, websocketpp::log::elevel> elog_type;
  typedef websocketpp::log::basic<concurrency_type, websocketpp::log::alevel> alog_type;
  typedef FastMaskRng<uint32_t> rng_type;

  static const bool enable_multithreading = false;
  // Server frames (bot speech, garbage) can be large; refuse only the absurd.
  static const size_t max_message_size = 16 * 1024 * 1024;
  // The worker bounds the whole open handshake (DNS, TCP, TLS, upgrade) by --handshake-timeout
  // itself and turns each connection's own upgrade timer off; this is only the default.
  static const long timeout_open_handshake = 10000;
  static const long timeout_close_handshake = 3000;

  struct transport_config : public base::transport_config {
    typedef type::concurrency_type concurrency_type;
    typedef type::alog_type alog_type;
    typedef type::elog_type elog_type;
    typedef type::request_type request_type;
    typedef type::response_type response_type;
    typedef FastTextReadSocket::endpoint socket_type;
    static const bool enable_multithreading = false;
    // Ceilings far beyond any sane --handshake-timeout, which the worker enforces per call: these
    // are per build, not per run, and one firing first would cut the flag short. 0 turns the
    // TLS handshake's timer (5 s by default, reported as a TLS error) off.
    static const long timeout_dns_resolve = 3600 * 1000;
    static const long timeout_connect = 3600 * 1000;
    static const long timeout_socket_post_init = 0;
    static const long timeout_socket_shutdown = 3000;
  };
  typedef websocketpp::transport::asio::endpoint<transport_config> transport_type;
};

// The same for wss://: websocketpp's TLS socket over OpenSSL.
struct WssClientConfig : public WsClientConfig {
  typedef WssClientConfig type;
  struct transport_config : public WsClientConfig::transport_config {
    typedef websocketpp::transport::asio::tls_socket::endpoint socket_type;
  };
  typedef websocketpp::transport::asio::endpoint<transport_config> transport_type;
};

using WsClient = websocketpp::client<WsClientConfig>;
using WssClient = websocketpp::client<WssClientConfig>;
// Both configurations share websocketpp's message type.
using WsMessage = WsClient::message_ptr;
static_assert(std::is_same_v<WsMessage, WssClient::message_ptr>);

}  // namespace callsim
