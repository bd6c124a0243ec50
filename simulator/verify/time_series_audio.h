#pragma once

#include <optional>
#include <vector>

#include "core/call_record.h"
#include "verify/time_series.h"

namespace callsim {

// What the callers heard, per row of the time series (core/call_audio_metrics.h):
// - greeted, ttfa_p95: calls greeted in the row, at `start_sent + time_to_first_audio` (the
//   first voiced bot audio played), and the p95 of their time to first audio;
// - turns_replied, reply_latency_p95: turns whose reply started playing in the row (bot_start)
//   and the p95 of their reply latency;
// - no_reply_turns: turns unanswered within `reply_timeout`, in the row holding caller_end +
//   reply_timeout, when the caller gave up. A call that ended first (hung up or interrupted
//   while it waited) may put that moment after the rows' end: such a turn counts in the last
//   row, so the rows add up to the report's totals.
// Overlapped turns (the bot was already talking) have no latency and are in neither count. Only
// each call's recorded turns (CallAudioResult::turns, the first max_turn_records) are seen.
// p95s are by nearest rank over the exact values, unset in a row without any.
void audio_levels(const std::vector<CallRecord>& calls, TimePoint origin, Nanos reply_timeout,
                  std::vector<TimeSeriesRow>& rows);

// The p-th percentile (0 < p <= 100) of `values` by nearest rank: the ceil(p / 100 * n)-th
// smallest. Reorders `values`; unset when it is empty.
std::optional<Nanos> nearest_rank(std::vector<Nanos>& values, int p);

}  // namespace callsim
