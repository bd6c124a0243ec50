#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/call_record.h"
#include "run/run_report.h"
#include "run/run_stats.h"

namespace callsim {

// Figures derived from a run's calls that both the JSON report and the human summary give.

// Upgrades per second between the first connect and the last upgrade.
double setup_rate(const RunStats& s);

// What servers left unread and which calls they stopped reading, summed over the calls.
struct ReadingTotals {
  uint64_t pings_received = 0;
  uint64_t pongs_unsent = 0;
  uint64_t mark_echoes_unsent = 0;
  uint64_t close_timed_out_calls = 0;
  uint64_t unread_calls = 0;  // calls with unread bytes or frames at hang-up
  uint64_t unread_socket_bytes = 0;
  uint64_t unread_queued_bytes = 0;
  uint64_t unread_frames = 0;
};
ReadingTotals reading_totals(const std::vector<CallRecord>& calls);

// RSS over the calls says something only when the calls, not the process's fixed start-up
// cost, dominate it: from this many live at once, and then per call live at the peak.
constexpr int64_t kRssPerCallFrom = 100;
struct GeneratorMemory {
  int64_t peak_live_calls = 0;        // connecting to ended, the most at once
  std::optional<double> kb_per_call;  // unset below kRssPerCallFrom
};
GeneratorMemory generator_memory(const RunSummary& run);

}  // namespace callsim
