// The open handshake's deadline. --handshake-timeout bounds the dial as a whole: DNS, TCP
// connect, TLS and the upgrade's answer. websocketpp times these phases apart, with per-build
// timeouts (a silent TLS peer is cut at 5 s and reported as a TLS error, whatever the flag), and
// its upgrade timer starts only once TLS is done. So the worker keeps one deadline per connecting
// call and ends the connection itself when it passes.
#include <fmt/format.h>

#include "core/duration.h"
#include "core/status_line.h"
#include "run/basic_worker.h"

namespace callsim {

template <typename Client>
void BasicWorker<Client>::watch_open_handshake(uint32_t slot, TimePoint now) {
  Call& call = *slots_[slot];
  call.handshake_deadline = now + settings_.handshake_timeout;
  // Off: the deadline covers the upgrade too, and websocketpp's timer would end a TLS connection
  // with a close_notify that waits up to 3 s more on a peer that does not read.
  call.connection->set_open_handshake_timeout(0);
  call.connection->set_tcp_pre_init_handler([this, slot](websocketpp::connection_hdl hdl) {
    if (Call* live = connecting_call(slot, hdl)) {
      live->tcp_connected = true;
      return;
    }
    // A connection given up on whose TCP connect still went through (the next address of a
    // host name): it must not go on to TLS and the upgrade.
    std::error_code ec;
    if (auto stale = client_.get_con_from_hdl(hdl, ec)) stale->get_raw_socket().close(ec);
  });
  call.connection->set_tcp_post_init_handler([this, slot](websocketpp::connection_hdl hdl) {
    Call* live = connecting_call(slot, hdl);
    if (!live) return;
    live->transport_ready = true;
    // 20 ms frames are small writes: without TCP_NODELAY, Nagle holds them back tens of ms.
    std::error_code ignored;
    live->connection->get_raw_socket().set_option(asio::ip::tcp::no_delay(true), ignored);
  });
  schedule(slot, call.handshake_deadline);
}

template <typename Client>
typename BasicWorker<Client>::Call* BasicWorker<Client>::connecting_call(
    uint32_t slot, websocketpp::connection_hdl hdl) {
  // The slot may hold a later call by the time a handler of an ended connection runs.
  Call& call = *slots_[slot];
  if (call.state != Call::State::kConnecting || !call.connection) return nullptr;
  std::error_code ec;
  if (client_.get_con_from_hdl(hdl, ec) != call.connection) return nullptr;
  return &call;
}

template <typename Client>
void BasicWorker<Client>::on_handshake_deadline(uint32_t slot, TimePoint now) {
  Call& call = *slots_[slot];
  if (now < call.handshake_deadline) {
    schedule(slot, call.handshake_deadline);
    return;
  }
  call.record.error = describe_handshake_stall(call);
  abort_open_handshake(
      call, Outcome::kHandshakeTimeout,
      websocketpp::error::make_error_code(websocketpp::error::open_handshake_timeout));
}

template <typename Client>
void BasicWorker<Client>::abort_open_handshake(Call& call, Outcome outcome, std::error_code why) {
  call.state = Call::State::kClosing;
  call.closing_outcome = outcome;
  call.next_service = TimePoint::max();
  // Held here: the fail handler may run inside terminate() and release the call's connection.
  auto connection = call.connection;
  // shutdown(), not close(): a pending connect then fails at once (ECONNRESET) and a pending TLS
  // or HTTP read sees the end of the stream, so websocketpp's handlers run and cancel their
  // timers. close() would cancel the operations silently, and websocketpp would leave its connect
  // timer, and the connection with it, alive until the timer fires.
  std::error_code ignored;
  connection->get_raw_socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  connection->terminate(why);
}

template <typename Client>
std::string BasicWorker<Client>::describe_handshake_stall(const Call& call) const {
  const std::string limit = format_duration(settings_.handshake_timeout);
  if (!call.tcp_connected) return fmt::format("TCP connect did not complete within {}", limit);
  if (!call.transport_ready) return fmt::format("TLS handshake did not complete within {}", limit);
  const UpgradeResponse& answer = call.connection->get_response();
  if (answer.bytes_received() == 0) {
    return fmt::format("no answer to the upgrade within {}", limit);
  }
  return fmt::format("the answer to the upgrade was still incomplete after {} ({} bytes: {})",
                     limit, answer.bytes_received(), quote_bytes(answer.first_bytes()));
}

#define CALLSIM_INSTANTIATE_HANDSHAKE(Client)                                               \
  template void BasicWorker<Client>::watch_open_handshake(uint32_t, TimePoint);             \
  template BasicWorker<Client>::Call* BasicWorker<Client>::connecting_call(                 \
      uint32_t, websocketpp::connection_hdl);                                               \
  template void BasicWorker<Client>::on_handshake_deadline(uint32_t, TimePoint);            \
  template void BasicWorker<Client>::abort_open_handshake(Call&, Outcome, std::error_code); \
  template std::string BasicWorker<Client>::describe_handshake_stall(const Call&) const;
CALLSIM_INSTANTIATE_HANDSHAKE(WsClient)
CALLSIM_INSTANTIATE_HANDSHAKE(WssClient)

}  // namespace callsim
