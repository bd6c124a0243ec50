#include "settle.h"

#include <algorithm>
#include <thread>

#include "gauge/gauge_watcher.h"

namespace callsim {

SettleResult wait_for_settle(const std::function<std::optional<GaugeSample>()>& latest,
                             int64_t baseline, TimePoint calls_ended, Nanos settle,
                             Nanos stable_for, Nanos poll, const std::function<bool()>& give_up) {
  SettleResult result;
  const TimePoint deadline = calls_ended + settle;
  bool in_stretch = false;  // the latest samples all read the baseline
  TimePoint stretch_start{};
  for (;;) {
    TimePoint now = std::chrono::steady_clock::now();
    std::optional<GaugeSample> sample = latest();
    if (sample && sample->at >= calls_ended) {
      result.last_value = sample->value;
      if (sample->value != baseline) {
        in_stretch = false;
      } else {
        if (!in_stretch) stretch_start = sample->at;
        in_stretch = true;
        if (sample->at - stretch_start >= stable_for) {
          result.settled = true;
          break;
        }
      }
    }
    // Reaching the baseline before the deadline counts, even if holding it takes a moment more.
    bool may_still_hold = in_stretch && stretch_start <= deadline;
    if (now >= deadline + (may_still_hold ? stable_for + poll * 4 : Nanos(0))) break;
    if (give_up && give_up()) {
      result.given_up = true;
      break;
    }
    std::this_thread::sleep_for(poll);
  }
  result.waited_until = std::chrono::steady_clock::now();
  if (result.settled) {
    result.settled_at = stretch_start;
    result.took = std::max(Nanos(0), stretch_start - calls_ended);
  }
  return result;
}

SettleResult wait_for_settle(const GaugeWatcher& watcher, int64_t baseline, TimePoint calls_ended,
                             Nanos settle, const std::function<bool()>& give_up, Nanos stable_for) {
  if (!watcher.enabled()) {
    SettleResult skipped;
    skipped.skipped = true;
    skipped.settled = true;
    skipped.waited_until = std::chrono::steady_clock::now();
    return skipped;
  }
  Nanos poll = std::clamp<Nanos>(watcher.options().interval, std::chrono::milliseconds(1),
                                 std::chrono::milliseconds(50));
  return wait_for_settle([&] { return watcher.latest(); }, baseline, calls_ended, settle,
                         std::max(stable_for, watcher.options().interval * 2), poll, give_up);
}

}  // namespace callsim
