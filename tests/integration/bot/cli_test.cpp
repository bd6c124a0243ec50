// The callsim-bot binary: one line and exit 2 for bad flags, exit 3 when Redis is not there,
// the listening line and the port file, a clean stop on SIGTERM that releases live calls.
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "calls.h"
#include "child_process.h"
#include "core/twilio_signature.h"
#include "https_client.h"
#include "raw_http.h"
#include "redis_server.h"
#include "test_certificate.h"

namespace callsim::bot::test {
namespace {

using callsim::test::ChildProcess;
using callsim::test::RedisServer;
using callsim::test::TempDir;

const std::string kBot = std::string(CALLSIM_BIN_DIR) + "/callsim-bot";

struct Exit {
  int status = -1;
  std::string output;
};

Exit run_to_exit(std::vector<std::string> args) {
  TempDir dir;
  args.insert(args.begin(), kBot);
  ChildProcess bot(args, dir.path() + "/out.txt");
  Exit run;
  run.status = bot.wait_for(std::chrono::seconds(20)).value_or(-1);
  run.output = bot.output();
  return run;
}

size_t lines(const std::string& text) {
  return static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
}

void expect_one_line_error(const Exit& run, int status, const std::string& mentions) {
  EXPECT_EQ(run.status, status) << run.output;
  EXPECT_EQ(lines(run.output), 1u) << run.output;
  EXPECT_EQ(run.output.rfind("callsim-bot: ", 0), 0u) << run.output;
  EXPECT_NE(run.output.find(mentions), std::string::npos) << run.output;
}

// The port the bot wrote to --port-file, once it did; 0 if it did not within 10 s.
int port_once_listening(ChildProcess& bot, const std::string& port_file) {
  int port = 0;
  callsim::test::eventually(
      [&] {
        std::ifstream(port_file) >> port;
        return port > 0 || !bot.running();
      },
      std::chrono::seconds(10));
  return port;
}

TEST(BotCommandLine, BadFlagsPrintOneLineAndExit2) {
  const std::string redis = "--redis=unix:///nonexistent.sock";
  expect_one_line_error(run_to_exit({"--bogus", redis}), 2, "--bogus");
  expect_one_line_error(run_to_exit({}), 2, "--redis");
  expect_one_line_error(run_to_exit({redis, "--admission", "yolo"}), 2, "yolo");
  expect_one_line_error(run_to_exit({redis, "--admit-at", "dial"}), 2, "dial");
  expect_one_line_error(run_to_exit({redis, "--fault", "explode"}), 2, "explode");
  expect_one_line_error(run_to_exit({redis, "--fault", "release-delay=5"}), 2, "release-delay");
  expect_one_line_error(run_to_exit({redis, "--fault", "double-release=1s"}), 2, "double-release");
  expect_one_line_error(run_to_exit({redis, "--admission", "set-lua", "--fault", "clamp-reset"}), 2,
                        "clamp-reset");
  expect_one_line_error(run_to_exit({redis, "--listen", "nonsense"}), 2, "--listen");
  expect_one_line_error(run_to_exit({redis, "--listen", "127.0.0.1:99999"}), 2, "99999");
  expect_one_line_error(run_to_exit({"--redis", "http://x"}), 2, "http://x");
  expect_one_line_error(run_to_exit({redis, "--cap", "-1"}), 2, "--cap");
}

TEST(BotCommandLine, HelpListsTheFlags) {
  Exit run = run_to_exit({"--help"});
  EXPECT_EQ(run.status, 0);
  for (const char* flag :
       {"--admission", "--admit-at", "--fault", "--race-window-us", "--port-file", "--reject-twiml",
        "--silent", "--think-ms", "--tls-cert", "--tls-key", "--auth-token-env"}) {
    EXPECT_NE(run.output.find(flag), std::string::npos) << flag;
  }
}

// Every flag also comes from CALLSIM_BOT_<FLAG>, and a flag given beats its variable.
TEST(BotCommandLine, EveryFlagAlsoComesFromTheEnvironmentAndAFlagBeatsIt) {
  const std::string unreachable =
      "redis://127.0.0.1:" + std::to_string(callsim::test::free_tcp_port());
  auto with_env = [](const std::string& assignment, std::vector<std::string> args) {
    args.insert(args.begin(), {assignment, kBot});
    args.insert(args.begin(), "/usr/bin/env");
    TempDir dir;
    ChildProcess bot(args, dir.path() + "/out.txt");
    Exit run;
    run.status = bot.wait_for(std::chrono::seconds(20)).value_or(-1);
    run.output = bot.output();
    return run;
  };
  // --redis is required: from the variable, the bot gets as far as dialling it.
  expect_one_line_error(with_env("CALLSIM_BOT_REDIS=" + unreachable, {}), 3, "Redis");
  expect_one_line_error(with_env("CALLSIM_BOT_CAP=-1", {"--redis", unreachable}), 2, "--cap");
  expect_one_line_error(with_env("CALLSIM_BOT_CAP=-1", {"--redis", unreachable, "--cap", "5"}), 3,
                        "Redis");
  const Exit help = run_to_exit({"--help"});
  EXPECT_NE(help.output.find("CALLSIM_BOT_THINK_PER_CALL"), std::string::npos) << help.output;
}

TEST(BotCommandLine, UnreachableRedisExits3) {
  int port = callsim::test::free_tcp_port();
  expect_one_line_error(run_to_exit({"--redis", "redis://127.0.0.1:" + std::to_string(port)}), 3,
                        "Redis");
}

TEST(BotCommandLine, UnusableAudioOrAddressExits2) {
  RedisServer redis;
  expect_one_line_error(
      run_to_exit({"--redis", redis.unix_url(), "--greeting", "/nonexistent.opus"}), 2,
      "--greeting");
  // Redis holds this port without SO_REUSEPORT.
  expect_one_line_error(run_to_exit({"--redis", redis.unix_url(), "--listen",
                                     "127.0.0.1:" + std::to_string(redis.port())}),
                        2, "cannot listen");
}

// Checked before Redis is dialled: these exit 2 although Redis is not there either.
TEST(BotCommandLine, UnusableTlsFilesExit2) {
  const std::string redis = "--redis=unix:///nonexistent.sock";
  TempDir dir, other;
  auto certificate = callsim::test::make_test_certificate(dir.path());
  auto stranger = callsim::test::make_test_certificate(other.path());
  expect_one_line_error(run_to_exit({redis, "--tls-cert", certificate.cert_file}), 2,
                        "--tls-cert needs --tls-key");
  expect_one_line_error(run_to_exit({redis, "--tls-key", certificate.key_file}), 2,
                        "--tls-key needs --tls-cert");
  expect_one_line_error(run_to_exit({redis, "--tls-cert", dir.path() + "/missing.pem", "--tls-key",
                                     certificate.key_file}),
                        2, "--tls-cert " + dir.path() + "/missing.pem");
  expect_one_line_error(
      run_to_exit({redis, "--tls-cert", certificate.cert_file, "--tls-key", stranger.key_file}), 2,
      "--tls-key " + stranger.key_file);
}

TEST(BotCommandLine, AuthTokenVariableMustHoldAToken) {
  const std::string redis = "--redis=unix:///nonexistent.sock";
  ::unsetenv("CALLSIM_BOT_TEST_UNSET_TOKEN");
  expect_one_line_error(run_to_exit({redis, "--auth-token-env", "CALLSIM_BOT_TEST_UNSET_TOKEN"}), 2,
                        "--auth-token-env CALLSIM_BOT_TEST_UNSET_TOKEN: the environment "
                        "variable is not set");
  ::setenv("CALLSIM_BOT_TEST_EMPTY_TOKEN", "", 1);
  expect_one_line_error(run_to_exit({redis, "--auth-token-env", "CALLSIM_BOT_TEST_EMPTY_TOKEN"}), 2,
                        "--auth-token-env CALLSIM_BOT_TEST_EMPTY_TOKEN: the environment "
                        "variable is empty");
}

TEST(BotCommandLine, ServesTlsAndChecksSignaturesWithTheTokenFromTheEnvironment) {
  RedisServer redis;
  TempDir dir;
  auto certificate = callsim::test::make_test_certificate(dir.path());
  std::string port_file = dir.path() + "/bot.port";
  ::setenv("CALLSIM_BOT_TEST_TOKEN", "token-from-env", 1);
  ChildProcess bot({kBot, "--listen", "127.0.0.1:0", "--port-file", port_file, "--redis",
                    redis.unix_url(), "--silent", "--tls-cert", certificate.cert_file, "--tls-key",
                    certificate.key_file, "--auth-token-env", "CALLSIM_BOT_TEST_TOKEN"},
                   dir.path() + "/out.txt");
  const int port = port_once_listening(bot, port_file);
  ASSERT_GT(port, 0) << bot.output();
  std::string url = "https://127.0.0.1:" + std::to_string(port) + "/webhook/incoming_call";
  std::string body = form_body({{"CallSid", call_sid(1)}});
  EXPECT_EQ(https_request(url, certificate.cert_file, "POST", body).status, 403);
  auto twiml = https_request(url, certificate.cert_file, "POST", body,
                             {"X-Twilio-Signature: " +
                              twilio_signature("token-from-env", url, {{"CallSid", call_sid(1)}})});
  EXPECT_EQ(twiml.status, 200);
  EXPECT_NE(twiml.body.find("wss://127.0.0.1:" + std::to_string(port) + "/ws/twilio-media"),
            std::string::npos)
      << twiml.body;
  bot.signal(SIGTERM);
  EXPECT_EQ(bot.wait_for(std::chrono::seconds(10)).value_or(-1), 0) << bot.output();
  std::string out = bot.output();
  EXPECT_NE(out.find("TLS with certificate " + certificate.cert_file), std::string::npos) << out;
  EXPECT_NE(out.find("X-Twilio-Signature required"), std::string::npos) << out;
  EXPECT_EQ(out.find("token-from-env"), std::string::npos) << out;
}

TEST(BotCommandLine, ServesUntilSigtermAndReleasesLiveCalls) {
  RedisServer redis;
  TempDir dir;
  std::string port_file = dir.path() + "/bot.port";
  ChildProcess bot({kBot, "--listen", "127.0.0.1:0", "--port-file", port_file, "--redis",
                    redis.unix_url(), "--silent", "--cap", "3"},
                   dir.path() + "/out.txt");
  const int port = port_once_listening(bot, port_file);
  ASSERT_GT(port, 0) << bot.output();
  EXPECT_NE(bot.output().find("listening on 127.0.0.1:" + std::to_string(port) + "\n"),
            std::string::npos)
      << bot.output();
  EXPECT_EQ(http_get(static_cast<uint16_t>(port), "/health").body, "ok");

  TwilioCalls callers(static_cast<uint16_t>(port));
  size_t live = place_call(callers, 1);
  size_t done = place_call(callers, 2);
  auto gauge = [&] {
    auto reply = redis.command("GET %s", "calls:active_count");
    return reply->type == REDIS_REPLY_STRING ? std::atoi(reply->str) : 0;
  };
  ASSERT_TRUE(callsim::test::eventually([&] { return gauge() == 2; }, std::chrono::seconds(10)));
  hang_up(callers, done, 2);
  ASSERT_TRUE(callers.wait_for(done, is_closed));

  bot.signal(SIGTERM);
  EXPECT_EQ(bot.wait_for(std::chrono::seconds(10)).value_or(-1), 0) << bot.output();
  ASSERT_TRUE(callers.wait_for(live, is_closed));
  EXPECT_EQ(callers.snapshot(live).close_code, 1001);
  EXPECT_EQ(gauge(), 0);
  std::string out = bot.output();
  EXPECT_NE(out.find("call " + call_sid(2) + " stream " + stream_sid(2) + " outcome=completed"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("call " + call_sid(1) + " stream " + stream_sid(1) + " outcome=hangup"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("stopping (SIGTERM)"), std::string::npos);
}

}  // namespace
}  // namespace callsim::bot::test
