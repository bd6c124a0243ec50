#pragma once

#include "core/options.h"

namespace callsim {

// `callsim [run]`: validates the options, places the calls, prints the verdict; returns the exit
// code. Throws InputError/UnreachableError for main() to report.
int run_command(const Options& options);

}  // namespace callsim
