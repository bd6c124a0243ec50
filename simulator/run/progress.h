#pragma once

#include <cstdio>
#include <optional>
#include <string>

#include "core/options.h"
#include "run/worker_progress.h"

namespace callsim {

// The live status: one line rewritten in place on a terminal, or a plain line every
// `interval` otherwise (CI logs), or nothing.
class ProgressPrinter {
 public:
  ProgressPrinter(Options::Progress mode, Nanos interval, std::FILE* out = stderr);
  // Called often (every ~100 ms); decides itself whether to print.
  void update(const WorkerProgress& totals, Nanos elapsed, std::optional<int64_t> gauge);
  // Ends an in-place line so that what follows starts on a fresh line.
  void finish();

  static std::string format(const WorkerProgress& totals, Nanos elapsed,
                            std::optional<int64_t> gauge);

 private:
  // Writes and flushes; on a write error, turns progress off for good.
  bool write(const std::string& text);

  bool tty_ = false;
  bool enabled_ = true;
  Nanos interval_;
  Nanos last_printed_{-1};
  bool line_open_ = false;
  std::FILE* out_;
};

}  // namespace callsim
