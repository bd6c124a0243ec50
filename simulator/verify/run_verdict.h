#pragma once

#include <optional>
#include <string>

#include "verify/uniform_failure.h"
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
  bool interrupted = false;  // Ctrl-C, SIGTERM, SIGHUP
  const Verification* verification = nullptr;
  // Every call failed the same way before admission: the setup, not the cap, is wrong.
  std::optional<UniformFailure> uniform_failure;
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
// (a check could not be judged, or no call was decided) > PASS. A uniform failure before
// admission is INCOMPLETE with the setup's exit code 3 (target unreachable), since no check
// could see the cap at work; it outranks the FAILs such a run produces.
RunDecision decide_run_verdict(const RunVerdictInput& input);

}  // namespace callsim
