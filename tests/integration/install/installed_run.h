#pragma once

#include <string>
#include <vector>

namespace callsim::test {

// What a short run of installed binaries did: callsim (from `bin_dir`) against callsim-bot (from
// the same `bin_dir`), both started in `work_dir` with no fixture flags, so each had to find its
// default audio beside itself.
struct InstalledRun {
  int callsim_exit = -1;
  std::string verdict;  // the report's, empty when there was no readable report
  std::string fixture;  // the caller audio the report says was played
  std::string callsim_output;
  std::string bot_output;
  std::string describe() const;
};

InstalledRun run_installed(const std::string& bin_dir, const std::string& work_dir);

// Runs argv to completion (at most `timeout_seconds`), its output in `log`; the exit status.
int run_to_end(const std::vector<std::string>& argv, const std::string& log, int timeout_seconds,
               std::string* output = nullptr);

}  // namespace callsim::test
