#pragma once

#include <string>
#include <vector>

#include "core/call_record.h"
#include "core/lateness_series.h"
#include "core/load_stages.h"
#include "run/run_report.h"
#include "verify/time_series.h"

namespace callsim {

// What happened in each --stages stage, from the call records after the run: one block per stage
// in the summary and in the JSON report. The counts are the time series' (count_calls_by_row)
// with the stages as its rows: a call's start, admission, end, first audio and each turn's
// answer fall in the stage whose stretch holds them, and what happens after the stages' end
// (the last calls closing) in the last stage.
struct StageRow {
  size_t number = 0;       // 1-based, as the stage was written
  double target_from = 0;  // calls, or arrivals per second
  double target_to = 0;
  // from/to: the stage's stretch since the stages' start; the gauge and connecting columns are
  // not used. frames_sent and lateness_p99 are the lateness slots starting in the stage.
  TimeSeriesRow counts;
};

struct StageInput {
  const LoadStages* stages = nullptr;
  const std::vector<CallRecord>* calls = nullptr;
  const LatenessSeries* lateness = nullptr;
  TimePoint epoch{};        // the stages' start (the burst's epoch)
  TimePoint run_started{};  // what the lateness series counts from
  TimePoint end{};          // the last event's time (time_series_end)
  Nanos reply_timeout{0};
};

std::vector<StageRow> summarize_stages(const StageInput& input);

// "stages (closed model, calls live):" and one line per stage.
std::string format_stages_text(const std::vector<StageRow>& rows, bool open_model);
void write_stages_json(JsonWriter& w, const std::vector<StageRow>& rows, bool open_model);

}  // namespace callsim
