// Twilio's call flow as production runs it: the webhook over https://, the stream over wss://,
// every request signed with the account's auth token, and a server that refuses what it cannot
// verify. The certificate is made at test time; callsim trusts it through --ca-file.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "child_process.h"
#include "test_certificate.h"
#include "verdict_run.h"

namespace callsim::test {
namespace {

// Each process reads its token from the environment variable it is told to, so one test can
// give the bot and callsim different tokens.
constexpr const char* kBotToken = "CALLSIM_TEST_BOT_TOKEN";
constexpr const char* kCallerToken = "CALLSIM_TEST_CALLER_TOKEN";

class SecureFlow : public testing::Test {
 protected:
  void SetUp() override {
    certificate_ = make_test_certificate(dir_.path());
    ::setenv(kBotToken, "0123456789abcdef0123456789abcdef", 1);
  }
  void TearDown() override {
    ::unsetenv(kBotToken);
    ::unsetenv(kCallerToken);
  }

  std::vector<std::string> tls_bot(std::vector<std::string> extra) const {
    std::vector<std::string> args = {"--tls-cert",          certificate_.cert_file, "--tls-key",
                                     certificate_.key_file, "--auth-token-env",     kBotToken};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }

  std::vector<std::string> https_callsim(const char* token_variable) const {
    std::vector<std::string> args = burst_args(1, "1s");
    args.insert(args.end(), {"--webhook", kBotHttpsWebhook, "--ca-file", certificate_.cert_file,
                             "--auth-token-env", token_variable});
    return args;
  }

  TempDir dir_;
  TestCertificate certificate_;
};

TEST_F(SecureFlow, SignedHttpsWebhookAndWssStreamPassEveryCheck) {
  VerdictRun run =
      run_callsim_against_bot(tls_bot({"--admit-at", "webhook"}), https_callsim(kBotToken));
  EXPECT_TRUE(every_check_passed(run, 1)) << run.describe();
  // The bot's TwiML named a wss:// stream; a scheme mismatch would have been a protocol error.
  EXPECT_NE(run.callsim_output.find("outcomes: completed 50 rejected 10"), std::string::npos)
      << run.describe();
  EXPECT_EQ(run.callsim_output.find("hint:"), std::string::npos) << run.describe();
  // Every callback reached the bot over TLS (it closes after each answer and says so).
  EXPECT_NE(run.callsim_output.find("webhooks 60 posted; status callbacks 50 posted (0 failed); "
                                    "stream status callbacks 100 posted (0 failed)"),
            std::string::npos)
      << run.describe();
}

// A caller with the wrong token is refused at the webhook (403) before any admission: nothing is
// admitted, the gauge never moves, and callsim says why.
TEST_F(SecureFlow, WrongAuthTokenIsRefusedAtTheWebhookAndNamed) {
  ::setenv(kCallerToken, "not-the-account-token", 1);
  VerdictRun run =
      run_callsim_against_bot(tls_bot({"--admit-at", "webhook"}), https_callsim(kCallerToken));
  // Every call failed alike before admission: a setup problem, not a cap verdict (issue 11).
  EXPECT_EQ(run.exit_code, 3) << run.describe();
  EXPECT_NE(run.callsim_output.find(
                "all 60 calls failed before admission: the voice webhook answered HTTP 403"),
            std::string::npos)
      << run.describe();
  EXPECT_EQ(run.check("no_leak").total, "PASS") << run.describe();
  EXPECT_NE(run.callsim_output.find("outcomes: protocol_error 60"), std::string::npos)
      << run.describe();
  EXPECT_NE(run.callsim_output.find(
                "hint: 60 calls refused with HTTP 401/403 (0 at the upgrade, 60 at the webhook)"),
            std::string::npos)
      << run.describe();
}

// Straight to the stream (no webhook): the upgrade's x-twilio-signature covers the wss:// URL.
TEST_F(SecureFlow, UpgradeSignatureIsCheckedBeforeAdmission) {
  ::setenv(kCallerToken, "not-the-account-token", 1);
  for (const char* token : {kBotToken, kCallerToken}) {
    std::vector<std::string> args = burst_args(1, "1s");
    args.insert(args.end(), {"--url", kBotWssUrl, "--ca-file", certificate_.cert_file,
                             "--auth-token-env", token});
    VerdictRun run = run_callsim_against_bot(tls_bot({"--admit-at", "upgrade"}), args);
    if (token == kBotToken) {
      EXPECT_TRUE(every_check_passed(run, 1)) << run.describe();
    } else {
      // A 403 is not a capacity answer: a protocol error, and a uniform setup failure (exit 3).
      EXPECT_EQ(run.exit_code, 3) << run.describe();
      EXPECT_NE(run.callsim_output.find("outcomes: protocol_error 60"), std::string::npos)
          << run.describe();
      EXPECT_NE(run.callsim_output.find("hint: 60 calls refused with HTTP 401/403 (60 at the "
                                        "upgrade, 0 at the webhook)"),
                std::string::npos)
          << run.describe();
      EXPECT_EQ(run.check("no_leak").total, "PASS") << run.describe();
    }
  }
}

}  // namespace
}  // namespace callsim::test
