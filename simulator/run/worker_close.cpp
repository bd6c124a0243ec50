// How a call's connection ended, as the server made it end: a failed upgrade, a close frame, a
// dropped socket, a protocol violation. Each becomes an Outcome with the evidence in the record.
#include <strings.h>

#include <algorithm>

#include <fmt/format.h>

#include "core/upgrade_status.h"
#include "net/upgrade_response.h"
#include "net/ws_violation.h"
#include "run/basic_worker.h"

namespace callsim {

template <typename Client>
bool BasicWorker<Client>::refuse_unoffered_choice(Call& call) {
  // RFC 6455 4.1: a 101 that picks an extension or subprotocol we never offered fails the
  // connection before anything is sent on it.
  for (const char* header : {"Sec-WebSocket-Extensions", "Sec-WebSocket-Protocol"}) {
    bool offered = false;
    for (const auto& sent : settings_.headers)
      offered |= strcasecmp(sent.first.c_str(), header) == 0;
    if (offered || call.connection->get_response_header(header).empty()) continue;
    call.record.error = fmt::format("the 101 names {} \"{}\", which callsim never offered", header,
                                    call.connection->get_response_header(header));
    call.state = Call::State::kClosing;
    call.closing_outcome = Outcome::kProtocolError;
    call.connection->terminate(std::error_code());
    return true;
  }
  return false;
}

template <typename Client>
bool BasicWorker<Client>::notice_server_closing(Call& call, TimePoint now) {
  if (call.connection->get_state() == websocketpp::session::state::open) return false;
  // The server's close frame arrived (websocketpp answers it and reports the close only once
  // the server drops the TCP connection): send nothing more, and judge the call by when the
  // server closed, not by when the socket finally went away.
  record_unread(call);
  call.state = Call::State::kServerClosing;
  call.server_close_seen = now;
  call.close_answer_code = call.connection->get_local_close_code();
  call.close_answer_reason = call.connection->get_local_close_reason();
  call.record.hung_up = now;
  return true;
}

template <typename Client>
void BasicWorker<Client>::on_fail(uint32_t slot) {
  Call& call = *slots_[slot];
  TimePoint now = clock_.now();
  auto& con = call.connection;
  if (call.state == Call::State::kClosing) {
    finish(slot, call.closing_outcome, now);
    return;
  }
  std::error_code ec = con->get_ec();
  // Once websocketpp parsed a status line, the number as written: it holds codes above 511 as
  // 500 (UpgradeResponse).
  int status = con->get_response_code() == websocketpp::http::status_code::uninitialized
                   ? 0
                   : con->get_response().status_number();
  call.record.error = ec.message();
  // websocketpp reports any answer it could not parse as "Generic error".
  if (const std::string& not_http = con->get_response().parse_error(); !not_http.empty()) {
    call.record.error = not_http;
    finish(slot, Outcome::kProtocolError, now);
    return;
  }
  Outcome outcome = Outcome::kProtocolError;
  if (status != 0 && status != 101) {
    call.record.http_status = status;
    call.record.error.clear();
    if (is_capacity_status(settings_.reject_statuses, status)) {
      outcome = Outcome::kRejected;
      call.record.reject_kind = RejectKind::kHttpStatus;
    } else {
      call.record.error = describe_upgrade_status(status);
    }
  } else if (ec == websocketpp::error::open_handshake_timeout ||
             ec == websocketpp::transport::error::timeout || ec == asio::error::timed_out) {
    outcome = Outcome::kHandshakeTimeout;
    call.record.error = describe_handshake_stall(call);
  } else if (ec == asio::error::connection_refused) {
    outcome = Outcome::kRefused;
  } else if (ec == websocketpp::transport::asio::socket::make_error_code(
                       websocketpp::transport::asio::socket::error::tls_handshake_failed) ||
             ec == websocketpp::transport::asio::socket::make_error_code(
                       websocketpp::transport::asio::socket::error::tls_handshake_timeout) ||
             ec.category() == asio::error::get_ssl_category()) {
    outcome = Outcome::kTlsError;
  }
  finish(slot, outcome, now);
}

template <typename Client>
void BasicWorker<Client>::on_close(uint32_t slot) {
  Call& call = *slots_[slot];
  TimePoint now = clock_.now();
  // websocketpp's own close timer (timeout_close_handshake) gave up on the peer's answer.
  if (call.connection->get_ec() == websocketpp::error::close_handshake_timeout) {
    call.record.close_timed_out = true;
    if (call.record.error.empty()) call.record.error = "close handshake did not complete";
  }
  if (call.state == Call::State::kClosing) {
    finish(slot, call.closing_outcome, now);
    return;
  }
  finish(slot, classify_server_close(call, now), now);
}

template <typename Client>
Outcome BasicWorker<Client>::classify_server_close(Call& call, TimePoint now) {
  auto& con = call.connection;
  TimePoint closed_at = call.server_close_seen != TimePoint{} ? call.server_close_seen : now;
  call.record.closed_by_server = true;
  call.record.hung_up = closed_at;
  call.record.close_code = con->get_remote_close_code();
  call.record.close_reason = con->get_remote_close_reason();
  bool served = call.record.server_media_bytes > 0 || call.record.marks_received > 0;
  // Our answer to the server's close as it was then: a close that timed out since has replaced
  // it with its own reason.
  const bool answered = call.server_close_seen != TimePoint{};
  const uint16_t our_code = answered ? call.close_answer_code : con->get_local_close_code();
  const std::string& our_reason =
      answered ? call.close_answer_reason : con->get_local_close_reason();
  if (std::string kind = ws_violation_kind(our_reason); !kind.empty()) {
    // Our close code is websocketpp's answer to the violation, not the server's decision.
    const uint16_t sent = call.record.close_code;
    call.record.ws_violation = kind;
    call.record.close_code = 0;
    call.record.close_reason.clear();
    // 1005, 1006 and 1015 stand for "no code", "no close frame", "TLS failed" and are never
    // sent (RFC 6455 7.4.1): websocketpp reads an explicit one like an absent one, except that
    // it refuses it.
    std::string what = our_reason;
    if (kind == "invalid_close_code" && websocketpp::close::status::invalid(sent) && sent >= 1000 &&
        sent < 5000) {
      what = fmt::format("close code {} sent on the wire", sent);
    }
    call.record.error = fmt::format("server broke the WebSocket protocol: {} ({}, we closed {})",
                                    kind, what, our_code);
    ++stats_.ws_violations[kind];
    return Outcome::kProtocolError;
  }
  if (std::string kind =
          close_frame_violation(con->get_remote_close_code(), con->get_remote_close_reason());
      !kind.empty()) {
    call.record.ws_violation = kind;
    call.record.error = fmt::format("server broke the WebSocket protocol: {} (close code {})", kind,
                                    call.record.close_code);
    ++stats_.ws_violations[kind];
    return Outcome::kProtocolError;
  }
  // websocketpp keeps 1006 until a close frame arrives; 1005 is an empty close frame, a server
  // closing without giving a code, which RFC 6455 allows (an explicit 1005 was refused above).
  if (call.record.close_code == websocketpp::close::status::abnormal_close) {
    call.record.error = "connection dropped without a close frame";
    if (con->get_ec()) call.record.error += " (" + con->get_ec().message() + ")";
    return Outcome::kProtocolError;
  }
  bool capacity_code =
      std::find(settings_.reject_close_codes.begin(), settings_.reject_close_codes.end(),
                call.record.close_code) != settings_.reject_close_codes.end();
  // A busy prompt ("all agents are busy") speaks before it closes: the code says what it was.
  if ((!served || capacity_code) && call.record.start_sent != TimePoint{} &&
      closed_at - call.record.start_sent <= settings_.reject_window) {
    call.record.reject_kind = RejectKind::kClosedAfterStart;
    return Outcome::kRejected;
  }
  return Outcome::kClosedEarly;
}

#define CALLSIM_INSTANTIATE_CLOSE(Client)                                     \
  template bool BasicWorker<Client>::refuse_unoffered_choice(Call&);          \
  template bool BasicWorker<Client>::notice_server_closing(Call&, TimePoint); \
  template void BasicWorker<Client>::on_fail(uint32_t);                       \
  template void BasicWorker<Client>::on_close(uint32_t);                      \
  template Outcome BasicWorker<Client>::classify_server_close(Call&, TimePoint);
CALLSIM_INSTANTIATE_CLOSE(WsClient)
CALLSIM_INSTANTIATE_CLOSE(WssClient)

}  // namespace callsim
