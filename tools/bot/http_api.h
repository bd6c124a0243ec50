#pragma once

// asio chooses between aligned_alloc and operator new from a macro the standard library defines,
// so a standard header must come first or files disagree (ASan: alloc-dealloc-mismatch).
#include <cstddef>

#include <asio/io_context.hpp>

#include <atomic>
#include <optional>
#include <string>
#include <string_view>

#include "bot/bot_context.h"
#include "bot/form.h"
#include "bot/server_config.h"

namespace callsim::bot {

// The bot's plain-HTTP side on the shared port: Twilio's voice webhook and status callbacks,
// and the health endpoints. Runs on the network thread that accepted the request; a webhook
// admission finishes on a pool thread and is answered back on this one (deferred response).
class HttpApi {
 public:
  HttpApi(BotContext& context, asio::io_context& io) : context_(context), io_(io) {}

  void handle(const ServerConnection& con);
  // Webhook responses still waiting for an admission verdict.
  int pending() const { return pending_.load(); }

 private:
  // The webhook's CallSid, or nullopt once it has answered 400 for a bad form.
  std::optional<std::string_view> call_sid_or_reject(const ServerConnection& con,
                                                     const std::optional<FormData>& form);
  void incoming_call(const ServerConnection& con);
  void call_status(const ServerConnection& con, bool answer_twiml);
  // ws://host/ws/twilio-media for the Host the caller used (or the listen address).
  std::string base_url(const ServerConnection& con, std::string_view scheme) const;

  BotContext& context_;
  asio::io_context& io_;
  std::atomic<int> pending_{0};
};

// GET /health/details: active_calls, max_calls, the configuration and every counter.
std::string health_details_json(const BotContext& context);

// The path of a request target, without the query string.
std::string_view request_path(std::string_view resource);

}  // namespace callsim::bot
