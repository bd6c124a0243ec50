#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "errors.h"

namespace callsim {

using Nanos = std::chrono::nanoseconds;

// Parses "250ms", "20s", "1.5s", "2m", "1h", "100us", "0". A bare number other than 0 is
// rejected: "5" could mean seconds or milliseconds and guessing wrong ruins a run silently.
Nanos parse_duration(std::string_view text);

// "1.5s", "250ms", "20us" — the shortest exact-ish form, for help texts and reports.
std::string format_duration(Nanos d);

}  // namespace callsim
