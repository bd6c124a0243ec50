#include "core/redis_url.h"

#include <gtest/gtest.h>

#include "core/errors.h"

namespace callsim {
namespace {

TEST(RedisUrl, ParsesTcpForms) {
  auto u = parse_redis_url("redis://127.0.0.1:6380/2");
  EXPECT_FALSE(u.is_unix);
  EXPECT_EQ(u.host, "127.0.0.1");
  EXPECT_EQ(u.port, 6380);
  EXPECT_EQ(u.db, 2);
  EXPECT_EQ(u.password, "");

  u = parse_redis_url("redis://:pa:ss@localhost");
  EXPECT_EQ(u.host, "localhost");
  EXPECT_EQ(u.port, 6379);
  EXPECT_EQ(u.username, "");
  EXPECT_EQ(u.password, "pa:ss");
  EXPECT_EQ(u.display(), "redis://:***@localhost:6379/0");

  u = parse_redis_url("redis://alice:pw@[::1]:7000/");
  EXPECT_EQ(u.username, "alice");
  EXPECT_EQ(u.host, "::1");
  EXPECT_EQ(u.port, 7000);
}

TEST(RedisUrl, ParsesUnixForms) {
  auto u = parse_redis_url("unix:///tmp/r.sock");
  EXPECT_TRUE(u.is_unix);
  EXPECT_EQ(u.socket_path, "/tmp/r.sock");
  u = parse_redis_url("unix:///tmp/r.sock?db=3&password=x");
  EXPECT_EQ(u.db, 3);
  EXPECT_EQ(u.password, "x");
}

TEST(RedisUrl, RejectsBadUrlsWithTheUrlInTheMessage) {
  for (const char* bad : {"http://x", "redis://", "redis://h:0", "redis://h:70000", "redis://h:p",
                          "redis://h/x", "unix://rel.sock", "unix:///s?foo=1", "rediss://h"}) {
    try {
      parse_redis_url(bad);
      ADD_FAILURE() << "accepted " << bad;
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find(bad), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace callsim
