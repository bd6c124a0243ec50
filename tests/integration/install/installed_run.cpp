#include "installed_run.h"

#include <rapidjson/document.h>

#include <fstream>
#include <sstream>
#include <vector>

#include "child_process.h"
#include "redis_server.h"

namespace callsim::test {

namespace {

using namespace std::chrono_literals;

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

std::string InstalledRun::describe() const {
  return "callsim exit " + std::to_string(callsim_exit) + ", verdict '" + verdict +
         "'\n--- callsim ---\n" + callsim_output + "\n--- callsim-bot ---\n" + bot_output;
}

int run_to_end(const std::vector<std::string>& argv, const std::string& log, int timeout_seconds,
               std::string* output) {
  ChildProcess process(argv, log);
  auto status = process.wait_for(std::chrono::seconds(timeout_seconds));
  if (!status) process.stop();
  if (output) *output = process.output();
  return status.value_or(-1);
}

InstalledRun run_installed(const std::string& bin_dir, const std::string& work_dir) {
  InstalledRun run;
  RedisServer redis(RedisServer::Options{/*tcp=*/false, /*password=*/""});
  const std::string port_file = work_dir + "/bot.port";
  // `env -C` starts each binary with its working directory outside any checkout.
  ChildProcess bot({"env", "-C", work_dir, bin_dir + "/callsim-bot", "--listen", "127.0.0.1:0",
                    "--port-file", port_file, "--redis", redis.unix_url(), "--cap", "2", "--quiet"},
                   work_dir + "/bot.txt");
  std::string port;
  eventually(
      [&] {
        if (!bot.running()) return true;
        port = read_file(port_file);
        return !port.empty() && port.back() == '\n';
      },
      20s);
  if (!bot.running() || port.empty()) {
    run.bot_output = bot.output();
    return run;
  }
  port.pop_back();
  const std::string report = work_dir + "/report.json";
  run.callsim_exit = run_to_end({"env",
                                 "-C",
                                 work_dir,
                                 bin_dir + "/callsim",
                                 "--url",
                                 "ws://127.0.0.1:" + port + "/ws/twilio-media",
                                 "--redis",
                                 redis.unix_url(),
                                 "--cap",
                                 "2",
                                 "--concurrent",
                                 "2",
                                 "--hold",
                                 "1s",
                                 "--progress",
                                 "off",
                                 "--lateness-budget",
                                 "1s",
                                 "--report",
                                 report},
                                work_dir + "/callsim.txt", 60, &run.callsim_output);
  bot.stop();
  run.bot_output = bot.output();
  rapidjson::Document doc;
  doc.Parse(read_file(report).c_str());
  if (!doc.HasParseError() && doc.IsObject()) {
    if (doc.HasMember("verdict")) run.verdict = doc["verdict"].GetString();
    if (doc.HasMember("config") && doc["config"].HasMember("fixture")) {
      run.fixture = doc["config"]["fixture"].GetString();
    }
  }
  return run;
}

}  // namespace callsim::test
