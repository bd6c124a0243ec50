// `cmake --install` into a scratch prefix gives binaries that run with no source tree: they find
// their fixtures beside themselves, and a short run of the installed callsim against the
// installed callsim-bot passes.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <regex>

#include "child_process.h"
#include "installed_run.h"

namespace callsim::test {
namespace {

bool exists(const std::string& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0;
}

class Installed : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    prefix_ = new TempDir;
    std::string output;
    int status = run_to_end(
        {CALLSIM_CMAKE_COMMAND, "--install", CALLSIM_BUILD_DIR, "--prefix", prefix_->path()},
        prefix_->path() + "/install.txt", 120, &output);
    ASSERT_EQ(status, 0) << output;
  }
  static void TearDownTestSuite() {
    delete prefix_;
    prefix_ = nullptr;
  }
  static std::string at(const std::string& relative) { return prefix_->path() + "/" + relative; }
  static TempDir* prefix_;
};

TempDir* Installed::prefix_ = nullptr;

TEST_F(Installed, PutsEachFileWhereToolsLook) {
  for (const char* file :
       {"bin/callsim", "bin/callsim-bot", "share/callsim/fixtures/audio/caller-question.opus",
        "share/callsim/fixtures/audio/bot-greeting.opus",
        "share/callsim/fixtures/audio/bot-answer.opus", "share/man/man1/callsim.1",
        "share/man/man1/callsim-bot.1", "share/bash-completion/completions/callsim",
        "share/doc/callsim/README.md"}) {
    EXPECT_TRUE(exists(at(file))) << file;
  }
}

TEST_F(Installed, RunsFromThePrefixWithItsOwnFixtures) {
  TempDir elsewhere;
  InstalledRun run = run_installed(at("bin"), elsewhere.path());
  EXPECT_EQ(run.callsim_exit, 0) << run.describe();
  EXPECT_EQ(run.verdict, "PASS") << run.describe();
  // The caller audio came from the prefix, not from the checkout the build was made in.
  EXPECT_EQ(run.fixture.rfind(prefix_->path() + "/", 0), 0u) << run.fixture;
  EXPECT_NE(run.fixture.find("/share/callsim/fixtures/audio/caller-question.opus"),
            std::string::npos)
      << run.fixture;
}

TEST_F(Installed, ACopyWithoutItsShareDirectorySaysWhereItLooked) {
  TempDir lonely;
  std::string bin = lonely.path() + "/bin";
  ASSERT_EQ(::mkdir(bin.c_str(), 0755), 0);
  std::string output;
  ASSERT_EQ(run_to_end({"cp", at("bin/callsim"), bin + "/callsim"}, lonely.path() + "/cp.txt", 30),
            0);
  int status = run_to_end(
      {bin + "/callsim", "--url", "ws://127.0.0.1:9/ws", "--gauge", "none", "--progress", "off"},
      lonely.path() + "/out.txt", 30, &output);
  EXPECT_EQ(status, 2) << output;
  EXPECT_EQ(output, "callsim: cannot find the default fixtures: looked in " + lonely.path() +
                        "/share/callsim/fixtures (beside " + bin +
                        "/callsim); reinstall callsim or pass --fixture FILE\n");
}

TEST_F(Installed, ManPageRendersTheFlagsAndTheirVariables) {
  std::string output;
  int status =
      run_to_end({"env", "MANWIDTH=200", "man", "--nj", "-l", at("share/man/man1/callsim.1")},
                 prefix_->path() + "/man.txt", 30, &output);
  ASSERT_EQ(status, 0) << output;
  EXPECT_EQ(output.rfind("CALLSIM(1)", 0), 0u) << output.substr(0, 200);
  EXPECT_NE(output.find("-c,--concurrent INT=60 (Env:CALLSIM_CONCURRENT)"), std::string::npos)
      << output;
  EXPECT_NE(output.find("--config FILE (Env:CALLSIM_CONFIG)"), std::string::npos);
  EXPECT_NE(output.find("a flag beats its environment variable"), std::string::npos);

  status = run_to_end({"env", "MANWIDTH=200", "man", "-l", at("share/man/man1/callsim-bot.1")},
                      prefix_->path() + "/man-bot.txt", 30, &output);
  ASSERT_EQ(status, 0) << output;
  EXPECT_EQ(output.rfind("CALLSIM-BOT(1)", 0), 0u) << output.substr(0, 200);
}

// What bash completion offers for the command line `words`, the last being completed.
std::string complete(const std::string& script, const std::string& words) {
  TempDir dir;
  std::string output;
  run_to_end({"bash", "-c",
              "source \"$0\"; COMP_WORDS=(" + words +
                  "); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _callsim; "
                  "printf '%s\\n' \"${COMPREPLY[@]}\"",
              script},
             dir.path() + "/out.txt", 30, &output);
  return output;
}

TEST_F(Installed, BashCompletionOffersTheFlags) {
  const std::string script = at("share/bash-completion/completions/callsim");
  EXPECT_EQ(complete(script, "callsim --conc"), "--concurrent\n");
  EXPECT_EQ(complete(script, "callsim --reject-w"), "--reject-window\n");
  EXPECT_EQ(complete(script, "callsim --conf"), "--config\n");
  EXPECT_EQ(complete(script, "callsim au"), "audio\n");
  EXPECT_EQ(complete(script, "callsim audio --w"), "--wav\n");

  // Every flag --help names is offered after "--".
  std::string help;
  ASSERT_EQ(run_to_end({at("bin/callsim"), "--help"}, prefix_->path() + "/help.txt", 30, &help), 0);
  std::string offered = complete(script, "callsim --");
  std::regex long_flag(R"(\n  (?:-[a-z],)?(--[a-z][a-z0-9-]*))");
  int flags = 0;
  for (std::sregex_iterator it(help.begin(), help.end(), long_flag), end; it != end; ++it) {
    ++flags;
    EXPECT_NE(offered.find((*it)[1].str() + "\n"), std::string::npos) << (*it)[1].str();
  }
  EXPECT_GT(flags, 40);
}

}  // namespace
}  // namespace callsim::test
