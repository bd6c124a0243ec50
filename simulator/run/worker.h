#pragma once

#include <memory>

#include "core/clock.h"
#include "core/load_plan.h"
#include "run/call_settings.h"
#include "run/run_stats.h"
#include "run/worker_progress.h"

namespace callsim {

// One thread's share of the calls: its own io_context and websocketpp endpoint, one timer for
// every call's frames (a min-heap of deadlines), no lock shared with other workers on the hot
// path. run() returns when all of its calls have ended.
class Worker {
 public:
  virtual ~Worker() = default;
  virtual void run() = 0;
  // Any thread: stop placing calls and end live ones (stop + close), recording `why`.
  virtual void request_stop(Outcome why = Outcome::kInterrupted) = 0;
  // Any thread.
  virtual WorkerProgress progress() const = 0;
  // After run() returned.
  virtual RunStats& stats() = 0;
};

// A worker for ws:// or wss:// targets, as `settings.secure` says.
std::unique_ptr<Worker> make_worker(int id, const CallSettings& settings, const LoadPlan& plan,
                                    TimePoint epoch, const Clock& clock);

}  // namespace callsim
