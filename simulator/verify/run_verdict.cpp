#include "run_verdict.h"

#include <fmt/format.h>

#include "core/exit_codes.h"

namespace callsim {

const char* to_string(RunVerdict verdict) {
  switch (verdict) {
    case RunVerdict::kPass:
      return "PASS";
    case RunVerdict::kFail:
      return "FAIL";
    case RunVerdict::kIncomplete:
      return "INCOMPLETE";
    case RunVerdict::kInterrupted:
      return "INTERRUPTED";
    case RunVerdict::kInvalid:
      return "INVALID";
  }
  return "?";
}

std::string RunDecision::line() const {
  if (verdict == RunVerdict::kPass) return "VERDICT: PASS";
  if (verdict == RunVerdict::kFail) return fmt::format("VERDICT: FAIL ({})", reason);
  return fmt::format("VERDICT: {}: {}", to_string(verdict), reason);
}

RunDecision decide_run_verdict(const RunVerdictInput& input) {
  RunDecision d;
  std::string failed, incomplete;
  if (const Verification* v = input.verification) {
    for (const auto& r : v->total) {
      if (r.verdict == Verdict::kFail) failed += (failed.empty() ? "" : ", ") + r.name;
    }
    for (const auto& reason : v->incomplete) {
      incomplete += (incomplete.empty() ? "" : "; ") + reason;
    }
  }
  if (input.invalid) {
    d.verdict = RunVerdict::kInvalid;
    d.reason = input.invalid_reason.empty() ? "the run is not valid" : input.invalid_reason;
    d.exit_code = kExitInvalidRun;
  } else if (input.interrupted) {
    d.verdict = RunVerdict::kInterrupted;
    d.reason = "the run was interrupted (by a signal) before every call was judged";
    d.exit_code = kExitInterrupted;
  } else if (input.uniform_failure) {
    d.verdict = RunVerdict::kIncomplete;
    d.reason =
        fmt::format("{} (hint: {})", input.uniform_failure->message, input.uniform_failure->hint);
    d.exit_code = kExitUnreachable;
  } else if (!failed.empty()) {
    d.verdict = RunVerdict::kFail;
    d.reason = failed;
    d.exit_code = kExitCheckFailed;
  } else if (!incomplete.empty()) {
    d.verdict = RunVerdict::kIncomplete;
    d.reason = incomplete;
    d.exit_code = kExitIncomplete;
  } else {
    d.exit_code = kExitPass;
  }
  return d;
}

}  // namespace callsim
