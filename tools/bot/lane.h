#pragma once

// asio chooses between aligned_alloc and operator new from a macro the standard library defines,
// so a standard header must come first or files disagree (ASan: alloc-dealloc-mismatch).
#include <cstddef>

#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <unordered_map>

#include "bot/bot_context.h"
#include "bot/http_api.h"
#include "bot/server_config.h"
#include "bot/session.h"

namespace callsim::bot {

// One network thread: its own io_context and websocketpp endpoint listening on the shared port
// (SO_REUSEPORT, so the kernel spreads connections over the threads), the WebSocket sessions it
// accepted, and one timer that paces every session's speech and deadlines. Nothing here is
// touched by another thread except through asio::post.
class Lane {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::chrono::milliseconds kTick{10};

  Lane(BotContext& context);
  ~Lane();
  Lane(const Lane&) = delete;
  Lane& operator=(const Lane&) = delete;

  // Throws InputError when the address cannot be bound. Port 0 picks one.
  void listen(const std::string& host, uint16_t port);
  uint16_t port() const { return port_; }
  void start();

  // Stops accepting and asks every stream to close (1001). Callable from any thread.
  void begin_shutdown();
  // No streams and no webhook answers pending.
  bool quiet() const { return sessions_count_.load() == 0 && http_.pending() == 0; }
  // Stops the thread; streams still open are ended as if closed (their slots released).
  void stop();

 private:
  class Stream;

  bool on_validate(websocketpp::connection_hdl hdl);
  void on_open(uint64_t id);
  void on_message(uint64_t id, Server::message_ptr message);
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
  Server server_;
  HttpApi http_;
  asio::steady_timer tick_timer_;
  Clock::time_point next_tick_;
  uint16_t port_ = 0;
  std::unordered_map<uint64_t, std::unique_ptr<Stream>> streams_;
  std::atomic<size_t> sessions_count_{0};
  std::thread thread_;
};

}  // namespace callsim::bot
