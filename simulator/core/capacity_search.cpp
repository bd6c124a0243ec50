#include "capacity_search.h"

#include <algorithm>

namespace callsim {

const char* to_string(CapacityStep::Result result) {
  switch (result) {
    case CapacityStep::Result::kMet:
      return "met";
    case CapacityStep::Result::kBreached:
      return "breached";
    case CapacityStep::Result::kRejected:
      return "rejected";
    case CapacityStep::Result::kFailed:
      return "failed";
    case CapacityStep::Result::kGeneratorLimit:
      return "generator limit";
    case CapacityStep::Result::kInterrupted:
      return "interrupted";
  }
  return "?";
}

CapacitySearch::CapacitySearch(Config config) : config_(config) {
  next_ = std::min(config_.from, config_.max);
}

std::optional<int> CapacitySearch::next() const {
  return next_;
}

const CapacityStep* CapacitySearch::first_unmet() const {
  return bad_ ? &steps_[*bad_] : nullptr;
}

void CapacitySearch::record(const CapacityStep& step) {
  steps_.push_back(step);
  const bool met = step.result == CapacityStep::Result::kMet;
  const bool bisectable = step.result == CapacityStep::Result::kBreached ||
                          step.result == CapacityStep::Result::kFailed;
  if (met) {
    good_ = std::max(good_.value_or(0), step.concurrent);
  } else if (!bad_ || step.concurrent < steps_[*bad_].concurrent) {
    bad_ = steps_.size() - 1;
  }
  next_.reset();
  if (!bad_) {
    // Still stepping up; the last step is max itself even when it is off the grid.
    if (step.concurrent < config_.max)
      next_ = std::min(step.concurrent + config_.step, config_.max);
    return;
  }
  const CapacityStep& unmet = steps_[*bad_];
  if (unmet.result == CapacityStep::Result::kRejected) {
    if (config_.cap > good_.value_or(0) && config_.cap < unmet.concurrent) next_ = config_.cap;
    return;
  }
  const bool refining = config_.refine && (bisectable || (met && steps_.size() > 1));
  if (!refining || !good_) return;
  // A bisection step that stopped for a reason bisecting cannot get past ends the search.
  if (!met && !bisectable) return;
  const bool unmet_bisectable = unmet.result == CapacityStep::Result::kBreached ||
                                unmet.result == CapacityStep::Result::kFailed;
  if (!unmet_bisectable) return;
  if (unmet.concurrent - *good_ > 1) next_ = *good_ + (unmet.concurrent - *good_) / 2;
}

}  // namespace callsim
