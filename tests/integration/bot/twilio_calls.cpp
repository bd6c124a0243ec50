#include "twilio_calls.h"

#include <asio/post.hpp>

#include "net/tls_context.h"

namespace callsim::bot::test {

template <typename Client>
BasicTwilioCalls<Client>::BasicTwilioCalls(uint16_t port, std::string path, std::string ca_file)
    : uri_((kSecure ? "wss://127.0.0.1:" : "ws://127.0.0.1:") + std::to_string(port) + path) {
  client_.clear_access_channels(websocketpp::log::alevel::all);
  client_.clear_error_channels(websocketpp::log::elevel::all);
  client_.init_asio();
  if constexpr (kSecure) {
    // As Twilio does: the certificate is verified and must name the host dialled.
    auto tls = make_client_tls_context("127.0.0.1", ca_file, false);
    client_.set_tls_init_handler([tls](websocketpp::connection_hdl) { return tls; });
  }
  client_.start_perpetual();
  thread_ = std::thread([this] { client_.run(); });
}

template <typename Client>
BasicTwilioCalls<Client>::~BasicTwilioCalls() {
  client_.stop_perpetual();
  post([this] {
    for (auto& con : connections_) {
      websocketpp::lib::error_code ec;
      if (con->get_state() == websocketpp::session::state::open) con->close(1000, "", ec);
    }
  });
  // Give the closes a moment to go out, then stop regardless.
  wait_all([](const Call& c) { return c.ended(); }, std::chrono::seconds(2));
  client_.stop();
  thread_.join();
}

template <typename Client>
template <typename F>
void BasicTwilioCalls<Client>::post(F&& f) {
  asio::post(client_.get_io_service(), std::forward<F>(f));
}

template <typename Client>
void BasicTwilioCalls<Client>::on_event(size_t call, const std::function<void(Call&)>& update) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    update(calls_[call]);
  }
  changed_.notify_all();
}

template <typename Client>
size_t BasicTwilioCalls<Client>::open(std::vector<std::string> on_open, Headers headers) {
  size_t index;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    index = calls_.size();
    calls_.emplace_back();
  }
  post([this, index, on_open = std::move(on_open), headers = std::move(headers)] {
    websocketpp::lib::error_code ec;
    auto con = client_.get_connection(uri_, ec);
    if (ec) {
      on_event(index, [](Call& c) { c.failed = true; });
      return;
    }
    if (connections_.size() <= index) connections_.resize(index + 1);
    connections_[index] = con;
    for (const auto& [name, value] : headers) con->append_header(name, value);
    con->set_open_handler([this, index, on_open](websocketpp::connection_hdl) {
      on_event(index, [](Call& c) { c.opened = true; });
      for (const auto& text : on_open) {
        connections_[index]->send(text, websocketpp::frame::opcode::text);
      }
    });
    con->set_fail_handler([this, index](websocketpp::connection_hdl) {
      int status = connections_[index]->get_response().get_status_code();
      on_event(index, [status](Call& c) {
        c.failed = true;
        c.http_status = status;
      });
    });
    con->set_close_handler([this, index](websocketpp::connection_hdl) {
      auto& con = connections_[index];
      uint16_t code = con->get_remote_close_code();
      std::string reason = con->get_remote_close_reason();
      on_event(index, [&](Call& c) {
        c.closed = true;
        c.close_code = code;
        c.close_reason = reason;
      });
    });
    con->set_message_handler(
        [this, index](websocketpp::connection_hdl, typename Client::message_ptr m) {
          if (m->get_opcode() != websocketpp::frame::opcode::text) return;
          on_event(index, [&](Call& c) { c.received.push_back(m->get_payload()); });
        });
    client_.connect(con);
  });
  return index;
}

template <typename Client>
void BasicTwilioCalls<Client>::send(size_t call, std::string text) {
  send_all(call, {std::move(text)});
}

template <typename Client>
void BasicTwilioCalls<Client>::send_all(size_t call, std::vector<std::string> texts) {
  post([this, call, texts = std::move(texts)] {
    for (const auto& text : texts) {
      connections_[call]->send(text, websocketpp::frame::opcode::text);
    }
  });
}

template <typename Client>
void BasicTwilioCalls<Client>::send_binary(size_t call, std::string bytes) {
  post([this, call, bytes = std::move(bytes)] {
    connections_[call]->send(bytes, websocketpp::frame::opcode::binary);
  });
}

template <typename Client>
void BasicTwilioCalls<Client>::close(size_t call, uint16_t code) {
  post([this, call, code] {
    websocketpp::lib::error_code ec;
    connections_[call]->close(code, "", ec);
  });
}

template <typename Client>
void BasicTwilioCalls<Client>::reset(size_t call) {
  post([this, call] {
    auto& socket = connections_[call]->get_raw_socket();
    asio::error_code ec;
    socket.set_option(asio::socket_base::linger(true, 0), ec);
    socket.close(ec);
  });
}

template <typename Client>
TwilioCall BasicTwilioCalls<Client>::snapshot(size_t call) {
  std::lock_guard<std::mutex> lock(mutex_);
  return calls_.at(call);
}

template <typename Client>
size_t BasicTwilioCalls<Client>::count(const std::function<bool(const Call&)>& predicate) {
  std::lock_guard<std::mutex> lock(mutex_);
  size_t n = 0;
  for (const auto& c : calls_) n += predicate(c) ? 1 : 0;
  return n;
}

template <typename Client>
bool BasicTwilioCalls<Client>::wait_for(size_t call,
                                        const std::function<bool(const Call&)>& predicate,
                                        std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return predicate(calls_.at(call)); });
}

template <typename Client>
bool BasicTwilioCalls<Client>::wait_all(const std::function<bool(const Call&)>& predicate,
                                        std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] {
    for (const auto& c : calls_) {
      if (!predicate(c)) return false;
    }
    return true;
  });
}

template class BasicTwilioCalls<websocketpp::client<websocketpp::config::asio_client>>;
template class BasicTwilioCalls<websocketpp::client<websocketpp::config::asio_tls_client>>;

}  // namespace callsim::bot::test
