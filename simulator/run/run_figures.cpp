#include "run_figures.h"

#include <algorithm>
#include <utility>

namespace callsim {

// Upgrades per second between the first connect and the last upgrade.
double setup_rate(const RunStats& s) {
  TimePoint first = TimePoint::max(), last{};
  uint64_t upgraded = 0;
  for (const CallRecord& c : s.calls) {
    if (c.upgraded == TimePoint{}) continue;
    ++upgraded;
    first = std::min(first, c.connect_started);
    last = std::max(last, c.upgraded);
  }
  if (upgraded < 2 || last <= first) return 0;
  return upgraded / std::chrono::duration<double>(last - first).count();
}

ReadingTotals reading_totals(const std::vector<CallRecord>& calls) {
  ReadingTotals t;
  for (const CallRecord& c : calls) {
    t.pings_received += c.pings_received;
    t.pongs_unsent += c.pongs_unsent;
    t.mark_echoes_unsent += c.mark_echoes_unsent;
    t.close_timed_out_calls += c.close_timed_out;
    t.unread_calls += c.unread_bytes() > 0 || c.unread_frames > 0;
    t.unread_socket_bytes += c.unread_socket_bytes;
    t.unread_queued_bytes += c.unread_queued_bytes;
    t.unread_frames += c.unread_frames;
  }
  return t;
}

namespace {

int64_t peak_live_calls(const std::vector<CallRecord>& calls) {
  std::vector<std::pair<TimePoint, int>> changes;
  for (const CallRecord& c : calls) {
    const TimePoint from = c.connect_started != TimePoint{} ? c.connect_started : c.scheduled;
    if (from == TimePoint{} || c.ended == TimePoint{}) continue;
    changes.emplace_back(from, +1);
    changes.emplace_back(c.ended, -1);
  }
  std::sort(changes.begin(), changes.end());
  int64_t live = 0, peak = 0;
  for (const auto& change : changes) peak = std::max(peak, live += change.second);
  return peak;
}

}  // namespace

GeneratorMemory generator_memory(const RunSummary& run) {
  GeneratorMemory memory;
  memory.peak_live_calls = peak_live_calls(run.stats->calls);
  if (memory.peak_live_calls >= kRssPerCallFrom) {
    memory.kb_per_call =
        static_cast<double>(run.max_rss_kb) / static_cast<double>(memory.peak_live_calls);
  }
  return memory;
}

}  // namespace callsim
