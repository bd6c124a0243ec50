#pragma once

#include <functional>
#include <optional>

#include "core/clock.h"
#include "core/load_plan.h"
#include "run/call_settings.h"
#include "run/progress.h"
#include "run/run_stats.h"

namespace callsim {

struct BurstOutcome {
  RunStats stats;
  TimePoint started{};  // the epoch every worker's schedule is relative to
  TimePoint finished{};
  bool interrupted = false;  // SIGINT
  bool timed_out = false;    // --duration reached
};

// Runs one set of calls across `threads` workers: workers are built first, started together
// behind a common epoch, watched from this thread (progress, SIGINT, --duration), joined, and
// their stats merged. `deadline` (TimePoint::max() for none) bounds the burst.
BurstOutcome run_burst(const CallSettings& settings, const LoadPlan& plan, const Clock& clock,
                       ProgressPrinter& progress, TimePoint deadline, TimePoint run_started,
                       const std::function<std::optional<int64_t>()>& gauge_now);

}  // namespace callsim
