#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "clock.h"

namespace callsim {

// --stages: the load as a piecewise-linear function of time (k6's ramping executors). Each stage
// goes linearly from the previous stage's target (0 before the first) to its own over its
// duration; a 0 s stage is a jump. Targets are calls live (closed model) or, written with "/s",
// arrivals per second (open model); one run uses one kind.
struct LoadStage {
  Nanos duration{0};
  double target = 0;
};

class LoadStages {
 public:
  // "30s:10,2m:50,30s:0" or "1m:5/s,2m:20/s". Throws InputError naming --stages and the stage.
  static LoadStages parse(const std::string& text);

  bool open_model() const { return open_; }
  const std::vector<LoadStage>& stages() const { return stages_; }
  Nanos length() const { return length_; }
  Nanos stage_start(size_t stage) const;  // since the run's start
  // The stage holding `since_start` (the last one from its end on).
  size_t stage_at(Nanos since_start) const;
  // The target's linear value at a moment: calls, or arrivals per second.
  double target_at(Nanos since_start) const;

  // Closed model. The calls wanted live change one at a time, when the ramping target reaches
  // the next whole number (so a ramp from 0 to 10 over 10 s asks for its first call at 1 s and
  // its tenth at 10 s, and a ramp down ends its last call when it reaches 0). The stages' end is
  // a final step to 0: the run is over when its stages are.
  struct Step {
    Nanos at{0};
    int calls = 0;
  };
  const std::vector<Step>& steps() const { return steps_; }
  int peak_calls() const { return peak_calls_; }
  int calls_wanted(Nanos since_start) const;
  // When the calls wanted next change after `since_start`; nullopt after the last step.
  std::optional<Nanos> next_step_after(Nanos since_start) const;

  // Open model: arrival g (0-based) comes when the rate's integral from the start reaches g, as
  // --rate's call g comes at g / rate; arrivals() counts those before the stages' end.
  int64_t arrivals() const { return arrivals_; }
  Nanos arrival_offset(int64_t arrival) const;

 private:
  void build_steps();
  void build_arrivals();
  // The rate's integral over the stages before `stage`: arrivals due before it starts.
  double arrivals_before(size_t stage) const { return cumulative_[stage]; }

  bool open_ = false;
  std::vector<LoadStage> stages_;
  std::vector<Nanos> starts_;
  Nanos length_{0};
  std::vector<Step> steps_;
  int peak_calls_ = 0;
  std::vector<double> cumulative_;
  int64_t arrivals_ = 0;
};

}  // namespace callsim
