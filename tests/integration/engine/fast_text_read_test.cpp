// The read path under websocketpp for ws:// calls (simulator/net/fast_text_read_socket.h), on a
// real loopback socket: plain text frames reach the sink and never the reader above (websocketpp's
// place), everything else reaches the reader byte for byte, and no read misses data whose
// readiness epoll reported before the read was queued.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "net/fast_text_read_socket.h"

namespace callsim {
namespace {

using namespace std::chrono_literals;

const std::string kUpgrade = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n";

std::string frame(uint8_t first, const std::string& payload) {
  return std::string(1, static_cast<char>(first)) + static_cast<char>(payload.size()) + payload;
}

// The connection as websocketpp's transport makes it.
class TestConnection : public FastTextReadSocket::connection {
 public:
  explicit TestConnection(asio::io_context& io) { init_asio(&io, nullptr, false); }
};

struct Loopback {
  asio::io_context io;
  std::shared_ptr<TestConnection> connection = std::make_shared<TestConnection>(io);
  asio::ip::tcp::socket peer{io};
  // Keeps io_context::poll() running epoll_wait while no read is queued.
  asio::steady_timer keep_reactor_busy{io, 1h};

  // What websocketpp would have been given, and what the sink took.
  std::string read_by_websocketpp;
  std::error_code read_error;
  std::vector<std::string> taken;
  bool sink_accepting = true;
  // The sink stops accepting once it has taken this many frames (a call ending on one).
  size_t accept_at_most = SIZE_MAX;
  char buffer[16384];

  Loopback() {
    asio::ip::tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
    connection->get_raw_socket().connect(acceptor.local_endpoint());
    acceptor.accept(peer);
    keep_reactor_busy.async_wait([](std::error_code) {});
    connection->get_socket().set_text_sink(ServerTextSink{
        this, 7, [](void* self, uint32_t) { return static_cast<Loopback*>(self)->sink_accepting; },
        [](void* self, uint32_t slot, std::string_view payload) {
          EXPECT_EQ(slot, 7u);
          auto& loop = *static_cast<Loopback*>(self);
          loop.taken.emplace_back(payload);
          if (loop.taken.size() >= loop.accept_at_most) loop.sink_accepting = false;
        }});
  }
  ~Loopback() { keep_reactor_busy.cancel(); }

  FastTextReadStream& stream() { return connection->get_socket(); }
  // websocketpp's pattern: async_read with transfer_at_least(1), re-armed from the completion.
  void read() {
    asio::async_read(stream(), asio::buffer(buffer), asio::transfer_at_least(1),
                     [this](std::error_code ec, size_t n) {
                       read_error = ec;
                       read_by_websocketpp.append(buffer, n);
                       if (!ec) read();
                     });
  }
  void send(const std::string& bytes) { asio::write(peer, asio::buffer(bytes)); }
  template <typename Done>
  bool run_until(Done done) {
    auto give_up = std::chrono::steady_clock::now() + 2s;
    while (!done() && std::chrono::steady_clock::now() < give_up) io.run_one_for(10ms);
    return done();
  }
};

TEST(FastTextRead, PlainTextFramesGoToTheSinkAndEverythingElseToWebsocketpp) {
  Loopback loop;
  loop.read();
  loop.send(kUpgrade);
  ASSERT_TRUE(loop.run_until([&] { return loop.read_by_websocketpp == kUpgrade; }));
  loop.send(frame(0x81, "{\"event\":\"media\"}") + frame(0x81, "second"));
  ASSERT_TRUE(loop.run_until([&] { return loop.taken.size() == 2; }));
  const std::string ping = frame(0x89, "p");
  loop.send(ping + frame(0x81, "after a ping"));
  ASSERT_TRUE(loop.run_until(
      [&] { return loop.read_by_websocketpp.size() == kUpgrade.size() + ping.size() + 14; }));
  loop.send(frame(0x81, "third"));
  ASSERT_TRUE(loop.run_until([&] { return loop.taken.size() == 3; }));

  EXPECT_EQ(loop.taken, (std::vector<std::string>{"{\"event\":\"media\"}", "second", "third"}));
  EXPECT_EQ(loop.read_by_websocketpp, kUpgrade + ping + frame(0x81, "after a ping"));
  EXPECT_EQ(loop.stream().runs_taken(), 2u);
  EXPECT_EQ(loop.stream().runs_passed(), 2u);
}

TEST(FastTextRead, ASinkNotAcceptingLeavesTheFramesToWebsocketpp) {
  Loopback loop;
  loop.sink_accepting = false;
  loop.read();
  loop.send(kUpgrade);
  ASSERT_TRUE(loop.run_until([&] { return loop.read_by_websocketpp == kUpgrade; }));
  loop.send(frame(0x81, "closing"));
  ASSERT_TRUE(loop.run_until([&] { return loop.read_by_websocketpp.size() > kUpgrade.size(); }));
  EXPECT_EQ(loop.read_by_websocketpp, kUpgrade + frame(0x81, "closing"));
  EXPECT_TRUE(loop.taken.empty());
}

TEST(FastTextRead, FramesAfterTheSinkStopsAcceptingInTheSameRunAreDropped) {
  Loopback loop;
  loop.accept_at_most = 1;
  loop.read();
  loop.send(kUpgrade);
  ASSERT_TRUE(loop.run_until([&] { return loop.read_by_websocketpp == kUpgrade; }));
  loop.send(frame(0x81, "ends the call") + frame(0x81, "late") + frame(0x81, "later"));
  ASSERT_TRUE(loop.run_until([&] { return loop.stream().runs_taken() == 1; }));
  EXPECT_EQ(loop.taken, std::vector<std::string>{"ends the call"});
  EXPECT_EQ(loop.stream().frames_dropped(), 2u);
  EXPECT_EQ(loop.read_by_websocketpp, kUpgrade);
}

TEST(FastTextRead, BytesWhoseReadinessWasReportedBeforeTheReadAreStillRead) {
  Loopback loop;
  // A server that speaks first: its readiness edge is reported while no read is queued.
  loop.send("early");
  for (int i = 0; i < 5; ++i) loop.io.poll();
  loop.read();
  ASSERT_TRUE(loop.run_until([&] { return loop.read_by_websocketpp == "early"; }))
      << "the read waited for an edge epoll had already reported";
}

TEST(FastTextRead, ThePeerClosingIsEndOfStreamAndAResetIsAResetError) {
  {
    Loopback loop;
    loop.read();
    loop.send("last");
    ASSERT_TRUE(loop.run_until([&] { return loop.read_by_websocketpp == "last"; }));
    loop.peer.close();
    ASSERT_TRUE(loop.run_until([&] { return bool(loop.read_error); }));
    EXPECT_EQ(loop.read_error, asio::error::eof);
  }
  {
    Loopback loop;
    loop.read();
    loop.io.poll();
    loop.peer.set_option(asio::socket_base::linger(true, 0));
    loop.peer.close();
    ASSERT_TRUE(loop.run_until([&] { return bool(loop.read_error); }));
    EXPECT_EQ(loop.read_error, asio::error::connection_reset);
  }
}

TEST(FastTextRead, CancellingAWaitingReadAbortsIt) {
  Loopback loop;
  loop.read();
  loop.io.poll();
  loop.connection->get_raw_socket().cancel();
  ASSERT_TRUE(loop.run_until([&] { return bool(loop.read_error); }));
  EXPECT_EQ(loop.read_error, asio::error::operation_aborted);
  EXPECT_EQ(loop.read_by_websocketpp, "");
}

}  // namespace
}  // namespace callsim
