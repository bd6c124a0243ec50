#pragma once

#include <string>

#include "verify/time_series.h"

namespace callsim {

// The header line of --csv (README: "The time series").
extern const char* const kTimeSeriesCsvHeader;

// The time series as CSV (RFC 4180, "\n" line ends): the header, then one row per interval.
// Times are whole milliseconds since the run's start, lateness, time to first audio and reply
// latency milliseconds with microsecond precision; a value that was not measured (the gauge
// unseen, no frame sent, no call greeted or turn answered in the row) is an empty field.
std::string format_time_series_csv(const TimeSeries& series);

}  // namespace callsim
