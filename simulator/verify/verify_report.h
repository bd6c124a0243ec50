#pragma once

#include <string>
#include <vector>

#include "core/call_record.h"
#include "gauge/gauge_trace.h"
#include "verify/verifier.h"

namespace callsim {

// The verdict table a person reads at a glance: one row per check (verdict and the numbers),
// the per-burst strip when there were several bursts ('.' pass, 'F' fail, '-' skip), then the
// first offence with its time and calls, and warnings.
std::string render_verification_text(const Verification& v);

// The same as one JSON object (instantiated for Writer<StringBuffer> and Writer<FileWriteStream>).
// Times are milliseconds since the verification's origin.
template <typename JsonWriter>
void write_verification_json(JsonWriter& w, const Verification& v);

// Admitted calls live over time as [t_ms, live] steps, to plot beside the gauge trace.
template <typename JsonWriter>
void write_admitted_live_json(JsonWriter& w, const std::vector<CallRecord>& calls,
                              TimePoint origin);

// A compact table of the run in `rows` equal slices: admitted calls live (max) beside the gauge
// (min..max) in each slice, so a person sees both views line up.
std::string render_gauge_timeline_text(const std::vector<CallRecord>& calls,
                                       const GaugeTrace* trace, TimePoint origin, int rows = 20);

}  // namespace callsim
