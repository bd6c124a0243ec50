#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/call_record.h"
#include "gauge/gauge_trace.h"

namespace callsim {

// The gauge as a step function of time: each point's value holds until the next point.
// Built from the exact MONITOR events when the trace is exact, else from the samples.
class GaugeTimeline {
 public:
  struct Point {
    TimePoint at{};
    int64_t value = 0;
  };

  // A stretch in which the gauge was not seen (GaugeTrace::losses that blind this timeline).
  struct Blind {
    TimePoint from{};
    TimePoint to = TimePoint::max();  // max: the gauge never came back
    std::string what, how;            // GaugeLoss::what and ::how
  };

  static GaugeTimeline from_trace(const GaugeTrace& trace);
  static GaugeTimeline from_points(std::vector<Point> points, bool exact, TimePoint observed_until);

  bool empty() const { return points_.empty(); }
  bool exact() const { return exact_; }
  const std::vector<Point>& points() const { return points_; }
  // The last moment the gauge was observed (the last sample or event).
  TimePoint observed_until() const { return observed_until_; }
  // The value in effect at t: that of the last point at or before t.
  std::optional<int64_t> value_at(TimePoint t) const;
  // Indices [first, last) of the points with at in (from, to].
  std::pair<size_t, size_t> range(TimePoint from, TimePoint to) const;
  // The first blind stretch overlapping [from, to], or null.
  const Blind* blind_in(TimePoint from, TimePoint to) const;
  const std::vector<Blind>& blind() const { return blind_; }

 private:
  std::vector<Blind> blind_;
  std::vector<Point> points_;
  bool exact_ = false;
  TimePoint observed_until_{};
};

// When each call was decided, as the caller saw it: the upgrade for admitted calls, the end for
// the rest. nullopt for calls never decided (still pending, interrupted while waiting).
std::optional<TimePoint> decision_time(const CallRecord& call);
// When the call started from the caller's side: the TCP connect, else its schedule.
TimePoint start_time(const CallRecord& call);

// Admitted calls live over time, from intervals [admitted_at, ended] (open-ended when the call
// never ended). At equal times ends come first: a slot freed and taken at the same instant is
// not two calls at once.
class AdmittedTimeline {
 public:
  struct Step {
    TimePoint at{};
    int delta = 0;  // +1 admitted, -1 ended
    const CallRecord* call = nullptr;
  };

  explicit AdmittedTimeline(const std::vector<const CallRecord*>& calls);

  const std::vector<Step>& steps() const { return steps_; }
  int live_at(TimePoint t) const;
  int max_in(TimePoint from, TimePoint to) const;  // over the closed interval
  // Admissions that took the live count above `cap` within [from, to], in order.
  std::vector<const CallRecord*> over_cap_admissions(int cap, TimePoint from, TimePoint to) const;

 private:
  std::vector<Step> steps_;
};

}  // namespace callsim
