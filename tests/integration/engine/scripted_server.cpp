#include "scripted_server.h"

#include "media/base64.h"
#include "net/ws_server_config.h"

namespace callsim::test {

namespace {

using Server = WsServer;

std::string stream_sid_of(const std::string& start_message) {
  auto at = start_message.find("\"streamSid\":\"");
  if (at == std::string::npos) return "";
  at += 13;
  return start_message.substr(at, start_message.find('"', at) - at);
}

std::string media_message(const std::string& sid, size_t bytes) {
  std::vector<uint8_t> audio(bytes, 0xFF);
  return "{\"event\":\"media\",\"streamSid\":\"" + sid + "\",\"media\":{\"payload\":\"" +
         media::base64_encode(audio.data(), audio.size()) + "\"}}";
}

std::string mark_message(const std::string& sid, const std::string& name) {
  return "{\"event\":\"mark\",\"streamSid\":\"" + sid + "\",\"mark\":{\"name\":\"" + name + "\"}}";
}

}  // namespace

struct ScriptedServer::Impl {
  Behaviour behaviour;
  Server server;
  std::thread thread;
  mutable std::mutex mutex;
  std::map<void*, size_t> index_of;  // connection → position in `connections`
  std::vector<Connection> connections;
  std::map<void*, int> media_seen;
  std::vector<std::unique_ptr<asio::steady_timer>> timers;

  Connection& record_for(websocketpp::connection_hdl hdl) {
    void* key = hdl.lock().get();
    auto it = index_of.find(key);
    if (it == index_of.end()) {
      it = index_of.emplace(key, connections.size()).first;
      connections.emplace_back();
    }
    return connections[it->second];
  }

  void after(std::chrono::milliseconds delay, std::function<void()> action) {
    auto timer = std::make_unique<asio::steady_timer>(server.get_io_service(), delay);
    timer->async_wait([action = std::move(action)](const std::error_code& ec) {
      if (!ec) action();
    });
    timers.push_back(std::move(timer));
  }

  void send(websocketpp::connection_hdl hdl, const std::string& text,
            websocketpp::frame::opcode::value op = websocketpp::frame::opcode::text) {
    std::error_code ec;
    server.send(hdl, text, op, ec);
  }

  void on_start(websocketpp::connection_hdl hdl, const std::string& sid) {
    switch (behaviour) {
      case Behaviour::kCloseAfterStart: {
        std::error_code ec;
        server.close(hdl, 1013, "try again later", ec);
        break;
      }
      case Behaviour::kGarbage:
        send(hdl, "\x01\x02", websocketpp::frame::opcode::binary);
        send(hdl, "{not json");
        send(hdl, "{\"event\":\"dance\",\"streamSid\":\"" + sid + "\"}");
        send(hdl, mark_message("MZ00000000000000000000000000000000", "x"));
        send(hdl, "{\"event\":\"media\",\"streamSid\":\"" + sid + "\",\"media\":{}}");
        send(hdl, mark_message(sid, "still-alive"));
        break;
      case Behaviour::kSpeakThenMark:
        send(hdl, media_message(sid, 8000));
        send(hdl, mark_message(sid, "played"));
        break;
      case Behaviour::kClearPending:
        send(hdl, media_message(sid, 16000));
        send(hdl, mark_message(sid, "a"));
        send(hdl, mark_message(sid, "b"));
        after(std::chrono::milliseconds(100), [this, hdl] {
          send(hdl, "{\"event\":\"clear\",\"streamSid\":\"" + sid_of(hdl) + "\"}");
        });
        break;
      case Behaviour::kCloseMidCall:
        send(hdl, media_message(sid, 160));
        break;
      default:
        break;
    }
  }

  std::map<void*, std::string> sids;
  std::string sid_of(websocketpp::connection_hdl hdl) {
    std::lock_guard<std::mutex> lock(mutex);
    return sids[hdl.lock().get()];
  }
};

ScriptedServer::ScriptedServer(Behaviour behaviour) : impl_(std::make_unique<Impl>()) {
  impl_->behaviour = behaviour;
  Server& server = impl_->server;
  server.clear_access_channels(websocketpp::log::alevel::all);
  server.clear_error_channels(websocketpp::log::elevel::all);
  server.init_asio();
  server.set_reuse_addr(true);
  server.set_validate_handler([this](websocketpp::connection_hdl hdl) {
    auto con = impl_->server.get_con_from_hdl(hdl);
    std::lock_guard<std::mutex> lock(impl_->mutex);
    Connection& record = impl_->record_for(hdl);
    record.upgrade_requested = true;
    record.resource = con->get_resource();
    for (const auto& [name, value] : con->get_request().get_headers()) {
      std::string lower = name;
      for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      record.headers[lower] = value;
    }
    if (impl_->behaviour == Behaviour::kReject503) {
      con->set_status(websocketpp::http::status_code::service_unavailable);
      return false;
    }
    return true;
  });
  server.set_message_handler([this](websocketpp::connection_hdl hdl, Server::message_ptr msg) {
    bool is_start = false;
    bool close_now = false;
    std::string sid;
    {
      std::lock_guard<std::mutex> lock(impl_->mutex);
      Connection& record = impl_->record_for(hdl);
      record.messages.push_back({std::chrono::steady_clock::now(), msg->get_payload(),
                                 msg->get_opcode() == websocketpp::frame::opcode::binary});
      const std::string& text = msg->get_payload();
      if (text.rfind("{\"event\":\"start\"", 0) == 0) {
        is_start = true;
        sid = stream_sid_of(text);
        impl_->sids[hdl.lock().get()] = sid;
      }
      if (text.rfind("{\"event\":\"media\"", 0) == 0 &&
          ++impl_->media_seen[hdl.lock().get()] == 10 &&
          impl_->behaviour == Behaviour::kCloseMidCall) {
        close_now = true;
      }
    }
    if (is_start) impl_->on_start(hdl, sid);
    if (close_now) {
      std::error_code ec;
      impl_->server.close(hdl, 1000, "bye", ec);
    }
  });
  server.set_close_handler([this](websocketpp::connection_hdl hdl) {
    auto con = impl_->server.get_con_from_hdl(hdl);
    std::lock_guard<std::mutex> lock(impl_->mutex);
    Connection& record = impl_->record_for(hdl);
    record.closed = true;
    record.close_code = con->get_remote_close_code();
    // The allocator may hand a later connection the same address.
    impl_->index_of.erase(hdl.lock().get());
  });
  server.set_fail_handler([this](websocketpp::connection_hdl hdl) {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    impl_->record_for(hdl).closed = true;
    impl_->index_of.erase(hdl.lock().get());
  });
  server.listen(asio::ip::tcp::endpoint(asio::ip::address_v4::loopback(), 0));
  std::error_code ec;
  port_ = server.get_local_endpoint(ec).port();
  server.start_accept();
  impl_->thread = std::thread([this] { impl_->server.run(); });
}

ScriptedServer::~ScriptedServer() {
  impl_->server.get_io_service().post([this] {
    std::error_code ec;
    impl_->server.stop_listening(ec);
    impl_->server.stop();
  });
  impl_->thread.join();
}

std::string ScriptedServer::url() const {
  return "ws://127.0.0.1:" + std::to_string(port_) + "/ws/twilio-media";
}

std::vector<ScriptedServer::Connection> ScriptedServer::connections() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  std::vector<Connection> upgraded;
  for (const auto& c : impl_->connections) {
    if (c.upgrade_requested) upgraded.push_back(c);
  }
  return upgraded;
}

size_t ScriptedServer::closed_count() const {
  size_t n = 0;
  for (const auto& c : connections()) n += c.closed;
  return n;
}

}  // namespace callsim::test
