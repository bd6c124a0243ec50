#include "bot/lane.h"

#include "bot/basic_lane.h"

#include <sys/socket.h>

#include <asio/post.hpp>

#include <future>

#include <fmt/format.h>

#include "bot/signature_check.h"
#include "core/errors.h"

namespace callsim::bot {

namespace status = websocketpp::http::status_code;

// A session and the connection it talks through.
template <typename Config>
class BasicLane<Config>::Stream : public SessionPort {
 public:
  Stream(BasicLane& lane, Connection con, uint64_t id, std::shared_ptr<Slot> slot)
      : lane_(lane),
        con_(std::move(con)),
        id_(id),
        session(lane.session_context_, *this, Clock::now(), std::move(slot)) {}

  void send_text(std::string_view text) override {
    // Fails only when the stream is already closing; the close handler cleans up.
    con_->send(text.data(), text.size(), websocketpp::frame::opcode::text);
  }
  size_t buffered_bytes() const override { return con_->get_buffered_amount(); }
  void close(uint16_t code, const std::string& reason) override {
    websocketpp::lib::error_code ec;
    con_->close(code, reason, ec);
  }
  void request_admission(const std::string& call_sid) override {
    lane_.request_admission(id_, call_sid);
  }
  const Connection& connection() const { return con_; }

  bool open = false;

 private:
  BasicLane& lane_;
  Connection con_;
  uint64_t id_;

 public:
  Session session;
};

template <typename Config>
BasicLane<Config>::BasicLane(BotContext& context, std::shared_ptr<asio::ssl::context> tls)
    : context_(context),
      session_context_{context.config, context.counters, context.ledger, context.voice,
                       context.serving_calls},
      http_(context, io_),
      tick_timer_(io_) {
  server_.clear_access_channels(websocketpp::log::alevel::all);
  server_.clear_error_channels(websocketpp::log::elevel::all);
  server_.init_asio(&io_);
  server_.set_reuse_addr(true);
  server_.set_listen_backlog(1024);
  server_.set_tcp_pre_bind_handler([](std::shared_ptr<asio::ip::tcp::acceptor> acceptor) {
    int one = 1;
    ::setsockopt(acceptor->native_handle(), SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one));
    return websocketpp::lib::error_code();
  });
  // Speech is many small writes: Nagle would hold a reply's first frame back until the
  // previous write is acknowledged (tens of ms with delayed ACKs), adding to every latency.
  server_.set_tcp_pre_init_handler([this](websocketpp::connection_hdl hdl) {
    asio::error_code ec;
    server_.get_con_from_hdl(hdl)->get_raw_socket().set_option(asio::ip::tcp::no_delay(true), ec);
  });
  server_.set_validate_handler(
      [this](websocketpp::connection_hdl hdl) { return on_validate(hdl); });
  server_.set_http_handler(
      [this](websocketpp::connection_hdl hdl) { http_.handle(server_.get_con_from_hdl(hdl)); });
  server_.set_fail_handler([this](websocketpp::connection_hdl hdl) { on_fail(hdl); });
  if constexpr (kSecure) {
    server_.set_tls_init_handler(
        [tls = std::move(tls)](websocketpp::connection_hdl) { return tls; });
  }
}

template <typename Config>
BasicLane<Config>::~BasicLane() {
  stop();
}

template <typename Config>
void BasicLane<Config>::listen(const std::string& host, uint16_t port) {
  asio::error_code address_error;
  auto address = asio::ip::make_address(host, address_error);
  if (address_error) {
    throw InputError(fmt::format("--listen: '{}' is not an IP address", host));
  }
  websocketpp::lib::error_code ec;
  server_.listen(asio::ip::tcp::endpoint(address, port), ec);
  if (!ec) server_.start_accept(ec);
  if (ec) throw InputError(fmt::format("cannot listen on {}:{}: {}", host, port, ec.message()));
  asio::error_code local_error;
  port_ = server_.get_local_endpoint(local_error).port();
}

template <typename Config>
void BasicLane<Config>::start() {
  next_tick_ = Clock::now();
  schedule_tick();
  thread_ = std::thread([this] { io_.run(); });
}

template <typename Config>
void BasicLane<Config>::begin_shutdown() {
  asio::post(io_, [this] {
    websocketpp::lib::error_code ec;
    server_.stop_listening(ec);
    for (auto& [id, stream] : streams_) {
      if (stream->open) stream->close(1001, "server shutting down");
    }
  });
}

template <typename Config>
void BasicLane<Config>::stop() {
  if (!thread_.joinable()) return;
  io_.stop();
  thread_.join();
  // Whatever did not close in time is ended here, so its slot is released like any other.
  auto now = Clock::now();
  for (auto& [id, stream] : streams_) {
    stream->session.on_closed(now, 0);
    context_.log(stream->session.summary(now));
  }
  streams_.clear();
  sessions_count_ = 0;
}

template <typename Config>
bool BasicLane<Config>::on_validate(websocketpp::connection_hdl hdl) {
  Connection con = server_.get_con_from_hdl(hdl);
  std::string resource = con->get_resource();
  std::string_view path = request_path(resource);
  if (path != "/ws/twilio-media" && path != "/ws/twilio-media/") {
    context_.counters.not_found++;
    con->set_status(status::not_found);
    return false;
  }
  context_.counters.upgrades++;
  // Before any admission: an unsigned upgrade must not take or even try for a slot.
  if (!request_signed(context_.config.auth_token, con, ws_scheme(kSecure))) {
    context_.counters.bad_signature_upgrades++;
    con->set_status(status::forbidden);
    con->replace_header("Content-Type", "text/plain");
    con->set_body("invalid X-Twilio-Signature\n");
    return false;
  }
  if (context_.shutting_down) {
    con->set_status(status::service_unavailable);
    return false;
  }
  uint64_t id = context_.next_id++;
  std::shared_ptr<Slot> slot;
  if (context_.config.admit_at == AdmitAt::kUpgrade) {
    // websocketpp cannot defer an upgrade answer, so this thread waits for the verdict; other
    // network threads keep accepting, which is what lets upgrade-time admissions overlap.
    std::string member = fmt::format("ws-{}-{}", context_.instance_tag, id);
    auto verdict = std::make_shared<std::promise<Verdict>>();
    auto answer = verdict->get_future();
    context_.pool.admit(member, [verdict](Verdict v) { verdict->set_value(v); });
    if (answer.get() != Verdict::kAdmitted) {
      con->set_status(status::service_unavailable);
      con->set_body("all lines are busy\n");
      context_.log(fmt::format("upgrade {} outcome=rejected-at-upgrade", member));
      return false;
    }
    slot = context_.ledger.admitted(member, "");
  }
  streams_[id] = std::make_unique<Stream>(*this, con, id, std::move(slot));
  sessions_count_ = streams_.size();
  con->set_open_handler([this, id](websocketpp::connection_hdl) { on_open(id); });
  con->set_message_handler([this, id](websocketpp::connection_hdl,
                                      typename Endpoint::message_ptr m) { on_message(id, m); });
  con->set_close_handler([this, id](websocketpp::connection_hdl) { on_close(id); });
  con->set_fail_handler([this, id](websocketpp::connection_hdl) { on_stream_fail(id); });
  return true;
}

template <typename Config>
void BasicLane<Config>::on_open(uint64_t id) {
  auto it = streams_.find(id);
  if (it == streams_.end()) return;
  it->second->open = true;
  context_.counters.streams_opened++;
  context_.open_streams++;
}

template <typename Config>
void BasicLane<Config>::on_message(uint64_t id, typename Endpoint::message_ptr message) {
  auto it = streams_.find(id);
  if (it == streams_.end()) return;
  if (message->get_opcode() == websocketpp::frame::opcode::text) {
    it->second->session.on_text(message->get_payload(), Clock::now());
  } else {
    it->second->session.on_binary(Clock::now());
  }
}

template <typename Config>
void BasicLane<Config>::on_close(uint64_t id) {
  auto it = streams_.find(id);
  if (it == streams_.end()) return;
  auto now = Clock::now();
  Session& session = it->second->session;
  session.on_closed(now, it->second->connection()->get_local_close_code());
  context_.counters.streams_closed++;
  context_.open_streams--;
  context_.log(session.summary(now));
  forget(id);
}

template <typename Config>
void BasicLane<Config>::on_stream_fail(uint64_t id) {
  auto it = streams_.find(id);
  if (it == streams_.end()) return;
  // The upgrade was accepted but the 101 never reached the caller.
  it->second->session.on_closed(Clock::now(), 0);
  forget(id);
}

template <typename Config>
void BasicLane<Config>::on_fail(websocketpp::connection_hdl hdl) {
  websocketpp::lib::error_code ec;
  Connection con = server_.get_con_from_hdl(hdl, ec);
  if (ec) return;
  const auto& failure = con->get_ec();
  // Our own refusals of an upgrade are counted where they are made.
  if (failure == websocketpp::error::make_error_code(websocketpp::error::rejected)) return;
  // websocketpp's own errors are about the request (unparsable, too large, too slow); the TLS
  // socket's, that the handshake failed or timed out (its cause is not kept: a plain-text
  // client and a probe that connects and closes look alike); the transport's mean the peer went
  // away first, as a reachability probe does.
  if (kSecure &&
      failure.category() == websocketpp::transport::asio::socket::get_socket_category()) {
    context_.counters.tls_handshake_failures++;
  } else if (failure.category() == websocketpp::error::get_category()) {
    context_.counters.bad_http++;
  } else {
    context_.counters.aborted_connections++;
  }
}

template <typename Config>
void BasicLane<Config>::forget(uint64_t id) {
  streams_.erase(id);
  sessions_count_ = streams_.size();
}

template <typename Config>
void BasicLane<Config>::request_admission(uint64_t id, const std::string& call_sid) {
  context_.pool.admit(call_sid, [this, id, call_sid](Verdict verdict) {
    std::shared_ptr<Slot> slot;
    if (verdict == Verdict::kAdmitted) {
      slot = context_.ledger.admitted(call_sid, call_sid);
    } else {
      context_.ledger.unreserve(call_sid);
    }
    asio::post(io_, [this, id, verdict, slot] { deliver_admission(id, verdict, slot); });
  });
}

template <typename Config>
void BasicLane<Config>::deliver_admission(uint64_t id, Verdict verdict,
                                          std::shared_ptr<Slot> slot) {
  auto it = streams_.find(id);
  if (it == streams_.end()) {
    context_.ledger.end(slot, EndEvent::kAbandoned);
    return;
  }
  it->second->session.on_admission(verdict, std::move(slot), Clock::now());
}

template <typename Config>
void BasicLane<Config>::schedule_tick() {
  next_tick_ += kTick;
  tick_timer_.expires_at(next_tick_);
  tick_timer_.async_wait([this](const asio::error_code& ec) {
    if (!ec) on_tick();
  });
}

template <typename Config>
void BasicLane<Config>::on_tick() {
  auto now = Clock::now();
  // Absolute deadlines: after a stall, skip the missed ticks instead of running them all.
  if (now - next_tick_ > 10 * kTick) next_tick_ = now;
  for (auto& [id, stream] : streams_) {
    if (stream->open) stream->session.on_tick(now);
  }
  schedule_tick();
}

template class BasicLane<PlainServerConfig>;
template class BasicLane<TlsServerConfig>;

std::unique_ptr<Lane> make_lane(BotContext& context, std::shared_ptr<asio::ssl::context> tls) {
  if (tls) return std::make_unique<BasicLane<TlsServerConfig>>(context, std::move(tls));
  return std::make_unique<BasicLane<PlainServerConfig>>(context, nullptr);
}

}  // namespace callsim::bot
