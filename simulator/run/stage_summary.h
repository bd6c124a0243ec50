#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/call_record.h"
#include "core/lateness_series.h"
#include "core/load_stages.h"
#include "run/run_report.h"

namespace callsim {

// What happened in each --stages stage, from the call records after the run: one block per stage
// in the summary and in the JSON report. Events fall in the stage whose stretch holds them: a
// call's start, its admission (admitted_at), its end (turned away, failed, completed), its first
// audio and each turn's answer (the turn's end when unanswered: caller_end + reply_timeout).
struct StageRow {
  size_t number = 0;       // 1-based, as the stage was written
  Nanos from{0}, to{0};    // since the stages' start
  double target_from = 0;  // calls, or arrivals per second
  double target_to = 0;
  int64_t started = 0;
  int64_t admitted = 0;
  int64_t rejected = 0;
  int64_t failed = 0;
  int64_t completed = 0;
  int64_t admitted_live_peak = 0;  // most calls admitted at once within the stage
  std::optional<Nanos> ttfa_p95;
  std::optional<Nanos> reply_latency_p95;  // of the replied turns
  int64_t turns_replied = 0;
  int64_t no_reply_turns = 0;
  LatenessSeries::Summary lateness;  // frames sent in the lateness slots starting in the stage
};

struct StageInput {
  const LoadStages* stages = nullptr;
  const std::vector<CallRecord>* calls = nullptr;
  const LatenessSeries* lateness = nullptr;
  TimePoint epoch{};        // the stages' start (the burst's epoch)
  TimePoint run_started{};  // what the lateness series counts from
  Nanos reply_timeout{0};
};

std::vector<StageRow> summarize_stages(const StageInput& input);

// "stages (closed model, calls live):" and one line per stage.
std::string format_stages_text(const std::vector<StageRow>& rows, bool open_model);
void write_stages_json(JsonWriter& w, const std::vector<StageRow>& rows, bool open_model);

}  // namespace callsim
