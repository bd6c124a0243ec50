// Run settings from --config FILE and CALLSIM_* variables: the same test as the flags, in the
// order flag > env > file > default, every flag reachable both ways, secrets masked in the echo.
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "child_process.h"
#include "run/settings_sources.h"
#include "scripted_server.h"

namespace callsim {
namespace {

using namespace std::chrono_literals;
using test::ChildProcess;
using test::ScriptedServer;
using test::TempDir;

const std::string kCallsim = std::string(CALLSIM_BIN_DIR) + "/callsim";

struct Result {
  int status = -1;
  std::string output;
  rapidjson::Document report;
};

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
}

// callsim with `env` (NAME=value) added to its environment and `args`; --report into `dir`.
Result run_callsim(const std::vector<std::string>& env, const std::vector<std::string>& args,
                   const TempDir& dir) {
  std::vector<std::string> argv = {"env"};
  argv.insert(argv.end(), env.begin(), env.end());
  argv.insert(argv.end(), {kCallsim, "--report", dir.path() + "/report.json"});
  argv.insert(argv.end(), args.begin(), args.end());
  ChildProcess process(argv, dir.path() + "/out.txt");
  Result r;
  r.status = process.wait_for(60s).value_or(-1);
  r.output = process.output();
  r.report.Parse(read_file(dir.path() + "/report.json").c_str());
  return r;
}

std::string setting(const Result& r, const char* key, const char* field = "value") {
  if (r.report.HasParseError() || !r.report.HasMember("config")) return "(no report)";
  const auto& settings = r.report["config"]["settings"];
  if (!settings.HasMember(key)) return "(missing)";
  return settings[key][field].GetString();
}

// The report's config without the settings echo (whose sources differ by design) and --report.
std::string config_without_sources(const Result& r) {
  if (r.report.HasParseError() || !r.report.HasMember("config")) return "(no report)";
  std::string text;
  for (const auto& member : r.report["config"].GetObject()) {
    std::string name = member.name.GetString();
    if (name == "settings" || name == "report") continue;  // each run reports to its own file
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    member.value.Accept(writer);
    text += name + "=" + buffer.GetString() + "\n";
  }
  for (const auto& member : r.report["config"]["settings"].GetObject()) {
    std::string name = member.name.GetString();
    if (name == "report") continue;
    text += "settings." + name + "=" + member.value["value"].GetString() + "\n";
  }
  return text;
}

const std::vector<std::string> kCommon = {"--gauge",           "none", "--progress", "off",
                                          "--lateness-budget", "1s"};

std::vector<std::string> with_common(std::vector<std::string> args) {
  args.insert(args.end(), kCommon.begin(), kCommon.end());
  return args;
}

TEST(Settings, ConfigFileRunsTheSameTestAsTheFlags) {
  ScriptedServer server(ScriptedServer::Behaviour::kSink);
  TempDir by_flags_dir, by_file_dir;
  Result by_flags = run_callsim({},
                                with_common({"--url",
                                             server.url(),
                                             "--concurrent",
                                             "3",
                                             "--calls",
                                             "4",
                                             "--hold",
                                             "500ms",
                                             "--seed",
                                             "7",
                                             "--reject-window",
                                             "2s",
                                             "--param",
                                             "tenant=acme",
                                             "--param",
                                             "region=eu",
                                             "--header",
                                             "X-Tenant: acme",
                                             "--reject-status",
                                             "503,500",
                                             "--no-status-callback"}),
                                by_flags_dir);
  ASSERT_EQ(by_flags.status, 0) << by_flags.output;

  const std::string config = by_file_dir.path() + "/ci.yaml";
  write_file(config, "url: " + server.url() +
                         "\n"
                         "concurrent: 3\n"
                         "calls: 4\n"
                         "hold: 500ms\n"
                         "seed: 7\n"
                         "reject-window: 2s\n"
                         "param: [tenant=acme, region=eu]\n"
                         "header:\n"
                         "  - 'X-Tenant: acme'\n"
                         "reject-status: [503, 500]\n"
                         "no-status-callback: true\n"
                         "gauge: none\n"
                         "progress: 'off'\n"
                         "lateness-budget: 1s\n");
  Result by_file = run_callsim({}, {"--config", config}, by_file_dir);
  ASSERT_EQ(by_file.status, 0) << by_file.output;

  EXPECT_EQ(config_without_sources(by_file), config_without_sources(by_flags));
  EXPECT_EQ(setting(by_file, "concurrent"), "3");
  EXPECT_EQ(setting(by_file, "concurrent", "source"), "file");
  EXPECT_EQ(setting(by_flags, "concurrent", "source"), "flag");
  EXPECT_EQ(setting(by_file, "no-status-callback"), "true");
  EXPECT_EQ(setting(by_file, "cap", "source"), "default");
  EXPECT_EQ(setting(by_file, "cap"), "50");
  EXPECT_EQ(by_file.report["config"]["concurrent"].GetInt(), 3);
  EXPECT_EQ(by_file.report["config"]["reject_window_ms"].GetDouble(), 2000.0);
}

TEST(Settings, EnvironmentBeatsTheFileAndAFlagBeatsBoth) {
  ScriptedServer server(ScriptedServer::Behaviour::kSink);
  TempDir dir;
  const std::string config = dir.path() + "/ci.yaml";
  write_file(config, "concurrent: 3\nhold: 300ms\nreject-window: 3s\n");
  std::vector<std::string> args = with_common({"--url", server.url(), "--config", config});

  Result env_over_file =
      run_callsim({"CALLSIM_CONCURRENT=2", "CALLSIM_REJECT_WINDOW=1500ms"}, args, dir);
  ASSERT_EQ(env_over_file.status, 0) << env_over_file.output;
  EXPECT_EQ(env_over_file.report["config"]["concurrent"].GetInt(), 2);
  EXPECT_EQ(setting(env_over_file, "concurrent", "source"), "env");
  EXPECT_EQ(env_over_file.report["config"]["reject_window_ms"].GetDouble(), 1500.0);
  EXPECT_EQ(setting(env_over_file, "hold", "source"), "file");
  EXPECT_EQ(env_over_file.report["config"]["hold_ms"].GetDouble(), 300.0);

  args.insert(args.end(), {"--concurrent", "1"});
  Result flag_over_env = run_callsim({"CALLSIM_CONCURRENT=2"}, args, dir);
  ASSERT_EQ(flag_over_env.status, 0) << flag_over_env.output;
  EXPECT_EQ(flag_over_env.report["config"]["concurrent"].GetInt(), 1);
  EXPECT_EQ(setting(flag_over_env, "concurrent", "source"), "flag");
  EXPECT_EQ(flag_over_env.report["config"]["reject_window_ms"].GetDouble(), 3000.0);
}

TEST(Settings, TheConfigFileCanComeFromTheEnvironment) {
  ScriptedServer server(ScriptedServer::Behaviour::kSink);
  TempDir dir;
  const std::string config = dir.path() + "/ci.yaml";
  write_file(config, "concurrent: 2\nhold: 300ms\n");
  Result r = run_callsim({"CALLSIM_CONFIG=" + config}, with_common({"--url", server.url()}), dir);
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_EQ(r.report["config"]["concurrent"].GetInt(), 2);
}

TEST(Settings, AnUnknownKeyNamesTheFileLineAndKey) {
  TempDir dir;
  const std::string config = dir.path() + "/ci.yaml";
  write_file(config, "concurrent: 3\n# the cap\nconcurent: 5\n");
  Result r = run_callsim({}, {"--config", config}, dir);
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.output, "callsim: " + config +
                          ":3: unknown key 'concurent' (keys are run flags' long names without "
                          "the dashes, e.g. concurrent)\n");
}

TEST(Settings, BadValuesSayWhereTheyCameFrom) {
  TempDir dir;
  const std::string config = dir.path() + "/ci.yaml";
  write_file(config, "hold: 300ms\nconcurrent: 0\n");
  Result from_file = run_callsim({}, {"--config", config}, dir);
  EXPECT_EQ(from_file.status, 2);
  EXPECT_EQ(from_file.output,
            "callsim: " + config + ":2: --concurrent: Value 0 not in range 1 to 1000000\n");

  Result from_env = run_callsim({"CALLSIM_HOLD=soon"}, {}, dir);
  EXPECT_EQ(from_env.status, 2);
  EXPECT_EQ(from_env.output.rfind("callsim: CALLSIM_HOLD: --hold: ", 0), 0u) << from_env.output;

  write_file(config, "header: {X-Tenant: acme}\n");
  Result nested = run_callsim({}, {"--config", config}, dir);
  EXPECT_EQ(nested.status, 2);
  EXPECT_EQ(nested.output,
            "callsim: " + config + ":1: header: expected a value or a list of values\n");

  write_file(config, "concurrent: 2\nconcurrent: 3\n");
  Result twice = run_callsim({}, {"--config", config}, dir);
  EXPECT_EQ(twice.status, 2);
  EXPECT_EQ(twice.output, "callsim: " + config + ":2: concurrent is set twice\n");

  Result missing = run_callsim({}, {"--config", dir.path() + "/none.yaml"}, dir);
  EXPECT_EQ(missing.status, 2);
  EXPECT_EQ(missing.output,
            "callsim: --config " + dir.path() + "/none.yaml: cannot open the file\n");
}

TEST(Settings, SecretsAreMaskedInTheEcho) {
  ScriptedServer server(ScriptedServer::Behaviour::kSink);
  TempDir dir;
  // The gauge is off, so the Redis URL is only echoed, never dialled.
  Result r = run_callsim({"CALLSIM_REDIS=redis://ops:hunter2@127.0.0.1:6390/0"},
                         with_common({"--url", server.url(), "--concurrent", "1", "--hold", "300ms",
                                      "--header", "Authorization: Bearer s3cret"}),
                         dir);
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_EQ(setting(r, "redis"), "redis://ops:***@127.0.0.1:6390/0");
  EXPECT_EQ(setting(r, "redis", "source"), "env");
  EXPECT_EQ(setting(r, "header"), "Authorization: ***");
  std::string report = read_file(dir.path() + "/report.json");
  EXPECT_EQ(report.find("hunter2"), std::string::npos);
  // Neither the config's header list nor the rerun line may carry the token.
  EXPECT_EQ(report.find("s3cret"), std::string::npos) << report;
  EXPECT_EQ(r.output.find("s3cret"), std::string::npos) << r.output;
}

// Every flag --help lists has a --config key and an environment variable, by construction.
TEST(Settings, EveryRunFlagHasAKeyAndAVariable) {
  TempDir dir;
  ChildProcess help({kCallsim, "--help"}, dir.path() + "/help.txt");
  ASSERT_EQ(help.wait_for(30s).value_or(-1), 0);
  std::string text = help.output();
  std::set<std::string> flags;
  std::regex flag_with_env(R"(--([a-z][a-z0-9-]*)[^\n]*\(Env:(CALLSIM_[A-Z0-9_]+)\))");
  for (std::sregex_iterator it(text.begin(), text.end(), flag_with_env), end; it != end; ++it) {
    EXPECT_EQ((*it)[2].str(), env_name_for((*it)[1].str()));
    flags.insert((*it)[1].str());
  }
  std::set<std::string> options_without_env;
  std::regex any_option(R"(\n  (?:-[a-z],)?--([a-z][a-z0-9-]*))");
  for (std::sregex_iterator it(text.begin(), text.end(), any_option), end; it != end; ++it) {
    if (!flags.count((*it)[1].str())) options_without_env.insert((*it)[1].str());
  }
  EXPECT_EQ(options_without_env, (std::set<std::string>{"help", "version"}));
  EXPECT_GT(flags.size(), 40u);

  // And the report's settings echo has each of them (those are the --config keys).
  ScriptedServer server(ScriptedServer::Behaviour::kSink);
  Result r = run_callsim(
      {}, with_common({"--url", server.url(), "--concurrent", "1", "--hold", "300ms"}), dir);
  ASSERT_EQ(r.status, 0) << r.output;
  std::set<std::string> echoed;
  for (const auto& member : r.report["config"]["settings"].GetObject()) {
    echoed.insert(member.name.GetString());
  }
  flags.erase("config");
  EXPECT_EQ(echoed, flags);
}

TEST(SettingsNames, DeriveFromTheFlag) {
  EXPECT_EQ(env_name_for("concurrent"), "CALLSIM_CONCURRENT");
  EXPECT_EQ(env_name_for("reject-window"), "CALLSIM_REJECT_WINDOW");
}

TEST(SettingsMasking, HidesPasswordsAndCredentialHeadersOnly) {
  EXPECT_EQ(mask_secrets("redis://:pw@host:6379/0"), "redis://:***@host:6379/0");
  EXPECT_EQ(mask_secrets("redis://user:pw@host"), "redis://user:***@host");
  EXPECT_EQ(mask_secrets("redis://host:6379/0"), "redis://host:6379/0");
  EXPECT_EQ(mask_secrets("unix:///run/redis.sock"), "unix:///run/redis.sock");
  EXPECT_EQ(mask_secrets("unix:///run/redis.sock?db=2&password=pw"),
            "unix:///run/redis.sock?db=2&password=***");
  EXPECT_EQ(mask_secrets("X-Tenant: a,authorization: Basic abc,Cookie: s=1"),
            "X-Tenant: a,authorization: ***,Cookie: ***");
  EXPECT_EQ(mask_secrets("ws://127.0.0.1:5050/ws"), "ws://127.0.0.1:5050/ws");
}

}  // namespace
}  // namespace callsim
