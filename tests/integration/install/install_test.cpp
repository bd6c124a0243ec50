// `cmake --install` into a scratch prefix gives binaries that run with no source tree: they find
// their fixtures beside themselves, and a short run of the installed callsim against the
// installed callsim-bot passes.
#include <gtest/gtest.h>
#include <sys/stat.h>

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

}  // namespace
}  // namespace callsim::test
