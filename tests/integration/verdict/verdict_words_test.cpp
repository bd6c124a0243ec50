// The run's verdict word against real programs: a run that decided nothing, and a Redis that
// died or froze mid-run, are not a pass (issue 11, "Honest verdicts").
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include "redis_server.h"
#include "verdict_run.h"

namespace callsim::test {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::Not;

// A TCP listener that never accepts: connections complete in the backlog and every upgrade
// waits forever.
class SilentListener {
 public:
  SilentListener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::listen(fd_, 128);
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
  }
  ~SilentListener() { ::close(fd_); }
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

TEST(VerdictWords, NoCallDecidedIsIncompleteNotAPass) {
  // Before: "interrupted 10", every check SKIP or PASS, VERDICT: PASS, exit 0.
  SilentListener silent;
  VerdictRun run = run_callsim_against_bot(
      {}, {"--url", "ws://127.0.0.1:" + std::to_string(silent.port()) + "/ws/twilio-media",
           "--concurrent", "10", "--hold", "5s", "--duration", "1s", "--settle", "1s"});
  EXPECT_EQ(run.exit_code, 5) << run.describe();
  EXPECT_EQ(run.verdict, "INCOMPLETE") << run.describe();
  EXPECT_THAT(run.verdict_text, HasSubstr("VERDICT: INCOMPLETE: no call was decided (10 calls: "
                                          "10 interrupted"))
      << run.describe();
}

TEST(VerdictWords, RedisKilledMidRunIsIncomplete) {
  // Before: no_leak SKIP, everything else PASS on the first second, VERDICT: PASS, exit 0, and
  // the header still said "exact MONITOR trace".
  VerdictRun run = run_callsim_against_bot({"--admission", "lua"},
                                           {"--concurrent", "20", "--hold", "3s", "--settle", "2s"},
                                           [](RedisServer& redis) {
                                             std::this_thread::sleep_for(1500ms);
                                             redis.signal(SIGKILL);
                                           });
  EXPECT_EQ(run.exit_code, 5) << run.describe();
  EXPECT_EQ(run.verdict, "INCOMPLETE") << run.describe();
  EXPECT_EQ(run.check("no_leak").total, "SKIP") << run.describe();
  EXPECT_EQ(run.check("admitted_within_cap").total, "PASS") << run.describe();
  EXPECT_THAT(run.callsim_output, HasSubstr("gauge: MONITOR trace lost at +")) << run.describe();
  EXPECT_THAT(run.callsim_output, Not(HasSubstr("exact MONITOR trace"))) << run.describe();
  EXPECT_THAT(run.verdict_text, HasSubstr("VERDICT: INCOMPLETE: ")) << run.describe();
}

TEST(VerdictWords, RedisFrozenMidRunIsIncomplete) {
  VerdictRun run = run_callsim_against_bot({"--admission", "lua"},
                                           {"--concurrent", "20", "--hold", "4s", "--settle", "2s"},
                                           [](RedisServer& redis) {
                                             std::this_thread::sleep_for(1500ms);
                                             redis.signal(SIGSTOP);
                                           });
  EXPECT_EQ(run.exit_code, 5) << run.describe();
  EXPECT_EQ(run.verdict, "INCOMPLETE") << run.describe();
  EXPECT_THAT(run.callsim_output, HasSubstr("sampling lost at +")) << run.describe();
}

}  // namespace
}  // namespace callsim::test
