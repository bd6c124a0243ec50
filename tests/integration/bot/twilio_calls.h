#pragma once

// asio chooses between aligned_alloc and operator new from a macro the standard library defines,
// so a standard header must come first or files disagree (ASan: alloc-dealloc-mismatch).
#include <cstddef>

#include <websocketpp/client.hpp>
#include <websocketpp/config/asio_client.hpp>
#include <websocketpp/config/asio_no_tls_client.hpp>

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

namespace callsim::bot::test {

// What one call has seen so far.
struct TwilioCall {
  bool opened = false;
  bool failed = false;      // the upgrade was refused or the connection failed
  int http_status = 0;      // the upgrade's answer when failed
  bool closed = false;      // the WebSocket ended after opening
  uint16_t close_code = 0;  // the bot's close code (0: none, e.g. after a reset)
  std::string close_reason;
  std::vector<std::string> received;  // text messages from the bot, in order
  bool ended() const { return failed || closed; }
};

// Twilio's side of many Media Streams, just enough to exercise the bot: a stock websocketpp
// client (not callsim's), one io thread, every operation posted to it. Calls are numbered in
// the order they were opened. `Client` is websocketpp's plain (ws://) or TLS (wss://) client;
// twilio_calls.cpp instantiates both (TwilioCalls, SecureTwilioCalls).
template <typename Client>
class BasicTwilioCalls {
 public:
  using Call = TwilioCall;
  using Headers = std::vector<std::pair<std::string, std::string>>;
  static constexpr bool kSecure =
      std::is_same_v<Client, websocketpp::client<websocketpp::config::asio_tls_client>>;

  // wss:// verifies the bot's certificate against `ca_file` and the name 127.0.0.1.
  explicit BasicTwilioCalls(uint16_t port, std::string path = "/ws/twilio-media",
                            std::string ca_file = "");
  ~BasicTwilioCalls();
  BasicTwilioCalls(const BasicTwilioCalls&) = delete;
  BasicTwilioCalls& operator=(const BasicTwilioCalls&) = delete;

  const std::string& uri() const { return uri_; }
  // Opens a stream, with `headers` added to the upgrade request (e.g. x-twilio-signature), and
  // sends `on_open` (e.g. connected + start) as soon as it is open.
  size_t open(std::vector<std::string> on_open, Headers headers = {});
  // The sends below reach the bot only once the call is open (they are dropped before).
  void send(size_t call, std::string text);
  void send_all(size_t call, std::vector<std::string> texts);
  void send_binary(size_t call, std::string bytes);
  void close(size_t call, uint16_t code = 1000);
  // Vanishes without a close frame: SO_LINGER 0, so the bot sees a TCP reset.
  void reset(size_t call);

  Call snapshot(size_t call);
  size_t count(const std::function<bool(const Call&)>& predicate);
  // Waits until the predicate holds for the call (or the timeout passes).
  bool wait_for(size_t call, const std::function<bool(const Call&)>& predicate,
                std::chrono::milliseconds timeout = std::chrono::seconds(10));
  bool wait_all(const std::function<bool(const Call&)>& predicate,
                std::chrono::milliseconds timeout = std::chrono::seconds(10));

 private:
  void on_event(size_t call, const std::function<void(Call&)>& update);
  template <typename F>
  void post(F&& f);

  std::string uri_;
  Client client_;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<Call> calls_;
  std::vector<typename Client::connection_ptr> connections_;  // touched on the io thread only
};

using TwilioCalls = BasicTwilioCalls<websocketpp::client<websocketpp::config::asio_client>>;
using SecureTwilioCalls =
    BasicTwilioCalls<websocketpp::client<websocketpp::config::asio_tls_client>>;

}  // namespace callsim::bot::test
