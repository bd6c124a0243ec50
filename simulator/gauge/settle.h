#pragma once

#include <cstdint>
#include <functional>
#include <optional>

#include "core/clock.h"
#include "gauge/gauge_trace.h"

namespace callsim {

class GaugeWatcher;

// How the wait for the gauge to return to its baseline after a burst ended.
struct SettleResult {
  bool skipped = false;  // no gauge to wait for (--gauge none)
  bool settled = false;  // the gauge read the baseline, steadily, within the settle time
  std::optional<int64_t> last_value;  // the last value read after the calls ended
  TimePoint settled_at{};             // first sample of the final stretch at the baseline
  Nanos took{0};                      // settled_at - calls_ended, 0 when it never left the baseline
  TimePoint waited_until{};           // when the wait ended
  bool given_up = false;              // `give_up` said so (Ctrl-C) before either happened
};

// Waits until samples taken after `calls_ended` read `baseline` continuously for `stable_for`
// (so a value passing through the baseline on its way elsewhere does not count), or until
// `calls_ended + settle` passes, or until `give_up` (if given) returns true. Polls `latest` and
// `give_up` every `poll`.
SettleResult wait_for_settle(const std::function<std::optional<GaugeSample>()>& latest,
                             int64_t baseline, TimePoint calls_ended, Nanos settle,
                             Nanos stable_for = std::chrono::milliseconds(20),
                             Nanos poll = std::chrono::milliseconds(1),
                             const std::function<bool()>& give_up = nullptr);

// The same, polling the watcher's latest sample (skipped when the watcher has no gauge).
SettleResult wait_for_settle(const GaugeWatcher& watcher, int64_t baseline, TimePoint calls_ended,
                             Nanos settle, const std::function<bool()>& give_up = nullptr,
                             Nanos stable_for = std::chrono::milliseconds(20));

}  // namespace callsim
