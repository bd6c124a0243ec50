#include "redis_server.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>

namespace callsim::test {
namespace {

RedisServer::Options unix_only() {
  RedisServer::Options options;
  options.tcp = false;
  return options;
}

TEST(RedisServer, AnswersOnUnixSocketAndTcpAndIsPrivate) {
  RedisServer a;
  RedisServer b(unix_only());
  EXPECT_GT(a.port(), 0);
  EXPECT_EQ(b.port(), 0);
  EXPECT_NE(a.socket_path(), b.socket_path());

  auto set = a.command("SET %s %s", "calls:active_count", "7");
  ASSERT_EQ(set->type, REDIS_REPLY_STATUS);
  // The two servers share nothing.
  auto other = b.command("GET %s", "calls:active_count");
  EXPECT_EQ(other->type, REDIS_REPLY_NIL);

  timeval timeout{2, 0};
  RedisContextPtr tcp(redisConnectWithTimeout("127.0.0.1", a.port(), timeout));
  ASSERT_TRUE(tcp && !tcp->err);
  RedisReplyPtr get(static_cast<redisReply*>(redisCommand(tcp.get(), "GET calls:active_count")));
  ASSERT_EQ(get->type, REDIS_REPLY_STRING);
  EXPECT_STREQ(get->str, "7");
}

TEST(RedisServer, RequiresPasswordWhenSet) {
  RedisServer::Options options = unix_only();
  options.password = "s3cret";
  RedisServer server(options);
  timeval timeout{2, 0};
  RedisContextPtr raw(redisConnectUnixWithTimeout(server.socket_path().c_str(), timeout));
  RedisReplyPtr denied(static_cast<redisReply*>(redisCommand(raw.get(), "GET x")));
  ASSERT_EQ(denied->type, REDIS_REPLY_ERROR);
  EXPECT_NE(std::string(denied->str).find("NOAUTH"), std::string::npos);
  EXPECT_EQ(server.command("PING")->type, REDIS_REPLY_STATUS);
}

TEST(RedisServer, StopsAndCleansUpItsDirectory) {
  std::string socket;
  {
    RedisServer server(unix_only());
    socket = server.socket_path();
    EXPECT_TRUE(std::filesystem::exists(socket));
  }
  EXPECT_FALSE(std::filesystem::exists(std::filesystem::path(socket).parent_path()));
}

TEST(ChildProcess, ReportsExitStatusAndOutput) {
  TempDir dir;
  ChildProcess p({"sh", "-c", "echo hello; exit 3"}, dir.path() + "/out.txt");
  auto status = p.wait_for(std::chrono::seconds(5));
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(*status, 3);
  EXPECT_EQ(p.output(), "hello\n");
}

TEST(ChildProcess, StopEscalatesToKill) {
  TempDir dir;
  ChildProcess p({"sh", "-c", "trap '' TERM; echo armed; while :; do sleep 0.05; done"},
                 dir.path() + "/o");
  // Only once the trap is armed does SIGTERM prove anything.
  ASSERT_TRUE(eventually([&] { return p.output() == "armed\n"; }, std::chrono::seconds(5)));
  EXPECT_EQ(p.stop(std::chrono::milliseconds(200)), 128 + SIGKILL);
}

}  // namespace
}  // namespace callsim::test
