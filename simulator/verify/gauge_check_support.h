#pragma once

// What the gauge checks (gauge_checks.cpp, gauge_consistent.cpp) share: the burst's view of the
// gauge, the SKIP reasons and the hints that explain a disagreement.
#include <optional>
#include <string>
#include <vector>

#include "verify/checks.h"

namespace callsim {

// The burst's view of the gauge: the value in effect when the window opened, then every point
// inside it.
std::vector<GaugeTimeline::Point> window_points(const BurstContext& b);
// Common SKIP reasons; true when the check cannot run.
bool skip_without_gauge(const BurstContext& b, CheckResult& r, bool needs_baseline);
// "the gauge's sampling was lost at +1.52s (connection refused), back at +3.00s"
std::string describe_blind(const BurstContext& b, const GaugeTimeline::Blind& blind);
// A TTL running out explains a drop no command made.
std::optional<std::string> expiry_note(const BurstContext& b, TimePoint from, TimePoint to);
// Why a gauge may disagree with the calls without ever moving: it is not the server's counter.
std::optional<std::string> untouched_key_hint(const BurstContext& b, int max_live);

}  // namespace callsim
