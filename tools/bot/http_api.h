#pragma once

// asio chooses between aligned_alloc and operator new from a macro the standard library defines,
// so a standard header must come first or files disagree (ASan: alloc-dealloc-mismatch).
#include <cstddef>

#include <asio/io_context.hpp>

#include <atomic>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include "bot/bot_context.h"
#include "bot/form.h"
#include "bot/server_config.h"

namespace callsim::bot {

// The bot's HTTP side on the shared port: Twilio's voice webhook, status callbacks and stream
// status callbacks, and the health endpoints. Runs on the network thread that accepted the
// request; a webhook admission finishes on a pool thread and is answered back on this one
// (deferred response). A template over the server configuration, plain or TLS; http_api.cpp
// instantiates both.
template <typename Config>
class HttpApi {
 public:
  using Connection = ServerConnection<Config>;
  static constexpr bool kSecure = std::is_same_v<Config, TlsServerConfig>;

  HttpApi(BotContext& context, asio::io_context& io) : context_(context), io_(io) {}

  void handle(const Connection& con);
  // Webhook responses still waiting for an admission verdict.
  int pending() const { return pending_.load(); }

 private:
  // False, once it has answered 403, when a token is configured and the request's
  // X-Twilio-Signature does not sign its URL and form fields.
  bool signature_accepted(const Connection& con, const std::optional<FormData>& form);
  // The webhook's CallSid, or nullopt once it has answered 400 for a bad form.
  std::optional<std::string_view> call_sid_or_reject(const Connection& con,
                                                     const std::optional<FormData>& form);
  void incoming_call(const Connection& con, const std::optional<FormData>& form);
  void call_status(const Connection& con, const std::optional<FormData>& form, bool answer_twiml);
  void stream_status(const Connection& con, const std::optional<FormData>& form);
  // scheme://host for the Host the caller used (or the listen address).
  std::string base_url(const Connection& con, std::string_view scheme) const;

  BotContext& context_;
  asio::io_context& io_;
  std::atomic<int> pending_{0};
};

// GET /health/details: active_calls, max_calls, the configuration and every counter.
std::string health_details_json(const BotContext& context);

// The path of a request target, without the query string.
std::string_view request_path(std::string_view resource);

// The URL schemes a listener's clients use: http/ws, or https/wss over TLS.
inline const char* http_scheme(bool secure) {
  return secure ? "https" : "http";
}
inline const char* ws_scheme(bool secure) {
  return secure ? "wss" : "ws";
}

}  // namespace callsim::bot
