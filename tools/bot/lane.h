#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <asio/ssl/context.hpp>

#include "bot/bot_context.h"

namespace callsim::bot {

// One network thread: its own io_context and websocketpp endpoint listening on the shared port
// (SO_REUSEPORT, so the kernel spreads connections over the threads), the WebSocket sessions it
// accepted, and one timer that paces every session's speech and deadlines. Nothing in a lane is
// touched by another thread except through these methods, which post to it.
class Lane {
 public:
  virtual ~Lane() = default;

  // Throws InputError when the address cannot be bound. Port 0 picks one.
  virtual void listen(const std::string& host, uint16_t port) = 0;
  virtual uint16_t port() const = 0;
  virtual void start() = 0;

  // Stops accepting and asks every stream to close (1001). Callable from any thread.
  virtual void begin_shutdown() = 0;
  // No streams and no webhook answers pending.
  virtual bool quiet() const = 0;
  // Stops the thread; streams still open are ended as if closed (their slots released).
  virtual void stop() = 0;
};

// A lane serving plain HTTP and ws://, or with `tls` (shared by every lane) HTTPS and wss://.
std::unique_ptr<Lane> make_lane(BotContext& context, std::shared_ptr<asio::ssl::context> tls);

}  // namespace callsim::bot
