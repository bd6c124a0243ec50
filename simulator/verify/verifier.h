#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/call_record.h"
#include "gauge/gauge_trace.h"
#include "verify/check_result.h"
#include "verify/verify_options.h"

namespace callsim {

// Everything the checks judge. Pure data: the verifier does no I/O.
struct VerifyInput {
  const std::vector<CallRecord>* calls = nullptr;
  const GaugeTrace* trace = nullptr;  // null (or kind none): the gauge checks SKIP
  std::optional<int64_t> baseline;    // the gauge read before the whole run
  VerifyOptions options;
  TimePoint origin{};  // the run's start, for messages; default: the first call's start
};

struct BurstVerdicts {
  int burst = 0;  // CallRecord::burst (0-based); reports show burst + 1
  TimePoint window_start{};
  TimePoint window_end{};
  std::vector<CheckResult> checks;  // in kCheckNames order
};

struct Verification {
  std::vector<BurstVerdicts> bursts;
  std::vector<CheckResult> total;  // one per check, folded over the bursts
  TimePoint origin{};
  std::string
      gauge;  // how the gauge was seen, e.g. "exact MONITOR trace of get:calls:active_count"
  int cap = 0;
  // Why the run cannot PASS although no check failed: the run-level reasons (no call decided)
  // and one per check whose total SKIP is incomplete. Empty when everything could be judged.
  std::vector<std::string> incomplete;
  // The run's verdict as the reports print it ("PASS", "FAIL", "INCOMPLETE", and from the run's
  // ending "INVALID", "INTERRUPTED") and its reason; verify() sets it from the checks alone.
  std::string verdict;
  std::string verdict_line;  // "VERDICT: ..." as the text report ends

  bool failed() const;  // any total FAIL: exit code 1
  const CheckResult* find(const std::string& name) const;
};

extern const std::vector<std::string> kCheckNames;

// Runs every check on every burst (calls grouped by CallRecord::burst) and folds the totals.
Verification verify(const VerifyInput& input);

// Fills v.incomplete, v.verdict and v.verdict_line from the totals and the calls (verify() calls
// it; a test that edits the totals calls it again).
void conclude(Verification& v, const std::vector<CallRecord>* calls);

// Folds per-burst results of one check: FAIL if any burst failed, else PASS if any passed;
// metrics combined by their Fold; the first failing burst's offense; warnings tagged by burst.
CheckResult fold_bursts(const std::vector<const CheckResult*>& per_burst,
                        const std::vector<int>& burst_numbers);

}  // namespace callsim
