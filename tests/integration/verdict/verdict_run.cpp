#include "verdict_run.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <fstream>
#include <memory>
#include <sstream>
#include <thread>

#include <csignal>

#include "child_process.h"
#include "redis_server.h"

namespace callsim::test {

namespace {

using namespace std::chrono_literals;

const std::string kCallsim = std::string(CALLSIM_BIN_DIR) + "/callsim";
const std::string kBot = std::string(CALLSIM_BIN_DIR) + "/callsim-bot";
const std::string kAudio = std::string(CALLSIM_FIXTURES_DIR) + "/audio/";

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string tail(const std::string& text, size_t max_chars) {
  return text.size() <= max_chars ? text : "..." + text.substr(text.size() - max_chars);
}

int bursts_requested(const std::vector<std::string>& args) {
  auto it = std::find(args.begin(), args.end(), "--bursts");
  return it != args.end() && it + 1 != args.end() ? std::stoi(*(it + 1)) : 1;
}

// Generous: a burst takes its hold plus a settle of at most a few seconds, but CI is noisy.
std::chrono::milliseconds callsim_timeout(const std::vector<std::string>& args) {
  // `capacity` is a run per step.
  if (std::find(args.begin(), args.end(), "capacity") != args.end()) return 540s;
  return std::min<std::chrono::milliseconds>(60s + bursts_requested(args) * 15s, 540s);
}

std::map<std::string, double> read_metrics(const rapidjson::Value& check) {
  std::map<std::string, double> out;
  if (!check.HasMember("metrics") || !check["metrics"].IsObject()) return out;
  for (const auto& m : check["metrics"].GetObject()) {
    if (m.value.IsNumber()) out[m.name.GetString()] = m.value.GetDouble();
  }
  return out;
}

void read_report(const std::string& path, VerdictRun& run) {
  rapidjson::Document doc;
  run.report = read_file(path);
  doc.Parse(run.report.c_str());
  if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("verification")) {
    ADD_FAILURE() << "no readable verification in the report " << path << "\n" << run.describe();
    return;
  }
  if (doc.HasMember("verdict")) run.verdict = doc["verdict"].GetString();
  const auto& verification = doc["verification"];
  run.bursts = verification["bursts"].GetInt();
  for (const auto& check : verification["checks"].GetArray()) {
    CheckVerdicts verdicts;
    verdicts.total = check["verdict"].GetString();
    verdicts.summary = check["summary"].GetString();
    verdicts.metrics = read_metrics(check);
    if (check.HasMember("per_burst")) {
      for (const auto& burst : check["per_burst"].GetArray()) {
        verdicts.per_burst.push_back(burst["verdict"].GetString());
        verdicts.per_burst_metrics.push_back(read_metrics(burst));
      }
    }
    run.checks[check["name"].GetString()] = verdicts;
  }
  if (doc.HasMember("calls") && doc["calls"].IsArray()) {
    for (const auto& call : doc["calls"].GetArray()) {
      if (call.HasMember("reject_kind")) ++run.reject_kinds[call["reject_kind"].GetString()];
    }
  }
}

char strip_char(const std::string& verdict) {
  return verdict == "PASS" ? '.' : verdict == "FAIL" ? 'F' : verdict == "SKIP" ? '-' : '?';
}

}  // namespace

const std::vector<std::string> kAllChecks = {
    "admitted_within_cap", "full_admission", "rejections_clean", "gauge_within_cap",
    "gauge_consistent",    "no_leak",        "never_negative",   "calls_completed"};

int CheckVerdicts::bursts_with(const std::string& verdict) const {
  if (per_burst.empty()) return total == verdict ? 1 : 0;
  return static_cast<int>(std::count(per_burst.begin(), per_burst.end(), verdict));
}

CheckVerdicts VerdictRun::check(const std::string& name) const {
  auto it = checks.find(name);
  return it == checks.end() ? CheckVerdicts{} : it->second;
}

std::string VerdictRun::verdict_line() const {
  std::string line = "exit " + std::to_string(exit_code) + ":";
  for (const auto& name : kAllChecks) {
    CheckVerdicts v = check(name);
    std::string strip;
    for (const auto& b : v.per_burst) strip += strip_char(b);
    line += " " + name + "=" + (v.total.empty() ? "missing" : v.total);
    if (!strip.empty()) line += "[" + strip + "]";
  }
  return line;
}

std::string VerdictRun::describe() const {
  return verdict_line() + "\n--- callsim (" + std::to_string(took.count()) + " ms) ---\n" +
         tail(callsim_output, 6000) + "\n--- callsim-bot ---\n" + tail(bot_output, 2000);
}

std::string callsim_usage_error(const std::vector<std::string>& args) {
  TempDir dir;
  std::vector<std::string> argv = {kCallsim};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.insert(argv.end(), {"--url", "ws://127.0.0.1:9/ws/twilio-media", "--gauge", "none"});
  ChildProcess process(argv, dir.path() + "/out.txt");
  const int status = process.wait_for(std::chrono::seconds(30)).value_or(-1);
  EXPECT_EQ(status, 2) << process.output();
  return process.output();
}

testing::AssertionResult every_check_passed(const VerdictRun& run, int bursts) {
  if (run.exit_code != 0) return testing::AssertionFailure() << "callsim did not exit 0";
  if (run.bursts != bursts) {
    return testing::AssertionFailure() << run.bursts << " bursts reported, " << bursts << " run";
  }
  for (const auto& name : kAllChecks) {
    CheckVerdicts v = run.check(name);
    if (v.total != "PASS") return testing::AssertionFailure() << name << " did not PASS";
    if (bursts > 1 && v.bursts_with("PASS") != bursts) {
      return testing::AssertionFailure()
             << name << " PASSed in " << v.bursts_with("PASS") << " of " << bursts << " bursts";
    }
  }
  return testing::AssertionSuccess();
}

testing::AssertionResult totals_are(const VerdictRun& run,
                                    const std::map<std::string, std::string>& expected) {
  for (const auto& name : kAllChecks) {
    auto want = expected.find(name);
    if (want == expected.end()) {
      return testing::AssertionFailure() << "the test does not say what " << name << " must be";
    }
    if (run.check(name).total != want->second) {
      return testing::AssertionFailure()
             << name << " is " << run.check(name).total << ", expected " << want->second;
    }
  }
  return testing::AssertionSuccess();
}

std::vector<std::string> burst_args(int bursts, const std::string& hold) {
  return {"--concurrent", std::to_string(kBurstSize),
          "--bursts",     std::to_string(bursts),
          "--hold",       hold};
}

VerdictRun run_callsim_against_bot(const std::vector<std::string>& bot_args,
                                   const std::vector<std::string>& callsim_args,
                                   const std::function<void(RedisServer&)>& while_running,
                                   std::chrono::milliseconds kill_bot_after) {
  VerdictRun run;
  TempDir dir;
  RedisServer redis(RedisServer::Options{/*tcp=*/false, /*password=*/""});

  const std::string port_file = dir.path() + "/bot.port";
  // A test that gives a --cap of its own (a load above kCap) gives it to both programs.
  const auto given_cap = std::find(bot_args.begin(), bot_args.end(), "--cap");
  const std::string cap = given_cap != bot_args.end() && given_cap + 1 != bot_args.end()
                              ? *(given_cap + 1)
                              : std::to_string(kCap);
  std::vector<std::string> bot_argv = {kBot,
                                       "--listen",
                                       "127.0.0.1:0",
                                       "--port-file",
                                       port_file,
                                       "--redis",
                                       redis.unix_url(),
                                       "--quiet",
                                       "--greeting",
                                       kAudio + "bot-greeting.opus",
                                       "--answer",
                                       kAudio + "bot-answer.opus"};
  if (given_cap == bot_args.end()) bot_argv.insert(bot_argv.end(), {"--cap", cap});
  bot_argv.insert(bot_argv.end(), bot_args.begin(), bot_args.end());
  ChildProcess bot(bot_argv, dir.path() + "/bot.txt");
  std::string port;
  bool listening = eventually(
      [&] {
        if (!bot.running()) return true;
        port = read_file(port_file);
        return !port.empty() && port.back() == '\n';
      },
      20s);
  if (!listening || !bot.running()) {
    run.bot_output = bot.output();
    ADD_FAILURE() << "callsim-bot did not start listening:\n" << run.bot_output;
    return run;
  }
  while (!port.empty() && port.back() == '\n') port.pop_back();

  const std::string report = dir.path() + "/report.json";
  std::vector<std::string> callsim_argv = {
      kCallsim, "--redis", redis.unix_url(), "--cap", cap, "--fixture",
      kAudio + "caller-question.opus", "--progress", "off",
      // Tests run side by side on two cores: a descheduled generator must not turn the run
      // INVALID, which would hide the verdicts these tests are about.
      "--lateness-budget", "1s", "--report", report};
  if (std::find(callsim_args.begin(), callsim_args.end(), "--url") == callsim_args.end()) {
    callsim_argv.insert(callsim_argv.end(),
                        {"--url", "ws://127.0.0.1:" + port + "/ws/twilio-media"});
  }
  for (const std::string& arg : callsim_args) {
    if (arg == "@bot-wrong-path") {
      callsim_argv.push_back("ws://127.0.0.1:" + port + "/wrong");
    } else if (arg == kBotCallStatus) {
      callsim_argv.push_back("http://127.0.0.1:" + port + "/webhook/call_status");
    } else if (arg == kBotWssUrl) {
      callsim_argv.push_back("wss://127.0.0.1:" + port + "/ws/twilio-media");
    } else if (arg == kBotWebhook || arg == kBotHttpsWebhook) {
      callsim_argv.push_back((arg == kBotWebhook ? "http" : "https") +
                             std::string("://127.0.0.1:") + port + "/webhook/incoming_call");
    } else {
      callsim_argv.push_back(arg);
    }
  }

  auto started = std::chrono::steady_clock::now();
  ChildProcess callsim(callsim_argv, dir.path() + "/callsim.txt");
  if (while_running) while_running(redis);
  if (kill_bot_after.count() > 0) {
    // A server that dies mid-call: its sockets close under every live call.
    std::this_thread::sleep_for(kill_bot_after);
    bot.signal(SIGKILL);
  }
  std::optional<int> status = callsim.wait_for(callsim_timeout(callsim_args));
  run.took = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  run.bot_survived = bot.running();
  if (!status) callsim.stop();
  run.exit_code = status.value_or(-1);
  run.callsim_output = callsim.output();
  {
    std::string text = run.callsim_output;
    while (!text.empty() && text.back() == '\n') text.pop_back();
    run.verdict_text =
        text.substr(text.rfind('\n') == std::string::npos ? 0 : text.rfind('\n') + 1);
  }
  bot.stop();
  run.bot_output = bot.output();
  if (!status) {
    ADD_FAILURE() << "callsim did not finish within its timeout:\n" << run.describe();
    return run;
  }
  if (std::find(callsim_args.begin(), callsim_args.end(), "capacity") != callsim_args.end()) {
    run.report = read_file(report);  // the capacity report: steps, each with its run's report
    return run;
  }
  read_report(report, run);
  return run;
}

}  // namespace callsim::test
