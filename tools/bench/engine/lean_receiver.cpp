// A deliberately thin Media Streams sink for the engine benchmark: it accepts every upgrade,
// reads each media message's timestamp and measures, at the receiver, how late each frame
// arrived relative to the call's first frame (arrival - (first arrival + timestamp delta)).
// It prints its own CPU use so the benchmark can show the receiver was not the bottleneck.
//
//   callsim-bench-receiver PORT SECONDS_IDLE_BEFORE_EXIT   (PORT 0 picks a free one)
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <unordered_map>

#include <fmt/format.h>

#include "core/histogram.h"
#include "net/ws_server_config.h"

namespace {

using Server = callsim::WsServer;
using Clock = std::chrono::steady_clock;

struct StreamClock {
  Clock::time_point first_arrival;
  long first_timestamp = -1;
};

long timestamp_of(std::string_view text) {
  constexpr std::string_view kKey = "\"timestamp\":\"";
  auto at = text.find(kKey);
  if (at == std::string_view::npos) return -1;
  return std::strtol(text.data() + at + kKey.size(), nullptr, 10);
}

double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: callsim-bench-receiver PORT IDLE_SECONDS\n");
    return 2;
  }
  int port = std::atoi(argv[1]);
  int idle_seconds = std::atoi(argv[2]);

  Server server;
  server.clear_access_channels(websocketpp::log::alevel::all);
  server.clear_error_channels(websocketpp::log::elevel::all);
  server.init_asio();
  server.set_reuse_addr(true);

  std::unordered_map<void*, StreamClock> streams;
  callsim::LatencyHistogram lateness;
  uint64_t messages = 0, connections = 0;
  Clock::time_point first_message{}, last_message{};
  double cpu_at_first = 0;

  server.set_open_handler([&](websocketpp::connection_hdl) { ++connections; });
  server.set_close_handler(
      [&](websocketpp::connection_hdl hdl) { streams.erase(hdl.lock().get()); });
  server.set_message_handler([&](websocketpp::connection_hdl hdl, Server::message_ptr msg) {
    Clock::time_point now = Clock::now();
    if (messages++ == 0) {
      first_message = now;
      cpu_at_first = cpu_seconds();
    }
    last_message = now;
    const std::string& text = msg->get_payload();
    if (text.compare(0, 16, "{\"event\":\"media\"") != 0) return;
    long ts = timestamp_of(text);
    StreamClock& clock = streams[hdl.lock().get()];
    if (clock.first_timestamp < 0) {
      clock.first_timestamp = ts;
      clock.first_arrival = now;
      return;
    }
    auto expected = clock.first_arrival + std::chrono::milliseconds(ts - clock.first_timestamp);
    lateness.record(now - expected);
  });

  server.listen(
      asio::ip::tcp::endpoint(asio::ip::address_v4::loopback(), static_cast<unsigned short>(port)));
  server.start_accept();

  asio::steady_timer idle(server.get_io_service());
  std::function<void()> watch = [&] {
    idle.expires_after(std::chrono::milliseconds(250));
    idle.async_wait([&](const std::error_code& ec) {
      if (ec) return;
      if (messages > 0 && Clock::now() - last_message > std::chrono::seconds(idle_seconds)) {
        server.stop_listening();
        server.stop();
        return;
      }
      watch();
    });
  };
  watch();
  std::error_code ec;
  std::printf("receiver listening on 127.0.0.1:%d\n", server.get_local_endpoint(ec).port());
  std::fflush(stdout);
  server.run();

  double wall = std::chrono::duration<double>(last_message - first_message).count();
  double cpu = cpu_seconds() - cpu_at_first;
  fmt::print(
      "receiver: {} connections, {} messages in {:.1f} s ({:.0f} msg/s)\n"
      "receiver: arrival lateness p50 {:.3f} ms, p99 {:.3f} ms, p99.9 {:.3f} ms, max {:.3f} ms "
      "({} frames)\n"
      "receiver: own CPU {:.2f} s = {:.1f} % of one core\n",
      connections, messages, wall, wall > 0 ? messages / wall : 0.0,
      lateness.percentile(50).count() / 1e6, lateness.percentile(99).count() / 1e6,
      lateness.percentile(99.9).count() / 1e6, lateness.max().count() / 1e6, lateness.count(), cpu,
      wall > 0 ? 100.0 * cpu / wall : 0.0);
  return 0;
}
