#pragma once

#include <vector>

#include "core/threshold.h"
#include "run/run_stats.h"
#include "verify/check_result.h"

namespace callsim {

struct ThresholdEvidence {
  const RunStats* stats = nullptr;
  bool conversing = true;  // false under --caller loop: nothing measured what the caller heard
  TimePoint origin{};
  TimePoint end{};  // when the run's calls ended: a breach's offence is dated here
};

// Judges each threshold on the whole run, one check each, named by its expression. PASS or FAIL
// on a measured value; SKIP marked incomplete when there is nothing to measure (no turn taken,
// no barge-in, --caller loop), so such a run is INCOMPLETE rather than PASS.
//
// Latency percentiles of reply_latency and ttfa count what never came: a no-reply turn and an
// admitted call never greeted rank above every measured value, so 10 % unanswered turns make
// p95 "never", a breach of any upper limit, not a p95 of the answered ones only.
std::vector<CheckResult> judge_thresholds(const std::vector<Threshold>& thresholds,
                                          const ThresholdEvidence& evidence);

}  // namespace callsim
