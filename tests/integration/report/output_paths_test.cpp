// --html and --csv are checked before the first call, as --report is.
#include <gtest/gtest.h>

#include <string>

#include "child_process.h"

namespace callsim::test {
namespace {

using namespace std::chrono_literals;

const std::string kCallsim = std::string(CALLSIM_BIN_DIR) + "/callsim";

struct Exit {
  int code = -1;
  std::string output;
};

Exit run_callsim(const std::vector<std::string>& args) {
  TempDir dir;
  std::vector<std::string> argv = {kCallsim, "--gauge", "none", "--progress", "off", "--url",
                                   // Nothing listens there: a call placed would fail with exit 3.
                                   "ws://127.0.0.1:9/ws/twilio-media"};
  argv.insert(argv.end(), args.begin(), args.end());
  ChildProcess callsim(argv, dir.path() + "/out.txt");
  Exit e;
  e.code = callsim.wait_for(30s).value_or(-1);
  e.output = callsim.output();
  return e;
}

TEST(OutputPaths, AnUnwritableHtmlOrCsvIsAUsageErrorBeforeAnyCall) {
  Exit html = run_callsim({"--html", "/nonexistent-dir/report.html"});
  EXPECT_EQ(html.code, 2) << html.output;
  EXPECT_EQ(html.output,
            "callsim: --html /nonexistent-dir/report.html: cannot write: No such file or "
            "directory\n");
  TempDir dir;
  Exit csv = run_callsim({"--csv", dir.path()});
  EXPECT_EQ(csv.code, 2) << csv.output;
  EXPECT_EQ(csv.output, "callsim: --csv " + dir.path() + ": is a directory\n");
}

TEST(OutputPaths, TwoOutputsOnOneFileAreRefused) {
  Exit e = run_callsim({"--report", "/tmp/same", "--html", "/tmp/same"});
  EXPECT_EQ(e.code, 2) << e.output;
  EXPECT_EQ(e.output, "callsim: --report and --html name the same file '/tmp/same'\n");
}

}  // namespace
}  // namespace callsim::test
