#include "gauge/gauge_spec.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/errors.h"

namespace callsim {
namespace {

using ::testing::HasSubstr;

std::string error_of(std::string_view spec) {
  try {
    parse_gauge_spec(spec);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

TEST(GaugeSpec, BareKeyIsACounter) {
  GaugeSpec s = parse_gauge_spec("calls:active_count");
  EXPECT_EQ(s.kind, GaugeKind::kRedisGet);
  EXPECT_EQ(s.key, "calls:active_count");
  EXPECT_EQ(s.display(), "get:calls:active_count");
}

TEST(GaugeSpec, ParsesEveryRedisForm) {
  EXPECT_EQ(parse_gauge_spec("get:x").kind, GaugeKind::kRedisGet);
  EXPECT_EQ(parse_gauge_spec("scard:calls:active").kind, GaugeKind::kRedisScard);
  EXPECT_EQ(parse_gauge_spec("scard:calls:active").key, "calls:active");
  EXPECT_EQ(parse_gauge_spec("hlen:h").kind, GaugeKind::kRedisHlen);
  EXPECT_EQ(parse_gauge_spec("zcard:z").kind, GaugeKind::kRedisZcard);
  // Only the first prefix is a kind: the rest is the key's name.
  EXPECT_EQ(parse_gauge_spec("get:scard:x").key, "scard:x");
  for (const char* text : {"get:a", "scard:b:c", "hlen:d", "zcard:e", "none",
                           "http://127.0.0.1:5050/health/details#/active_calls"}) {
    EXPECT_EQ(parse_gauge_spec(parse_gauge_spec(text).display()).display(), text);
  }
}

TEST(GaugeSpec, ParsesHttpJsonSourceAndNone) {
  GaugeSpec s = parse_gauge_spec("http://127.0.0.1:5050/health/details#/active_calls");
  EXPECT_EQ(s.kind, GaugeKind::kHttpJson);
  EXPECT_EQ(s.http_url, "http://127.0.0.1:5050/health/details");
  EXPECT_EQ(s.json_pointer, "/active_calls");
  EXPECT_FALSE(s.is_redis());
  EXPECT_EQ(parse_gauge_spec("https://h/x#/a/0/b").json_pointer, "/a/0/b");
  EXPECT_EQ(parse_gauge_spec("none").kind, GaugeKind::kNone);
}

TEST(GaugeSpec, HttpSchemesAreCaseInsensitive) {
  GaugeSpec s = parse_gauge_spec("HTTP://127.0.0.1:5050/Health#/active_calls");
  EXPECT_EQ(s.kind, GaugeKind::kHttpJson);
  EXPECT_EQ(s.http_url, "http://127.0.0.1:5050/Health");
  EXPECT_EQ(parse_gauge_spec("HTTPS://h/x#/a").http_url, "https://h/x");
  // Without "://" it is a Redis key that happens to start with "http:".
  EXPECT_EQ(parse_gauge_spec("http:calls").kind, GaugeKind::kRedisGet);
}

TEST(GaugeSpec, RejectsBadSpecsNamingTheFlag) {
  EXPECT_THAT(error_of(""), HasSubstr("--gauge"));
  EXPECT_THAT(error_of("scard:"), HasSubstr("names no key"));
  EXPECT_THAT(error_of("http://127.0.0.1:5050/health"), HasSubstr("JSON pointer after '#'"));
  EXPECT_THAT(error_of("http://h/x#active"), HasSubstr("must start with '/'"));
  EXPECT_THAT(error_of("http:///path#/a"), HasSubstr("no host"));
  EXPECT_THAT(error_of("http://h/a b#/a"), HasSubstr("spaces"));
  EXPECT_THAT(error_of("llen:queue"), HasSubstr("'llen' is not supported"));
  EXPECT_THAT(error_of(std::string(5000, 'k')), HasSubstr("longer than 4096"));
  for (const char* bad : {"", "scard:", "http://h/x", "llen:q"}) {
    EXPECT_THAT(error_of(bad), HasSubstr("--gauge")) << bad;
  }
}

TEST(GaugeSpec, TraceModes) {
  EXPECT_EQ(parse_trace_mode("monitor"), TraceMode::kMonitor);
  EXPECT_EQ(parse_trace_mode("sample"), TraceMode::kSample);
  EXPECT_THROW(parse_trace_mode("exact"), InputError);
  try {
    parse_trace_mode("MONITOR");
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("--gauge-trace"));
  }
}

TEST(GaugeOptions, ValidatesRedisUrlAndInterval) {
  GaugeOptions o;
  EXPECT_EQ(o.spec.display(), "get:calls:active_count");
  EXPECT_EQ(o.redis_url, "redis://127.0.0.1:6379/0");
  EXPECT_EQ(o.interval, std::chrono::milliseconds(1));
  EXPECT_EQ(o.trace, TraceMode::kMonitor);
  EXPECT_NO_THROW(validate(o));
  o.redis_url = "http://nope";
  try {
    validate(o);
    ADD_FAILURE() << "accepted a bad --redis";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("--redis"));
  }
  o.spec = parse_gauge_spec("none");  // no Redis needed, so its URL is not checked
  EXPECT_NO_THROW(validate(o));
  o.interval = std::chrono::milliseconds(0);
  EXPECT_THROW(validate(o), InputError);
}

}  // namespace
}  // namespace callsim
