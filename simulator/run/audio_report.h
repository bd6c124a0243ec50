#pragma once

#include <string>

#include "core/call_audio_metrics.h"
#include "run/run_report.h"

namespace callsim {

// What the callers heard, summed over the run's calls (CallRecord::audio).
struct AudioTotals {
  uint64_t conversing_calls = 0;  // calls whose `start` was sent
  uint64_t greeted_calls = 0;
  uint64_t turns = 0;
  uint64_t replies = 0;
  uint64_t no_reply_turns = 0;
  uint64_t overlapped_turns = 0;
  uint64_t dead_air_count = 0;
  uint64_t calls_with_dead_air = 0;
  Nanos dead_air_total{0};
  Nanos dead_air_longest{0};
  Nanos bot_speech_total{0};
  uint64_t admitted_streamed_calls = 0;  // admitted calls whose `start` was sent
  uint64_t admitted_greeted_calls = 0;
  uint64_t barge_ins = 0;
  uint64_t barge_ins_cleared = 0;
  uint64_t marks_never_echoed = 0;
};
AudioTotals audio_totals(const std::vector<CallRecord>& calls);
// The same over the calls one --bursts repetition placed (0-based).
AudioTotals audio_totals(const std::vector<CallRecord>& calls, int burst);

// The summary's lines on what the callers heard (time to first audio, reply latency, no-reply
// turns, dead air, barge-ins), indented as the rest; "" when no call got as far as `start`.
std::string format_audio_summary(const RunStats& stats);

// The report's top-level "audio" object: the totals and the histograms, and with more than one
// burst the same per burst under "by_burst".
void write_audio_json(JsonWriter& w, const RunStats& stats);
// One call's "audio" object, times in ms since `origin`.
void write_call_audio_json(JsonWriter& w, TimePoint origin, const CallAudioResult& audio);

}  // namespace callsim
