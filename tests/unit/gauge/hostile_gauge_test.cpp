// Gauges that answer what no healthy server would: odd replies to TYPE, JSON nested deeper than
// any stack. Each is a one-line error or a counted sample error, never a crash.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>

#include "child_process.h"
#include "core/errors.h"
#include "gauge/gauge_reader.h"
#include "gauge/gauge_watcher.h"
#include "raw_http_server.h"
#include "raw_redis_server.h"

namespace callsim {
namespace {

using test::RawHttpServer;
using test::RawRedisServer;
using ::testing::HasSubstr;
using ::testing::Not;

// Deep enough to overflow an 8 MB thread stack in a recursive descent parser.
const std::string kDeepJson(200'000, '[');

std::string type_error_for(const std::string& reply) {
  RawRedisServer redis([&](const std::vector<std::string>& args) -> std::optional<std::string> {
    if (args[0] == "TYPE") return reply;
    return std::nullopt;
  });
  GaugeOptions o;
  o.spec = parse_gauge_spec("calls:active");
  o.redis_url = redis.url();
  o.trace = TraceMode::kSample;
  GaugeWatcher watcher(o);
  try {
    watcher.connect();
  } catch (const UnreachableError& e) {
    return e.what();
  }
  return "";
}

TEST(HostileGauge, OddTypeRepliesAreNamed) {
  EXPECT_THAT(type_error_for(":0\r\n"), HasSubstr("answered TYPE calls:active with the integer 0"));
  EXPECT_THAT(type_error_for("$-1\r\n"), HasSubstr("answered TYPE calls:active with nil"));
  EXPECT_THAT(type_error_for("+\r\n"), HasSubstr("with an empty string"));
  EXPECT_THAT(type_error_for("*2\r\n+a\r\n+b\r\n"), HasSubstr("with an array of 2 element(s)"));
  for (const char* reply : {":0\r\n", "$-1\r\n", "+\r\n"}) {
    EXPECT_THAT(type_error_for(reply), Not(HasSubstr("is a ,"))) << reply;
  }
  // A real type name that the gauge does not read keeps its own message.
  EXPECT_THAT(type_error_for("+stream\r\n"),
              HasSubstr("is a stream, but --gauge get:calls:active reads a string"));
}

TEST(HostileGauge, DeeplyNestedJsonIsAnErrorNotAStackOverflow) {
  GaugeReading reading = parse_json_gauge(kDeepJson, "/active_calls");
  EXPECT_FALSE(reading.value);
  EXPECT_THAT(reading.error, HasSubstr("not JSON"));
  // Nested but complete: parsed, and the pointer simply finds nothing.
  std::string complete = std::string(100'000, '[') + std::string(100'000, ']');
  EXPECT_THAT(parse_json_gauge(complete, "/active_calls").error, HasSubstr("nothing at"));
}

TEST(HostileGauge, DeeplyNestedJsonAtConnectIsUnreachable) {
  RawHttpServer server([](const RawHttpServer::Request&) -> std::optional<std::string> {
    return RawHttpServer::response(200, kDeepJson);
  });
  GaugeOptions o;
  o.spec = parse_gauge_spec(server.url("/health") + "#/active_calls");
  GaugeWatcher watcher(o);
  try {
    watcher.connect();
    ADD_FAILURE() << "connected to a gauge that serves no number";
  } catch (const UnreachableError& e) {
    EXPECT_THAT(e.what(), HasSubstr("not JSON"));
  }
}

TEST(HostileGauge, DeeplyNestedJsonMidRunIsASampleError) {
  std::atomic<bool> hostile{false};
  RawHttpServer server([&](const RawHttpServer::Request&) -> std::optional<std::string> {
    return RawHttpServer::response(200, hostile ? kDeepJson : R"({"active_calls":4})");
  });
  GaugeOptions o;
  o.spec = parse_gauge_spec(server.url("/health") + "#/active_calls");
  o.interval = std::chrono::milliseconds(5);
  GaugeWatcher watcher(o);
  watcher.connect();
  watcher.start();
  ASSERT_TRUE(
      test::eventually([&] { return watcher.latest().has_value(); }, std::chrono::seconds(5)));
  hostile = true;
  const size_t served = server.requests().size();
  ASSERT_TRUE(test::eventually([&] { return server.requests().size() >= served + 3; },
                               std::chrono::seconds(10)));
  GaugeTrace trace = watcher.stop();
  EXPECT_EQ(trace.samples.back().value, 4);
  EXPECT_GE(trace.sample_errors, 2u);
  EXPECT_THAT(trace.first_sample_error, HasSubstr("not JSON"));
}

}  // namespace
}  // namespace callsim
