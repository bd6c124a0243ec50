#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace callsim::test {

// A small in-process WebSocket server on 127.0.0.1:<port 0> that behaves the way a test script
// says, and records everything each connection sent, so engine tests can assert exact bytes
// and exact classifications without the reference bot.
class ScriptedServer {
 public:
  enum class Behaviour {
    kSink,             // accept and listen
    kReject503,        // answer the upgrade with 503
    kCloseAfterStart,  // close 1013 "try again later" right after reading start
    kCloseMidCall,     // close 1000 after 10 media messages, having spoken first
    kGarbage,          // send one of each invalid message, then a valid mark
    kSpeakThenMark,    // send 1 s of audio (8000 bytes) in one media message, then mark "played"
    kClearPending,     // send 2 s of audio, marks "a" and "b", then clear after 100 ms
  };

  struct Received {
    std::chrono::steady_clock::time_point at;
    std::string text;
    bool binary = false;
  };
  struct Connection {
    bool upgrade_requested =
        false;  // false: a bare TCP connection (e.g. callsim's reachability probe)
    std::string resource;
    std::map<std::string, std::string> headers;  // lower-case names
    std::vector<Received> messages;
    int close_code = -1;  // the code the client sent in its close frame, -1 if none
    bool closed = false;
  };

  explicit ScriptedServer(Behaviour behaviour);
  ~ScriptedServer();

  int port() const { return port_; }
  std::string url() const;
  // Snapshot of every connection that asked for an upgrade, in accept order.
  std::vector<Connection> connections() const;
  size_t closed_count() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  int port_ = 0;
};

}  // namespace callsim::test
