#include "time_series_interval.h"

#include <fmt/format.h>

#include <algorithm>

#include "errors.h"
#include "lateness_series.h"

namespace callsim {

Nanos time_series_interval(Nanos length, Nanos lateness_width, Nanos requested) {
  Nanos interval = requested;
  if (interval.count() <= 0) {
    interval = length <= std::chrono::seconds(20) ? Nanos(std::chrono::milliseconds(250))
                                                  : Nanos(std::chrono::seconds(1));
  }
  const Nanos slot = std::max(Nanos(1), lateness_width);
  // The slots double (250 ms, 500 ms, 1 s, ...) on long runs: a requested 750 ms becomes 1 s
  // once they are 500 ms wide.
  if (interval % slot != Nanos(0)) interval = (interval / slot + 1) * slot;
  while (length / interval >= static_cast<int64_t>(kMaxTimeSeriesRows)) interval *= 2;
  return interval;
}

void validate_interval(Nanos interval, bool given, Nanos duration) {
  if (!given && interval.count() == 0) return;
  const Nanos slot = LatenessSeries::kBaseWidth;
  if (interval.count() <= 0) {
    throw InputError("--interval must be positive (leave it out for the automatic row width)");
  }
  if (interval < slot) {
    throw InputError(fmt::format(
        "--interval {} is finer than {}, the slots send lateness is kept in (the finest row)",
        format_duration(interval), format_duration(slot)));
  }
  if (interval % slot != Nanos(0)) {
    throw InputError(fmt::format(
        "--interval {} must be a multiple of {} (the slots send lateness is kept in), e.g. {}",
        format_duration(interval), format_duration(slot),
        format_duration((interval / slot + 1) * slot)));
  }
  if (duration.count() > 0 && duration / interval >= static_cast<int64_t>(kMaxTimeSeriesRows)) {
    // The finest whole number of slots that fits: duration / width < kMaxTimeSeriesRows.
    const Nanos fits = (duration / (slot * static_cast<int64_t>(kMaxTimeSeriesRows)) + 1) * slot;
    throw InputError(
        fmt::format("--interval {} over --duration {} gives {} rows, more than {}; use {} or wider",
                    format_duration(interval), format_duration(duration), duration / interval + 1,
                    kMaxTimeSeriesRows, format_duration(fits)));
  }
}

}  // namespace callsim
