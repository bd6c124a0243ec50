// The whole Twilio call flow: the cap enforced at the TwiML voice webhook (as ProSaaS does), so
// calls are admitted or turned away before any WebSocket; the same verdicts must come out.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "verdict_run.h"

namespace callsim::test {
namespace {

constexpr int kBursts = 3;
const std::string kHold = "1s";

std::vector<std::string> webhook_args(int bursts, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = burst_args(bursts, kHold);
  args.insert(args.end(), {"--webhook", kBotWebhook});
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

TEST(WebhookFlow, CorrectAdmissionPassesEveryCheckInEveryBurst) {
  VerdictRun run = run_callsim_against_bot({"--admit-at", "webhook"}, webhook_args(kBursts));
  EXPECT_TRUE(every_check_passed(run, kBursts)) << run.describe();
}

TEST(WebhookFlow, CorrectSetScriptPassesEveryCheckInEveryBurst) {
  VerdictRun run =
      run_callsim_against_bot({"--admit-at", "webhook", "--admission", "set-lua"},
                              webhook_args(kBursts, {"--gauge", "scard:calls:active"}));
  EXPECT_TRUE(every_check_passed(run, kBursts)) << run.describe();
}

TEST(WebhookFlow, RejectTwimlIsAnExplicitRejectionToo) {
  VerdictRun run = run_callsim_against_bot({"--admit-at", "webhook", "--reject-twiml", "reject"},
                                           webhook_args(1));
  EXPECT_TRUE(every_check_passed(run, 1)) << run.describe();
}

TEST(WebhookFlow, RacyCheckThenActOverAdmits) {
  VerdictRun run = run_callsim_against_bot({"--admit-at", "webhook", "--admission", "get-incr",
                                            "--race-window-us", "2000", "--admission-threads", "8"},
                                           webhook_args(kBursts));
  EXPECT_EQ(run.exit_code, 1) << run.describe();
  EXPECT_EQ(run.check("admitted_within_cap").total, "FAIL") << run.describe();
  EXPECT_EQ(run.check("rejections_clean").total, "PASS") << run.describe();
}

TEST(WebhookFlow, RacyScardThenSaddOverAdmits) {
  VerdictRun run =
      run_callsim_against_bot({"--admit-at", "webhook", "--admission", "scard-sadd",
                               "--race-window-us", "2000", "--admission-threads", "8"},
                              webhook_args(kBursts, {"--gauge", "scard:calls:active"}));
  EXPECT_EQ(run.exit_code, 1) << run.describe();
  EXPECT_EQ(run.check("admitted_within_cap").total, "FAIL") << run.describe();
  EXPECT_EQ(run.check("rejections_clean").total, "PASS") << run.describe();
}

TEST(WebhookFlow, WatchRetriesRejectFalselyAtTheWebhook) {
  VerdictRun run = run_callsim_against_bot(
      {"--admit-at", "webhook", "--admission", "watch", "--admission-threads", "8"},
      webhook_args(kBursts));
  EXPECT_EQ(run.exit_code, 1) << run.describe();
  EXPECT_EQ(run.check("full_admission").total, "FAIL") << run.describe();
  EXPECT_EQ(run.check("admitted_within_cap").total, "PASS") << run.describe();
}

// Admitted at the webhook, but the WebSocket never opens: only the status callback can free the
// slot. With it the gauge settles; without it the slots leak.
TEST(WebhookFlow, SkippedStreamsAreReleasedByTheStatusCallback) {
  VerdictRun run = run_callsim_against_bot(
      {"--admit-at", "webhook"}, webhook_args(1, {"--skip-stream-ratio", "0.2", "--settle", "3s"}));
  EXPECT_EQ(run.exit_code, 0) << run.describe();
  EXPECT_EQ(run.check("no_leak").total, "PASS") << run.describe();
}

TEST(WebhookFlow, SkippedStreamsLeakWithoutTheStatusCallback) {
  VerdictRun run = run_callsim_against_bot(
      {"--admit-at", "webhook"},
      webhook_args(1, {"--skip-stream-ratio", "0.2", "--no-status-callback", "--settle", "2s"}));
  EXPECT_EQ(run.exit_code, 1) << run.describe();
  EXPECT_EQ(run.check("no_leak").total, "FAIL") << run.describe();
}

// Every call ends twice for a double-releasing server: at `stop`, and again at the status
// callback. The counter sinks below zero and stays there.
TEST(WebhookFlow, DoubleReleaseAtTheStatusCallbackDriftsTheGaugeBelowZero) {
  VerdictRun run = run_callsim_against_bot({"--admit-at", "webhook", "--fault", "double-release"},
                                           webhook_args(1, {"--settle", "1s"}));
  EXPECT_TRUE(run.bot_survived) << run.describe();
  EXPECT_EQ(run.exit_code, 1) << run.describe();
  EXPECT_EQ(run.check("never_negative").total, "FAIL") << run.describe();
  EXPECT_EQ(run.check("no_leak").total, "FAIL") << run.describe();
  EXPECT_EQ(run.check("admitted_within_cap").total, "PASS") << run.describe();
}

// A server whose only release is its status callback handler, decrementing on every
// CallStatus=completed (the bug real servers have: no check that the call held a slot). The 10
// calls of 60 it turned away with <Reject reason="busy"> were never answered, so Twilio reports
// them busy and the counter stays exact. Reported as completed (callsim's old behaviour), each
// would take a slot back that it never took: the gauge reads 40 with 50 calls up
// (gauge_consistent), ends at -10 (never_negative, no_leak) and the bot admits 10 calls over
// its cap in the next burst (admitted_within_cap).
TEST(WebhookFlow, RejectedCallsEndBusySoAServerReleasingOnCompletedStaysExact) {
  VerdictRun run = run_callsim_against_bot(
      {"--admit-at", "webhook", "--reject-twiml", "reject", "--fault", "release-on-completed"},
      webhook_args(kBursts, {"--status-callback", kBotCallStatus, "--settle", "1s"}));
  EXPECT_TRUE(run.bot_survived) << run.describe();
  EXPECT_EQ(run.check("never_negative").total, "PASS") << run.describe();
  EXPECT_EQ(run.check("no_leak").total, "PASS") << run.describe();
  EXPECT_TRUE(every_check_passed(run, kBursts)) << run.describe();
}

// A server that frees slots only on `stop` loses the dropped calls' slots, unless the call's
// status callback frees them: webhook-mode servers are rescued by Twilio's callback.
TEST(WebhookFlow, LeakOnAbruptCloseIsRescuedByTheStatusCallback) {
  VerdictRun run =
      run_callsim_against_bot({"--admit-at", "webhook", "--fault", "leak-on-abrupt-close"},
                              webhook_args(1, {"--drop-ratio", "0.2", "--settle", "2s"}));
  EXPECT_TRUE(run.bot_survived) << run.describe();
  EXPECT_EQ(run.exit_code, 0) << run.describe();
  EXPECT_EQ(run.check("no_leak").total, "PASS") << run.describe();
}

TEST(WebhookFlow, LeakOnAbruptCloseLeaksWithoutTheStatusCallback) {
  VerdictRun run = run_callsim_against_bot(
      {"--admit-at", "webhook", "--fault", "leak-on-abrupt-close"},
      webhook_args(1, {"--drop-ratio", "0.2", "--no-status-callback", "--settle", "2s"}));
  EXPECT_TRUE(run.bot_survived) << run.describe();
  EXPECT_EQ(run.exit_code, 1) << run.describe();
  EXPECT_TRUE(totals_are(run, {{"admitted_within_cap", "PASS"},
                               {"full_admission", "PASS"},
                               {"rejections_clean", "PASS"},
                               {"gauge_within_cap", "PASS"},
                               {"gauge_consistent", "PASS"},
                               {"no_leak", "FAIL"},
                               {"never_negative", "PASS"},
                               {"calls_completed", "PASS"}}))
      << run.describe();
}

}  // namespace
}  // namespace callsim::test
