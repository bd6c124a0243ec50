#pragma once

#include <cstdint>

#include "core/clock.h"

namespace callsim {

// Live numbers a worker publishes for the status line (a few times a second, under a mutex the
// hot path never waits on for long).
struct WorkerProgress {
  int64_t live = 0;      // connecting or streaming
  int64_t admitted = 0;  // streaming now
  int64_t ended = 0;
  int64_t rejected = 0;
  int64_t failed = 0;  // refused, timeouts, TLS, protocol errors, early closes
  uint64_t frames_sent = 0;
  Nanos lateness_p99{0};
};

}  // namespace callsim
