#pragma once

#include <optional>
#include <vector>

#include "core/call_record.h"
#include "verify/check_result.h"
#include "verify/timelines.h"
#include "verify/verify_options.h"

namespace callsim {

// What every check sees of one burst. The bursts' observation windows partition the run: burst
// k's runs from its first call's start to the next burst's first start (the first from the
// beginning of time, the last to the end of the trace), so settling, drift and excursions
// between bursts are charged to the burst before.
struct BurstContext {
  int burst = 0;  // CallRecord::burst (0-based)
  std::vector<const CallRecord*> calls;
  TimePoint window_start{};
  TimePoint window_end = TimePoint::max();
  const GaugeTimeline* gauge = nullptr;  // null: no gauge (--gauge none)
  std::optional<int64_t> baseline;       // the gauge before the whole run
  VerifyOptions options;
  const GaugeTrace* trace = nullptr;  // the raw trace behind `gauge`, for hints in messages
  TimePoint origin{};                 // the run's start, for times in messages

  AdmittedTimeline admitted() const { return AdmittedTimeline(calls); }
};

// The number of admitted calls live at once (intervals [upgrade, end]) never exceeds the cap.
CheckResult check_admitted_within_cap(const BurstContext& burst);

// Calls arriving together at an idle server: exactly min(arrivals, cap - baseline) admitted.
// "Together" means decided before the burst's first admitted call ended (later arrivals may
// legitimately take freed slots, or be refused while a release is delayed), so ramps work too.
// Fewer admitted means false rejections (e.g. WATCH retries exhausted); more means a race.
CheckResult check_full_admission(const BurstContext& burst);

// Every call not admitted was rejected explicitly (non-101 upgrade, close before or right after
// start) within --reject-timeout of its start; refusals, timeouts and broken protocol are not.
CheckResult check_rejections_clean(const BurstContext& burst);

// The gauge never exceeded the cap. An excursion above it is a warning, not a failure, when it
// lasted at most excursion_limit while admissions stayed within the cap (a back-off that
// increments, finds the cap full and decrements: Lua INCR-then-DECR).
CheckResult check_gauge_within_cap(const BurstContext& burst);

// While the admitted-live count is stable the gauge equals baseline + admitted calls live. The
// gauge's lag behind the calls is measured first (each gauge step matched to the nearest
// admission or release that explains it; p95 reported), and every interval between two changes
// of the live count (or a rejection) is judged, less only what is uncertain about each change:
// from the first moment the server may have acted on it to its own gauge step, widened by the
// local clock uncertainty of the trace (or a sampling period). So churn and a lagging but exact
// gauge are judged, not skipped. A lag beyond --gauge-lag fails on its own. The baseline is the one
// read before the whole run, so drift left by an earlier burst (a double release, a clamp-reset)
// fails here; release delays after the last call are no_leak's business.
CheckResult check_gauge_consistent(const BurstContext& burst);

// After the burst's last call ended the gauge returns to the baseline within --settle and stays
// there until the window ends. Reports how long it took.
CheckResult check_no_leak(const BurstContext& burst);

// The gauge never went below zero.
CheckResult check_never_negative(const BurstContext& burst);

// Every admitted call ran to its planned end: none closed early by the server or broken by a
// protocol error after its upgrade. Calls callsim drops on purpose (--drop-ratio) are not
// failures.
CheckResult check_calls_completed(const BurstContext& burst);

}  // namespace callsim
