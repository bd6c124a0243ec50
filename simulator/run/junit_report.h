#pragma once

#include <string>

#include "verify/verifier.h"

namespace callsim {

// What a JUnit report says beyond the checks themselves.
struct JunitInput {
  const Verification* verification = nullptr;
  int exit_code = 0;
  double duration_seconds = 0;
  std::string timestamp;   // ISO 8601, the run's wall-clock start
  std::string system_out;  // the human summary and verdict table
};

// The run as JUnit XML for CI servers (Jenkins, GitLab): <testsuites> holding one <testsuite>
// "callsim" with a testcase per check and a testcase "verdict" for the run's verdict word, and,
// when there were several bursts, one more <testsuite> "callsim burst N" (1-based) per burst.
// A FAIL is a <failure> with the numbers, the first offence and the calls; a SKIP asked for by
// the configuration is <skipped> with its reason; a check that could not be judged, and a run
// that is INCOMPLETE, INVALID or INTERRUPTED, is an <error>, so that CI shows it as broken.
std::string render_junit_xml(const JunitInput& input);

}  // namespace callsim
