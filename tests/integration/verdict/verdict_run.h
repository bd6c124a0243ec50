#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace callsim::test {

// The cap both programs are given: the 60 calls against a cap of 50.
constexpr int kCap = 50;
constexpr int kBurstSize = 60;

// The cap verification's check names, in the order callsim reports them.
extern const std::vector<std::string> kAllChecks;

// One check's verdicts from the JSON report: the run's total and one per burst (in burst order;
// empty for a single burst, whose total is its only verdict).
struct CheckVerdicts {
  std::string total;  // "PASS", "FAIL" or "SKIP"; empty when the report lacks the check
  std::vector<std::string> per_burst;
  std::string summary;                    // the total's
  std::map<std::string, double> metrics;  // the total's, folded over the bursts
  std::vector<std::map<std::string, double>> per_burst_metrics;  // as the report writes them

  // How many bursts ended with `verdict`, counting a single-burst run's total as its burst.
  int bursts_with(const std::string& verdict) const;
};

// What one callsim run against callsim-bot ended with.
struct VerdictRun {
  int exit_code = -1;  // -1: callsim did not finish within its timeout
  bool bot_survived = false;
  int bursts = 0;
  std::string verdict;       // the report's top-level "verdict" (PASS, FAIL, INCOMPLETE, ...)
  std::string verdict_text;  // the last line callsim printed
  std::map<std::string, CheckVerdicts> checks;  // by check name; empty when there is no report
  std::map<std::string, int> reject_kinds;      // the report's calls, by reject_kind
  std::string callsim_output;
  std::string report;  // the JSON report as written
  std::string bot_output;
  std::chrono::milliseconds took{0};

  CheckVerdicts check(const std::string& name) const;
  // "admitted_within_cap=PASS[..F.] ..." for every check: the one line a failure message needs.
  std::string verdict_line() const;
  // The verdict line, callsim's text report and the end of the bot's output.
  std::string describe() const;
};

// Stand, in callsim's arguments, for the bot's voice webhook URL (http://127.0.0.1:PORT/...),
// and the same over TLS (for a bot given --tls-cert/--tls-key).
inline const std::string kBotWebhook = "@bot-webhook";
inline const std::string kBotHttpsWebhook = "@bot-https-webhook";
// The bot's status callback URL (http://127.0.0.1:PORT/webhook/call_status), for
// `--status-callback`.
inline const std::string kBotCallStatus = "@bot-call-status";
// The bot's wss:// stream URL, for `--url` (callsim dials ws://127.0.0.1:PORT/... otherwise).
inline const std::string kBotWssUrl = "@bot-wss-url";

// callsim's arguments for `bursts` closed-model bursts of kBurstSize calls held for `hold`.
std::vector<std::string> burst_args(int bursts, const std::string& hold);

// A private redis-server, callsim-bot started with `bot_args` on a free loopback port (cap
// kCap, speaking the repo's fixtures) and callsim run with `callsim_args` against it, writing a
// JSON report (with "capacity" among the arguments, the capacity report, kept unparsed in
// `report`). Both programs reach Redis over its unix socket; a "--cap N" in `bot_args` replaces
// kCap for both. Records a test failure (and
// returns exit_code -1) when the bot does not start or callsim does not finish in time.
// `while_running`, when given, is called with the Redis server once callsim has started (to
// kill or freeze it mid-run); `kill_bot_after`, when given, SIGKILLs the bot that long after
// callsim started.
class RedisServer;
VerdictRun run_callsim_against_bot(const std::vector<std::string>& bot_args,
                                   const std::vector<std::string>& callsim_args,
                                   const std::function<void(RedisServer&)>& while_running = {},
                                   std::chrono::milliseconds kill_bot_after = {});

// callsim alone with `args` (a subcommand first, if any), then a --url nothing listens at and
// --gauge none: for the usage errors that must come before any call. Records a test failure
// unless it exits 2, and returns what it printed.
std::string callsim_usage_error(const std::vector<std::string>& args);

// Exit code 0, and every check PASSed in the total and in each of `bursts` bursts.
testing::AssertionResult every_check_passed(const VerdictRun& run, int bursts);

// The run's total verdict of every check in kAllChecks is as `expected` says (which must name
// them all, so no verdict goes unasserted).
testing::AssertionResult totals_are(const VerdictRun& run,
                                    const std::map<std::string, std::string>& expected);

}  // namespace callsim::test
