#pragma once

// The lane behind the Lane interface, as a template over the websocketpp server configuration so
// that plain and TLS listeners share one implementation. Included only by lane.cpp, which
// instantiates it.

// asio chooses between aligned_alloc and operator new from a macro the standard library defines,
// so a standard header must come first or files disagree (ASan: alloc-dealloc-mismatch).
#include <cstddef>

#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <type_traits>
#include <unordered_map>

#include "bot/bot_context.h"
#include "bot/http_api.h"
#include "bot/lane.h"
#include "bot/server_config.h"
#include "bot/session.h"

namespace callsim::bot {

template <typename Config>
class BasicLane final : public Lane {
 public:
  using Clock = std::chrono::steady_clock;
  using Endpoint = Server<Config>;
  using Connection = ServerConnection<Config>;
  static constexpr bool kSecure = std::is_same_v<Config, TlsServerConfig>;
  static constexpr std::chrono::milliseconds kTick{10};

  // `tls` is required for the TLS configuration and ignored otherwise.
  BasicLane(BotContext& context, std::shared_ptr<asio::ssl::context> tls);
  ~BasicLane() override;
  BasicLane(const BasicLane&) = delete;
  BasicLane& operator=(const BasicLane&) = delete;

  void listen(const std::string& host, uint16_t port) override;
  uint16_t port() const override { return port_; }
  void start() override;
  void begin_shutdown() override;
  bool quiet() const override { return sessions_count_.load() == 0 && http_.pending() == 0; }
  void stop() override;

 private:
  class Stream;

  bool on_validate(websocketpp::connection_hdl hdl);
  void on_open(uint64_t id);
  void on_message(uint64_t id, typename Endpoint::message_ptr message);
  void on_close(uint64_t id);
  void on_stream_fail(uint64_t id);
  void on_fail(websocketpp::connection_hdl hdl);
  void request_admission(uint64_t id, const std::string& call_sid);
  void deliver_admission(uint64_t id, Verdict verdict, std::shared_ptr<Slot> slot);
  void schedule_tick();
  void on_tick();
  void forget(uint64_t id);

  BotContext& context_;
  SessionContext session_context_;
  asio::io_context io_;
  Endpoint server_;
  HttpApi<Config> http_;
  asio::steady_timer tick_timer_;
  Clock::time_point next_tick_;
  uint16_t port_ = 0;
  std::unordered_map<uint64_t, std::unique_ptr<Stream>> streams_;
  std::atomic<size_t> sessions_count_{0};
  std::thread thread_;
};

}  // namespace callsim::bot
