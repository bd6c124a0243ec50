#pragma once

#include <CLI/CLI.hpp>

#include "core/duration.h"
#include "core/options.h"

namespace callsim {

struct CapacityArgs {
  int from = 10;
  int step = 10;
  int max = 200;
  std::string step_hold_text;  // each step's --hold; "": the run's own
  bool refine = false;
  int expect = 0;  // 0: any capacity found passes
};

// `callsim capacity`: its own flags; the run's flags fall through to the top level.
CLI::App* add_capacity_subcommand(CLI::App& app, CapacityArgs& args);

// Steps the load up, one whole run per step (thresholds, cap checks and the generator's own
// lateness judged as in a single run), stops at the first step that is not met and answers with
// the highest concurrency that met every threshold, what broke at the next step and by how much.
// Exit 0 when a capacity at or above --expect was found, 1 below it (or none), 4 when the
// generator fell behind before reaching --expect, 130 interrupted.
int capacity_command(const Options& run_options, const CapacityArgs& args);

}  // namespace callsim
