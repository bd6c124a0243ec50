#pragma once

#include <cstddef>

#include "duration.h"

namespace callsim {

// The row width of the run's time series (--csv, --html, the JSON report's time_series), and
// the rules for --interval. Here rather than in verify/ so that validate() can apply them before
// the run.
//
// Rows are built from the send-lateness slots (LatenessSeries: 250 ms, doubled on long runs), so
// a row is always a whole number of slots: a row that cut a slot would count its frames in the
// wrong row.
constexpr size_t kMaxTimeSeriesRows = 1024;

// The row width for a series `length` long. Automatic (`requested` 0): 250 ms up to 20 s (a
// short CI run still shows its shape), else 1 s. --interval (`requested` > 0): that width. Then
// rounded up to a whole number of lateness slots (`lateness_width`), and doubled until there are
// at most kMaxTimeSeriesRows rows (length / interval + 1 of them).
Nanos time_series_interval(Nanos length, Nanos lateness_width, Nanos requested = Nanos(0));

// Checks --interval before the run (InputError naming it): `given` says the flag (or its
// variable or file key) was set, so an explicit 0 is an error rather than "automatic". It must
// be positive and a multiple of 250 ms (the lateness slots), and with a known run length
// (`duration`, --duration; 0 = unbounded) give at most kMaxTimeSeriesRows rows. A run that
// outlasts its --duration (calls closing, the settle wait), or has none, can still need more
// rows; its interval is then widened after the run and the report says so (interval_ms beside
// requested_interval_ms).
void validate_interval(Nanos interval, bool given, Nanos duration);

}  // namespace callsim
