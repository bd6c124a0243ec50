// A deliberately thin Media Streams sink for the engine benchmark: it accepts every upgrade,
// reads each media message's timestamp and measures, at the receiver, how late each frame
// arrived relative to the call's first frame (arrival - (first arrival + timestamp delta)).
// It prints its own CPU use so the benchmark can show the receiver was not the bottleneck.
// With `talk` it is a bot that talks on every call: from each stream's `start` on, one 20 ms
// media message per call every 20 ms, so the generator's receive path is measured too.
//
//   callsim-bench-receiver PORT SECONDS_IDLE_BEFORE_EXIT [talk]   (PORT 0 picks a free one)

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>

#include "core/histogram.h"
#include "core/process_usage.h"
#include "media/base64.h"
#include "net/ws_server_config.h"

namespace {

using Server = callsim::WsServer;
using Clock = std::chrono::steady_clock;

struct StreamClock {
  Clock::time_point first_arrival;
  long first_timestamp = -1;
  std::string media_reply;  // talk: the media message this stream is sent every 20 ms
};

std::string stream_sid_of(std::string_view text) {
  constexpr std::string_view kKey = "\"streamSid\":\"";
  auto at = text.find(kKey);
  if (at == std::string_view::npos) return {};
  auto begin = at + kKey.size();
  return std::string(text.substr(begin, text.find('"', begin) - begin));
}

long timestamp_of(std::string_view text) {
  constexpr std::string_view kKey = "\"timestamp\":\"";
  auto at = text.find(kKey);
  if (at == std::string_view::npos) return -1;
  return std::strtol(text.data() + at + kKey.size(), nullptr, 10);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3 && !(argc == 4 && std::string_view(argv[3]) == "talk")) {
    std::fprintf(stderr, "usage: callsim-bench-receiver PORT IDLE_SECONDS [talk]\n");
    return 2;
  }
  int port = std::atoi(argv[1]);
  int idle_seconds = std::atoi(argv[2]);
  const bool talk = argc == 4;
  // One 20 ms frame of a steady tone, voiced to any detector (μ-law 0x10 is loud).
  const std::string talk_payload = callsim::media::base64_encode(std::string(160, '\x10'));

  Server server;
  server.clear_access_channels(websocketpp::log::alevel::all);
  server.clear_error_channels(websocketpp::log::elevel::all);
  server.init_asio();
  server.set_reuse_addr(true);

  std::unordered_map<void*, StreamClock> streams;
  std::vector<websocketpp::connection_hdl> talkers;
  callsim::LatencyHistogram lateness;
  uint64_t messages = 0, connections = 0, talked = 0;
  Clock::time_point first_message{}, last_message{};
  double cpu_at_first = 0;

  server.set_open_handler([&](websocketpp::connection_hdl) { ++connections; });
  server.set_close_handler(
      [&](websocketpp::connection_hdl hdl) { streams.erase(hdl.lock().get()); });
  server.set_message_handler([&](websocketpp::connection_hdl hdl, Server::message_ptr msg) {
    Clock::time_point now = Clock::now();
    if (messages++ == 0) {
      first_message = now;
      cpu_at_first = callsim::process_usage().cpu_seconds;
    }
    last_message = now;
    const std::string& text = msg->get_payload();
    if (talk && text.compare(0, 16, "{\"event\":\"start\"") == 0) {
      streams[hdl.lock().get()].media_reply =
          fmt::format(R"({{"event":"media","streamSid":"{}","media":{{"payload":"{}"}}}})",
                      stream_sid_of(text), talk_payload);
      talkers.push_back(hdl);
      return;
    }
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

  // One timer for every talking call, on absolute 20 ms deadlines.
  asio::steady_timer talk_timer(server.get_io_service());
  Clock::time_point talk_next = Clock::now();
  std::function<void()> speak = [&] {
    talk_next += std::chrono::milliseconds(20);
    talk_timer.expires_at(talk_next);
    talk_timer.async_wait([&](const std::error_code& ec) {
      if (ec) return;
      size_t kept = 0;
      for (auto& hdl : talkers) {
        auto connection = hdl.lock();
        if (!connection) continue;
        auto found = streams.find(connection.get());
        if (found == streams.end()) continue;
        std::error_code send_error;
        server.send(hdl, found->second.media_reply, websocketpp::frame::opcode::text, send_error);
        if (!send_error) ++talked;
        talkers[kept++] = hdl;
      }
      talkers.resize(kept);
      speak();
    });
  };
  if (talk) speak();

  asio::steady_timer idle(server.get_io_service());
  std::function<void()> watch = [&] {
    idle.expires_after(std::chrono::milliseconds(250));
    idle.async_wait([&](const std::error_code& ec) {
      if (ec) return;
      if (messages > 0 && Clock::now() - last_message > std::chrono::seconds(idle_seconds)) {
        server.stop_listening();
        talk_timer.cancel();
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
  double cpu = callsim::process_usage().cpu_seconds - cpu_at_first;
  fmt::print(
      "receiver: {} connections, {} messages in {:.1f} s ({:.0f} msg/s)\n"
      "receiver: arrival lateness p50 {:.3f} ms, p99 {:.3f} ms, p99.9 {:.3f} ms, max {:.3f} ms "
      "({} frames)\n"
      "receiver: own CPU {:.2f} s = {:.1f} % of one core; {} media messages sent back\n",
      connections, messages, wall, wall > 0 ? messages / wall : 0.0,
      lateness.percentile(50).count() / 1e6, lateness.percentile(99).count() / 1e6,
      lateness.percentile(99.9).count() / 1e6, lateness.max().count() / 1e6, lateness.count(), cpu,
      wall > 0 ? 100.0 * cpu / wall : 0.0, talked);
  return 0;
}
