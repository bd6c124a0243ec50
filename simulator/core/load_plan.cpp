#include "load_plan.h"

#include <algorithm>
#include <cmath>

namespace callsim {

namespace {
// How many of the indices 0..n-1 fall to worker w under round-robin dealing.
int64_t dealt(int64_t n, int worker, int workers) {
  return n > worker ? (n - worker + workers - 1) / workers : 0;
}
}  // namespace

LoadPlan::LoadPlan(int concurrent, int64_t total_calls, Nanos ramp, double rate, int workers)
    : concurrent_(concurrent),
      // Only the closed model keeps `concurrent` live, so only it needs that many calls.
      total_(rate > 0 ? std::max<int64_t>(total_calls, 0)
                      : std::max<int64_t>(total_calls, concurrent)),
      ramp_(ramp),
      rate_(rate),
      workers_(std::max(1, workers)) {}

LoadPlan::LoadPlan(std::shared_ptr<const LoadStages> stages, int concurrent, int workers)
    : concurrent_(concurrent),
      // A closed model's calls are bounded by the stages' time; the index space must only not
      // run out (call_index multiplies by the workers).
      total_(stages->open_model() ? stages->arrivals() : (int64_t{1} << 40)),
      ramp_(0),
      rate_(0),
      workers_(std::max(1, workers)),
      stages_(std::move(stages)) {}

int64_t LoadPlan::staged_calls_for(int worker, Nanos since_start) const {
  return dealt(stages_->calls_wanted(since_start), worker, workers_);
}

int64_t LoadPlan::arrivals_within(double rate, Nanos duration) {
  if (rate <= 0 || duration.count() <= 0) return 0;
  // The slack keeps an exact product (20/s for 2 s) from gaining an arrival at the boundary.
  return static_cast<int64_t>(
      std::ceil(rate * (static_cast<double>(duration.count()) / 1e9) - 1e-9));
}

int64_t LoadPlan::in_flight_limit_for(int worker) const {
  return dealt(concurrent_, worker, workers_);
}

bool LoadPlan::starts_arrival(int worker, int64_t in_flight) const {
  return !open_model() || in_flight < in_flight_limit_for(worker);
}

int64_t LoadPlan::calls_for(int worker) const {
  return dealt(total_, worker, workers_);
}

int64_t LoadPlan::initial_calls_for(int worker) const {
  if (open_model()) return calls_for(worker);
  if (staged_closed()) return 0;
  return dealt(concurrent_, worker, workers_);
}

std::optional<Nanos> LoadPlan::scheduled_offset(int64_t call) const {
  if (stages_) {
    if (stages_->open_model()) return stages_->arrival_offset(call);
    return std::nullopt;
  }
  if (open_model()) {
    return Nanos(static_cast<int64_t>(std::llround(static_cast<double>(call) * 1e9 / rate_)));
  }
  if (call >= concurrent_) return std::nullopt;
  return Nanos(ramp_.count() / concurrent_ * call +
               (ramp_.count() % concurrent_) * call / concurrent_);
}

}  // namespace callsim
