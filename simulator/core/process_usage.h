#pragma once

namespace callsim {

// What this process has cost so far: CPU (user + system) and its peak resident set. One
// definition for the run's report and the benchmark tools, which compare these figures.
struct ProcessUsage {
  double cpu_seconds = 0;
  long max_rss_kb = 0;
};
ProcessUsage process_usage();

}  // namespace callsim
