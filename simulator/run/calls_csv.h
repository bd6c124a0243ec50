#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/call_record.h"

namespace callsim {

// The per-call CSV (--csv-calls): RFC 4180, a header row then one row per call in the order the
// run scheduled them (by index), CRLF line ends. Times are milliseconds since the run's start,
// empty when the moment did not happen; burst is 1-based, index 0-based. The columns are listed in
// the README and in kCallCsvColumns.
extern const std::vector<std::string> kCallCsvColumns;

std::string render_calls_csv(const std::vector<CallRecord>& calls, TimePoint origin);

// One RFC 4180 field: quoted (with inner quotes doubled) when it holds a comma, a quote, CR or LF.
std::string csv_field(std::string_view text);

}  // namespace callsim
