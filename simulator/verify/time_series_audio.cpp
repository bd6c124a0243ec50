#include "time_series_audio.h"

#include <algorithm>

namespace callsim {

namespace {

// The row holding `t`; from the last row's end on, the last row (see the header), and -1
// before the first.
int64_t audio_row(TimePoint t, TimePoint origin, const std::vector<TimeSeriesRow>& rows) {
  if (t < origin + rows.front().from) return -1;
  if (t >= origin + rows.back().to) return static_cast<int64_t>(rows.size()) - 1;
  return row_holding(rows, origin, t);
}

}  // namespace

std::optional<Nanos> nearest_rank(std::vector<Nanos>& values, int p) {
  if (values.empty()) return std::nullopt;
  // ceil(p * n / 100) in integers: exact for every n, where 0.95 * n in binary is not.
  const size_t n = values.size();
  const size_t rank = std::max<size_t>(1, (static_cast<size_t>(p) * n + 99) / 100);
  const auto at = values.begin() + static_cast<std::ptrdiff_t>(rank - 1);
  std::nth_element(values.begin(), at, values.end());
  return *at;
}

void audio_levels(const std::vector<CallRecord>& calls, TimePoint origin, Nanos reply_timeout,
                  std::vector<TimeSeriesRow>& rows) {
  const size_t n = rows.size();
  if (n == 0) return;
  std::vector<std::vector<Nanos>> ttfa(n), latency(n);
  for (const CallRecord& c : calls) {
    const CallAudioResult& a = c.audio;
    // Greeted without a `start` sent cannot happen; such a call has no time to first audio.
    if (a.greeted && c.start_sent != TimePoint{}) {
      const int64_t row = audio_row(c.start_sent + a.time_to_first_audio, origin, rows);
      if (row >= 0) ttfa[static_cast<size_t>(row)].push_back(a.time_to_first_audio);
    }
    for (const TurnRecord& turn : a.turns) {
      if (turn.overlapped || turn.caller_end == TimePoint{}) continue;
      if (turn.replied) {
        const int64_t row = audio_row(turn.bot_start, origin, rows);
        if (row >= 0) latency[static_cast<size_t>(row)].push_back(turn.latency);
      } else {
        const int64_t row = audio_row(turn.caller_end + reply_timeout, origin, rows);
        if (row >= 0) ++rows[static_cast<size_t>(row)].no_reply_turns;
      }
    }
  }
  for (size_t r = 0; r < n; ++r) {
    TimeSeriesRow& row = rows[r];
    row.greeted = ttfa[r].size();
    row.ttfa_p95 = nearest_rank(ttfa[r], 95);
    row.turns_replied = latency[r].size();
    row.reply_latency_p95 = nearest_rank(latency[r], 95);
  }
}

}  // namespace callsim
