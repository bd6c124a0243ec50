#include "verify/uniform_failure.h"

#include <gtest/gtest.h>

namespace callsim {
namespace {

std::vector<CallRecord> calls(size_t n, Outcome outcome, int http_status = 0) {
  std::vector<CallRecord> out(n);
  for (auto& c : out) {
    c.outcome = outcome;
    c.http_status = http_status;
  }
  return out;
}

TEST(UniformFailure, AllUpgradesAnswered404PointsAtTheUrlPath) {
  auto f = diagnose_uniform_failure(calls(60, Outcome::kProtocolError, 404));
  ASSERT_TRUE(f);
  EXPECT_EQ(f->message, "all 60 calls failed before admission: upgrade answered HTTP 404");
  EXPECT_EQ(f->hint, "check the --url path");
}

TEST(UniformFailure, AWebhook404PointsAtTheWebhookUrl) {
  auto all = calls(4, Outcome::kProtocolError, 404);
  for (auto& c : all) c.error = "webhook http://h/x answered HTTP 404";
  auto f = diagnose_uniform_failure(all);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->message, "all 4 calls failed before admission: the voice webhook answered HTTP 404");
  EXPECT_EQ(f->hint, "check the --webhook URL");
}

TEST(UniformFailure, AuthRefusalsReuseTheSignatureHint) {
  auto f = diagnose_uniform_failure(calls(5, Outcome::kProtocolError, 403));
  ASSERT_TRUE(f);
  EXPECT_NE(f->hint.find("X-Twilio-Signature"), std::string::npos);
}

TEST(UniformFailure, RefusedTimeoutAndTlsEachHaveAHint) {
  auto refused = diagnose_uniform_failure(calls(3, Outcome::kRefused));
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->message, "all 3 calls failed before admission: connection refused");
  EXPECT_NE(refused->hint.find("is the server running"), std::string::npos);
  auto timeout = diagnose_uniform_failure(calls(2, Outcome::kHandshakeTimeout));
  ASSERT_TRUE(timeout);
  EXPECT_NE(timeout->hint.find("--handshake-timeout"), std::string::npos);
  auto tls = diagnose_uniform_failure(calls(2, Outcome::kTlsError));
  ASSERT_TRUE(tls);
  EXPECT_NE(tls->hint.find("certificate"), std::string::npos);
}

TEST(UniformFailure, AHandshakeTimeoutSaysWhereItStalled) {
  auto all = calls(2, Outcome::kHandshakeTimeout);
  for (auto& c : all) c.error = "TLS handshake did not complete within 1s";
  auto tls = diagnose_uniform_failure(all);
  ASSERT_TRUE(tls);
  EXPECT_EQ(tls->message,
            "all 2 calls failed before admission: no TLS handshake (handshake timeout)");
  EXPECT_NE(tls->hint.find("never answered TLS"), std::string::npos);
  for (auto& c : all) c.error = "TCP connect did not complete within 1s";
  auto tcp = diagnose_uniform_failure(all);
  ASSERT_TRUE(tcp);
  EXPECT_EQ(tcp->message,
            "all 2 calls failed before admission: no TCP connection (handshake timeout)");
  EXPECT_NE(tcp->hint.find("reachable"), std::string::npos);
}

TEST(UniformFailure, AProtocolErrorBeforeTheUpgradeNamesWhatWentWrong) {
  auto all = calls(2, Outcome::kProtocolError);
  for (auto& c : all) {
    c.error = "the answer to the upgrade is not an HTTP response: \"SSH-2.0-OpenSSH_9.2\"";
  }
  auto garbage = diagnose_uniform_failure(all);
  ASSERT_TRUE(garbage);
  EXPECT_EQ(garbage->message,
            "all 2 calls failed before admission: the answer to the upgrade is not HTTP");
  EXPECT_NE(garbage->hint.find("another protocol"), std::string::npos);
  for (auto& c : all) c.error = "the answer to the upgrade is not valid HTTP (Incomplete Request)";
  auto other = diagnose_uniform_failure(all);
  ASSERT_TRUE(other);
  EXPECT_EQ(other->hint,
            "the first call's error: the answer to the upgrade is not valid HTTP (Incomplete "
            "Request)");
}

TEST(UniformFailure, QuietWhenAnyCallWasAdmittedOrFailedDifferently) {
  auto mixed = calls(10, Outcome::kProtocolError, 404);
  mixed[7].http_status = 500;
  EXPECT_FALSE(diagnose_uniform_failure(mixed));
  auto one_in = calls(10, Outcome::kRefused);
  one_in[0].outcome = Outcome::kCompleted;
  one_in[0].upgraded = TimePoint(std::chrono::seconds(1));
  EXPECT_FALSE(diagnose_uniform_failure(one_in));
  auto later = calls(10, Outcome::kRefused);
  later[9].outcome = Outcome::kHandshakeTimeout;
  EXPECT_FALSE(diagnose_uniform_failure(later));
}

// A full server turning every call away (503) is the cap's business, not a setup problem.
TEST(UniformFailure, CapacityRejectionsAndEmptyRunsAreNotDiagnosed) {
  EXPECT_FALSE(diagnose_uniform_failure(calls(60, Outcome::kRejected, 503)));
  EXPECT_FALSE(diagnose_uniform_failure({}));
}

}  // namespace
}  // namespace callsim
