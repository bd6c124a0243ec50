#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <mutex>
#include <thread>

#include "core/errors.h"
#include "gauge/gauge_reader.h"
#include "gauge/gauge_watcher.h"
#include "redis_server.h"

namespace callsim {
namespace {

using ::testing::HasSubstr;

// A one-thread HTTP/1.1 server answering every request with the current status and body, then
// closing the connection.
class TinyHttpServer {
 public:
  TinyHttpServer() {
    listen_fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
    socklen_t len = sizeof(addr);
    getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    listen(listen_fd_, 16);
    thread_ = std::thread([this] { serve(); });
  }
  ~TinyHttpServer() {
    shutdown(listen_fd_, SHUT_RDWR);
    close(listen_fd_);
    thread_.join();
  }
  void respond(int status, std::string body) {
    std::lock_guard<std::mutex> lock(mutex_);
    status_ = status;
    body_ = std::move(body);
  }
  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

 private:
  void serve() {
    for (;;) {
      int fd = accept(listen_fd_, nullptr, nullptr);
      if (fd < 0) return;
      std::string request;
      char buf[1024];
      while (request.find("\r\n\r\n") == std::string::npos) {
        ssize_t n = read(fd, buf, sizeof(buf));
        if (n <= 0) break;
        request.append(buf, static_cast<size_t>(n));
      }
      std::string response;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        response = "HTTP/1.1 " + std::to_string(status_) +
                   " X\r\nContent-Type: application/json\r\n" +
                   "Connection: close\r\nContent-Length: " + std::to_string(body_.size()) +
                   "\r\n\r\n" + body_;
      }
      ssize_t ignored = write(fd, response.data(), response.size());
      (void)ignored;
      close(fd);
    }
  }
  int listen_fd_ = -1;
  int port_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  int status_ = 200;
  std::string body_ = "{}";
};

TEST(JsonGauge, ReadsIntegersAtThePointer) {
  EXPECT_EQ(parse_json_gauge(R"({"active_calls": 12, "x": 1})", "/active_calls").value, 12);
  EXPECT_EQ(parse_json_gauge(R"({"calls": {"live": [3, 4.0]}})", "/calls/live/1").value, 4);
  EXPECT_EQ(parse_json_gauge(R"({"a/b": 5})", "/a~1b").value, 5);
  EXPECT_THAT(parse_json_gauge(R"({"active_calls": 1.5})", "/active_calls").error,
              HasSubstr("not an integer"));
  EXPECT_THAT(parse_json_gauge(R"({"active_calls": "7"})", "/active_calls").error,
              HasSubstr("not an integer"));
  EXPECT_THAT(parse_json_gauge(R"({"other": 1})", "/active_calls").error,
              HasSubstr("nothing at /active_calls"));
  EXPECT_THAT(parse_json_gauge("<html>", "/active_calls").error, HasSubstr("not JSON"));
  EXPECT_THAT(parse_json_gauge("{}", "/a~2").error, HasSubstr("not a valid JSON pointer"));
}

TEST(HttpGauge, WatcherSamplesAHealthEndpoint) {
  TinyHttpServer server;
  server.respond(200, R"({"status":"ok","active_calls":7})");
  GaugeOptions o;
  o.spec = parse_gauge_spec(server.url("/health/details") + "#/active_calls");
  o.interval = std::chrono::milliseconds(5);
  GaugeWatcher w(o);
  w.connect();
  EXPECT_FALSE(w.monitoring());
  EXPECT_EQ(w.read_now(), 7);
  w.start();
  server.respond(200, R"({"status":"ok","active_calls":9})");
  ASSERT_TRUE(test::eventually([&] { return w.latest() && w.latest()->value == 9; },
                               std::chrono::seconds(5)));
  server.respond(503, "{}");
  TimePoint broken_at = std::chrono::steady_clock::now();
  ASSERT_TRUE(test::eventually(
      [&] { return std::chrono::steady_clock::now() > broken_at + std::chrono::milliseconds(20); },
      std::chrono::seconds(1)));
  GaugeTrace t = w.stop();
  EXPECT_FALSE(t.monitored);
  EXPECT_EQ(t.not_exact_reason, "HTTP gauges are sampled");
  EXPECT_EQ(t.samples.back().value, 9);
  EXPECT_GT(t.sample_errors, 0u);
  EXPECT_EQ(t.first_sample_error, "HTTP status 503");
}

TEST(HttpGauge, ConnectFailsOnErrorsAndMissingValues) {
  TinyHttpServer server;
  GaugeOptions o;
  o.spec = parse_gauge_spec(server.url("/health") + "#/active_calls");
  server.respond(404, "{}");
  GaugeWatcher not_found(o);
  try {
    not_found.connect();
    ADD_FAILURE() << "connected to a 404";
  } catch (const UnreachableError& e) {
    EXPECT_THAT(e.what(), HasSubstr("HTTP status 404"));
  }
  server.respond(200, R"({"calls": 3})");
  GaugeWatcher missing(o);
  EXPECT_THROW(missing.connect(), UnreachableError);
  o.spec = parse_gauge_spec("http://127.0.0.1:" + std::to_string(test::free_tcp_port()) + "/x#/a");
  GaugeWatcher refused(o);
  try {
    refused.connect();
    ADD_FAILURE() << "connected to a closed port";
  } catch (const UnreachableError& e) {
    EXPECT_THAT(e.what(), HasSubstr("HTTP gauge"));
  }
}

}  // namespace
}  // namespace callsim
