#pragma once

#include <cstdint>
#include <memory>
#include <optional>

#include "clock.h"
#include "load_stages.h"

namespace callsim {

// Which calls a worker places and when they are meant to start. Calls are numbered globally
// 0..total-1 and dealt to workers round-robin (call g belongs to worker g % workers), so SIDs,
// offsets and start times depend only on the call, never on the thread count.
//
// Closed model (rate == 0): the first `concurrent` calls start at epoch + ramp * g / concurrent;
// every later call starts as soon as one of the same worker's calls ends.
// Open model (rate > 0): call g arrives at epoch + g / rate whatever happened to earlier calls;
// `concurrent` is then the most calls in flight, split exactly across workers (worker w may have
// its round-robin share of 0..concurrent-1 live), and an arrival that finds its worker's share
// full is dropped (k6's dropped_iterations), not delayed: delaying it would silently lower the
// offered rate.
class LoadPlan {
 public:
  LoadPlan(int concurrent, int64_t total_calls, Nanos ramp, double rate, int workers);
  // --stages. Open model: arrival g comes at the stages' arrival_offset(g), `concurrent` bounds
  // the calls in flight. Closed model: there is no count of calls; the stages' steps say how many
  // each worker keeps live (its round-robin share of the calls wanted), and finished calls are
  // replaced while the share is not reached.
  LoadPlan(std::shared_ptr<const LoadStages> stages, int concurrent, int workers);

  // How many arrivals an open model schedules within `duration`: every g with g / rate < duration.
  static int64_t arrivals_within(double rate, Nanos duration);

  int workers() const { return workers_; }
  int64_t total_calls() const { return total_; }
  bool open_model() const { return rate_ > 0 || (stages_ && stages_->open_model()); }
  // Closed-model --stages: calls start and end by the steps, not by a schedule or a count.
  bool staged_closed() const { return stages_ && !stages_->open_model(); }
  const LoadStages* stages() const { return stages_.get(); }
  // Closed-model --stages: worker w's share of the calls wanted at `since_start`.
  int64_t staged_calls_for(int worker, Nanos since_start) const;

  // How many calls worker w places in all, and how many it starts up front.
  int64_t calls_for(int worker) const;
  int64_t initial_calls_for(int worker) const;
  // The global index of worker w's k-th call (0-based), in the order it places them.
  int64_t call_index(int worker, int64_t k) const { return k * workers_ + worker; }
  // When call g is scheduled, as an offset from the run's epoch; nullopt for a closed-model
  // replacement call, which starts when a slot frees up.
  std::optional<Nanos> scheduled_offset(int64_t call) const;
  // Open model: the most calls worker w may have in flight, and whether an arrival that finds
  // `in_flight` of them live is started. The closed model starts every call it places.
  int64_t in_flight_limit_for(int worker) const;
  bool starts_arrival(int worker, int64_t in_flight) const;

 private:
  int concurrent_;
  int64_t total_;
  Nanos ramp_;
  double rate_;
  int workers_;
  std::shared_ptr<const LoadStages> stages_;
};

}  // namespace callsim
