#pragma once

#include "verify/time_series.h"

namespace callsim {

// The time series as the JSON report's `time_series` object (instantiated for
// Writer<StringBuffer> and Writer<FileWriteStream>): interval_ms (the width used),
// requested_interval_ms (--interval; null when automatic, else differs from interval_ms only
// when the run needed more than kMaxTimeSeriesRows rows), cap, has_gauge, and `rows`: one object
// per row with the --csv columns' names and values, times in milliseconds since the run's start,
// null where the CSV has an empty field.
template <typename JsonWriter>
void write_time_series_json(JsonWriter& w, const TimeSeries& series);

}  // namespace callsim
