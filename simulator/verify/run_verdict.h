#pragma once

#include <string>

#include "verify/verifier.h"

namespace callsim {

// The one word a run ends with. Every word has its own exit code (core/exit_codes.h), and the
// text report's last line, the JSON report and the exit code always agree on it.
enum class RunVerdict { kPass, kFail, kIncomplete, kInterrupted, kInvalid };
const char* to_string(RunVerdict verdict);  // "PASS", "FAIL", "INCOMPLETE", ...

// What the run's ending knows beyond the checks.
struct RunVerdictInput {
  bool invalid = false;  // the generator fell behind (--lateness-budget)
  std::string invalid_reason;
  bool interrupted = false;  // Ctrl-C
  const Verification* verification = nullptr;
};

struct RunDecision {
  RunVerdict verdict = RunVerdict::kPass;
  std::string reason;  // why, in one line: the failed checks, what was left unjudged, ...
  int exit_code = 0;

  // "VERDICT: FAIL (no_leak, gauge_consistent)", "VERDICT: INCOMPLETE: no call was decided ..."
  std::string line() const;
};

// Precedence: INVALID (nothing measured can be trusted) > INTERRUPTED (the run was cut short) >
// FAIL (a real failure found on real evidence outranks what could not be judged) > INCOMPLETE
// (a check could not be judged, or no call was decided) > PASS.
RunDecision decide_run_verdict(const RunVerdictInput& input);

}  // namespace callsim
