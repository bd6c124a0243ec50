// What a person sees in the terminal: errors that say what was meant, --help per command,
// --quiet, a summary that says less when it has less to say, colour, and the live line on a
// real pseudo-terminal (width, redraw in place, colour, NO_COLOR).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>

#include "child_process.h"
#include "redis_server.h"
#include "scripted_server.h"

namespace callsim {
namespace {

using namespace std::chrono_literals;
using test::ChildProcess;
using test::ScriptedServer;
using test::TempDir;
using ::testing::HasSubstr;
using ::testing::Not;

const std::string kCallsim = std::string(CALLSIM_BIN_DIR) + "/callsim";

struct Result {
  int status = -1;
  std::string output;
};

Result run_callsim(const std::vector<std::string>& args, const TempDir& dir) {
  std::vector<std::string> argv = {kCallsim};
  argv.insert(argv.end(), args.begin(), args.end());
  ChildProcess process(argv, dir.path() + "/out.txt");
  Result r;
  r.status = process.wait_for(60s).value_or(-1);
  r.output = process.output();
  return r;
}

std::vector<std::string> short_run(const ScriptedServer& server) {
  return {"--url",  server.url(), "--gauge",           "none", "--concurrent", "3",
          "--hold", "1s",         "--lateness-budget", "1s",   "--progress",   "off"};
}

TEST(Terminal, AnUnknownFlagSuggestsTheNearestOne) {
  TempDir dir;
  Result r = run_callsim({"--concurent", "60"}, dir);
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.output, "callsim: --concurent: unknown option; did you mean --concurrent?\n");
  r = run_callsim({"--bursst=3"}, dir);
  EXPECT_EQ(r.output, "callsim: --bursst: unknown option; did you mean --bursts?\n");
  r = run_callsim({"--completely-different"}, dir);
  EXPECT_EQ(r.output,
            "callsim: --completely-different: unknown option (callsim --help lists them)\n");
  r = run_callsim({"audio", "--wab", "x.wav", "f.wav"}, dir);
  EXPECT_EQ(r.output, "callsim: --wab: unknown option; did you mean --wav?\n");
}

TEST(Terminal, EnumErrorsListTheAllowedWords) {
  TempDir dir;
  Result r = run_callsim({"--progress", "bogus"}, dir);
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(
      r.output,
      "callsim: --progress 'bogus' is not one of the allowed words: auto, tty, plain or off\n");
  r = run_callsim({"--color", "purple"}, dir);
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.output,
            "callsim: --color 'purple' is not one of the allowed words: auto, never or always\n");
}

TEST(Terminal, ARatioGivenAsAPercentageSaysSo) {
  TempDir dir;
  Result r = run_callsim({"--drop-ratio", "50%"}, dir);
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.output,
            "callsim: --drop-ratio 50%: a share from 0 to 1 is expected, not a percentage "
            "(write 0.5 for 50%)\n");
  r = run_callsim({"--no-stop-ratio", "20"}, dir);
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.output,
            "callsim: --no-stop-ratio 20: a share from 0 to 1 is expected; if you meant 20%, "
            "write 0.2\n");
  r = run_callsim({"--skip-stream-ratio", "-0.1"}, dir);
  EXPECT_EQ(r.output, "callsim: --skip-stream-ratio -0.1 must be between 0 and 1\n");
}

TEST(Terminal, RunHelpShowsTheRunsOptionsAndAudioHelpOnlyItsOwn) {
  TempDir dir;
  Result run = run_callsim({"run", "--help"}, dir);
  EXPECT_EQ(run.status, 0);
  for (const char* flag : {"--concurrent", "--junit", "--csv-calls", "--report", "--cap"}) {
    EXPECT_THAT(run.output, HasSubstr(flag)) << run.output;
  }
  Result audio = run_callsim({"audio", "--help"}, dir);
  EXPECT_EQ(audio.status, 0);
  EXPECT_THAT(audio.output, HasSubstr("--wav"));
  for (const char* flag : {"--concurrent", "--report", "--junit", "--cap"}) {
    EXPECT_THAT(audio.output, Not(HasSubstr(flag))) << audio.output;
  }
}

TEST(Terminal, QuietPrintsTheVerdictLineOnly) {
  TempDir dir;
  ScriptedServer server(ScriptedServer::Behaviour::kSink);
  auto args = short_run(server);
  args.push_back("--quiet");
  Result r = run_callsim(args, dir);
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.output, "VERDICT: PASS\n");
}

TEST(Terminal, ALoadOnlyRunFoldsTheGaugeSkipsIntoOneLine) {
  TempDir dir;
  ScriptedServer server(ScriptedServer::Behaviour::kSink);
  Result r = run_callsim(short_run(server), dir);
  EXPECT_EQ(r.status, 0);
  EXPECT_THAT(r.output, HasSubstr("load only: no cap checks on the gauge (--gauge none): "
                                  "gauge_within_cap, gauge_consistent, no_leak, never_negative\n"
                                  "VERDICT: PASS\n"));
  EXPECT_THAT(r.output, Not(HasSubstr("gauge_within_cap      SKIP")));
  EXPECT_THAT(r.output, Not(HasSubstr("\x1b[")));  // not a terminal: no colour
  auto verbose = short_run(server);
  verbose.push_back("--verbose");
  r = run_callsim(verbose, dir);
  EXPECT_THAT(r.output, HasSubstr("gauge_within_cap      SKIP    no gauge (--gauge none)\n"));
  EXPECT_THAT(r.output, Not(HasSubstr("load only")));
}

TEST(Terminal, TheGaugeTimelineShowsOnlyWhenTheGaugeMoved) {
  // A key nobody writes: the gauge stays at 0 while calls are live (its checks fail, which is
  // not what this test is about), and its 20-row table would say nothing.
  TempDir dir;
  test::RedisServer redis(test::RedisServer::Options{/*tcp=*/false, /*password=*/""});
  ScriptedServer server(ScriptedServer::Behaviour::kSink);
  std::vector<std::string> args = {"--url",
                                   server.url(),
                                   "--redis",
                                   redis.unix_url(),
                                   "--gauge",
                                   "calls:untouched",
                                   "--concurrent",
                                   "2",
                                   "--hold",
                                   "1s",
                                   "--settle",
                                   "200ms",
                                   "--progress",
                                   "off",
                                   "--lateness-budget",
                                   "1s"};
  Result r = run_callsim(args, dir);
  EXPECT_THAT(r.output, HasSubstr("Cap verification"));
  EXPECT_THAT(r.output, Not(HasSubstr("time  admitted live  gauge"))) << r.output;
  args.push_back("--verbose");
  r = run_callsim(args, dir);
  EXPECT_THAT(r.output, HasSubstr("time  admitted live  gauge")) << r.output;
}

TEST(Terminal, ColourIsOnlyAskedFor) {
  TempDir dir;
  ScriptedServer server(ScriptedServer::Behaviour::kSink);
  auto args = short_run(server);
  args.insert(args.end(), {"--color", "always"});
  Result r = run_callsim(args, dir);
  EXPECT_THAT(r.output, HasSubstr("\x1b[1;32mVERDICT: PASS\x1b[0m\n"));
  EXPECT_THAT(r.output, HasSubstr("admitted_within_cap   \x1b[1;32mPASS\x1b[0m    "));
}

// callsim on a pseudo-terminal `columns` wide, with `env` added; everything it wrote.
Result run_on_pty(const std::vector<std::string>& args, int columns,
                  const std::vector<std::string>& env) {
  winsize size{};
  size.ws_col = static_cast<unsigned short>(columns);
  size.ws_row = 24;
  int master = -1;
  pid_t pid = ::forkpty(&master, nullptr, nullptr, &size);
  if (pid == 0) {
    ::unsetenv("NO_COLOR");
    ::unsetenv("COLUMNS");
    for (const auto& entry : env) ::putenv(const_cast<char*>(entry.c_str()));
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(kCallsim.c_str()));
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(kCallsim.c_str(), argv.data());
    ::_exit(127);
  }
  Result r;
  if (pid < 0) return r;
  char buffer[4096];
  for (;;) {
    ssize_t n = ::read(master, buffer, sizeof buffer);
    if (n > 0) {
      r.output.append(buffer, static_cast<size_t>(n));
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else {
      break;  // EIO once the child closed the terminal
    }
  }
  ::close(master);
  int status = 0;
  ::waitpid(pid, &status, 0);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

TEST(Terminal, OnATerminalTheLiveLineFitsTheWidthAndIsRedrawnInPlace) {
  ScriptedServer server(ScriptedServer::Behaviour::kSink);
  Result r = run_on_pty({"--url", server.url(), "--gauge", "none", "--concurrent", "3", "--hold",
                         "2s", "--lateness-budget", "1s"},
                        50, {});
  EXPECT_EQ(r.status, 0) << r.output;
  // Every redraw: "\r", the line, erase to the end of the line; never wider than 49 columns.
  size_t redraws = 0;
  for (size_t at = r.output.find('\r'); at != std::string::npos; at = r.output.find('\r', at + 1)) {
    const size_t erase = r.output.find("\x1b[K", at);
    if (erase == std::string::npos || r.output.compare(at, 2, "\r\n") == 0) continue;
    if (r.output.compare(at + 1, 1, "[") != 0) continue;  // a line's own CR (the pty's ONLCR)
    ++redraws;
    EXPECT_LE(erase - at - 1, 49u) << r.output.substr(at, erase - at);
  }
  EXPECT_GE(redraws, 2u) << r.output;
  EXPECT_THAT(r.output, HasSubstr("\x1b[1;32mVERDICT: PASS\x1b[0m"));
}

TEST(Terminal, NoColorTurnsColourOffOnATerminal) {
  ScriptedServer server(ScriptedServer::Behaviour::kSink);
  Result r = run_on_pty({"--url", server.url(), "--gauge", "none", "--concurrent", "2", "--hold",
                         "1s", "--lateness-budget", "1s", "--progress", "off"},
                        80, {"NO_COLOR=1"});
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("VERDICT: PASS"));
  EXPECT_THAT(r.output, Not(HasSubstr("\x1b[1;32m")));
}

}  // namespace
}  // namespace callsim
