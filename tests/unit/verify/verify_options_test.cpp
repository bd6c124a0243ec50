#include "verify/verify_options.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/errors.h"

namespace callsim {
namespace {

using ::testing::HasSubstr;

std::string error_of(const Options& o) {
  try {
    cap_options_from(o);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

TEST(CapOptions, DefaultsMatchTheCommonCase) {
  CapOptions c = cap_options_from(Options{});
  EXPECT_EQ(c.verify.cap, 50);
  EXPECT_EQ(c.verify.reject_timeout, std::chrono::seconds(5));
  EXPECT_EQ(c.verify.settle, std::chrono::seconds(10));
  EXPECT_EQ(c.gauge.spec.display(), "get:calls:active_count");
  EXPECT_EQ(c.gauge.redis_url, "redis://127.0.0.1:6379/0");
  EXPECT_EQ(c.gauge.interval, std::chrono::milliseconds(1));
  EXPECT_EQ(c.gauge.trace, TraceMode::kMonitor);
}

TEST(CapOptions, MapsEveryFlag) {
  Options o;
  o.cap = 7;
  o.reject_timeout = std::chrono::seconds(2);
  o.settle = std::chrono::seconds(1);
  o.gauge = "scard:calls:active";
  o.redis_url = "unix:///tmp/r.sock?db=2";
  o.gauge_interval = std::chrono::milliseconds(5);
  o.gauge_trace = "sample";
  CapOptions c = cap_options_from(o);
  EXPECT_EQ(c.verify.cap, 7);
  EXPECT_EQ(c.verify.reject_timeout, std::chrono::seconds(2));
  EXPECT_EQ(c.verify.settle, std::chrono::seconds(1));
  EXPECT_EQ(c.gauge.spec.kind, GaugeKind::kRedisScard);
  EXPECT_EQ(c.gauge.redis_url, "unix:///tmp/r.sock?db=2");
  EXPECT_EQ(c.gauge.interval, std::chrono::milliseconds(5));
  EXPECT_EQ(c.gauge.trace, TraceMode::kSample);
}

TEST(CapOptions, HttpGaugesArePolledGentlyUnlessTold) {
  Options o;
  o.gauge = "http://127.0.0.1:5050/health/details#/active_calls";
  EXPECT_EQ(cap_options_from(o).gauge.interval, std::chrono::milliseconds(50));
  o.gauge_interval = std::chrono::milliseconds(2);
  EXPECT_EQ(cap_options_from(o).gauge.interval, std::chrono::milliseconds(2));
}

TEST(CapOptions, BadValuesNameTheirFlag) {
  Options o;
  o.gauge = "llen:q";
  EXPECT_THAT(error_of(o), HasSubstr("--gauge"));
  o = Options{};
  o.gauge_trace = "exact";
  EXPECT_THAT(error_of(o), HasSubstr("--gauge-trace"));
  o = Options{};
  o.redis_url = "tcp://x";
  EXPECT_THAT(error_of(o), HasSubstr("--redis"));
  o = Options{};
  o.reject_timeout = std::chrono::seconds(0);
  EXPECT_THAT(error_of(o), HasSubstr("--reject-timeout"));
  o = Options{};
  o.cap = 0;
  EXPECT_THAT(error_of(o), HasSubstr("--cap"));
  o = Options{};
  o.gauge = "none";
  o.redis_url = "tcp://x";  // not needed without a Redis gauge
  EXPECT_EQ(error_of(o), "no error");
}

}  // namespace
}  // namespace callsim
