#include "timelines.h"

#include <algorithm>

namespace callsim {

GaugeTimeline GaugeTimeline::from_trace(const GaugeTrace& trace) {
  std::vector<Point> points;
  TimePoint observed{};
  bool exact = trace.monitored && trace.exact;
  if (exact) {
    for (const auto& e : trace.events) {
      if (e.value) points.push_back({e.at, *e.value});
    }
  } else {
    for (const auto& s : trace.samples) points.push_back({s.at, s.value});
  }
  for (const auto& e : trace.events) observed = std::max(observed, e.at);
  for (const auto& s : trace.samples) observed = std::max(observed, s.at);
  GaugeTimeline t = from_points(std::move(points), exact, observed);
  // An exact trace saw every value even while sampling stalled; samples are blind while lost.
  if (!exact) {
    for (const auto& loss : trace.losses) {
      if (loss.what != "sampling") continue;
      t.blind_.push_back({loss.at, loss.back_at.value_or(TimePoint::max()), loss.what, loss.how});
    }
  }
  return t;
}

const GaugeTimeline::Blind* GaugeTimeline::blind_in(TimePoint from, TimePoint to) const {
  for (const auto& b : blind_) {
    if (b.from <= to && from <= b.to) return &b;
  }
  return nullptr;
}

GaugeTimeline GaugeTimeline::from_points(std::vector<Point> points, bool exact,
                                         TimePoint observed_until) {
  GaugeTimeline t;
  std::stable_sort(points.begin(), points.end(),
                   [](const Point& a, const Point& b) { return a.at < b.at; });
  t.points_ = std::move(points);
  t.exact_ = exact;
  t.observed_until_ =
      t.points_.empty() ? observed_until : std::max(observed_until, t.points_.back().at);
  return t;
}

std::optional<int64_t> GaugeTimeline::value_at(TimePoint t) const {
  auto it = std::upper_bound(points_.begin(), points_.end(), t,
                             [](TimePoint v, const Point& p) { return v < p.at; });
  if (it == points_.begin()) return std::nullopt;
  return std::prev(it)->value;
}

std::pair<size_t, size_t> GaugeTimeline::range(TimePoint from, TimePoint to) const {
  auto after = [](const Point& p, TimePoint v) { return p.at <= v; };
  size_t first = std::lower_bound(points_.begin(), points_.end(), from, after) - points_.begin();
  size_t last = std::lower_bound(points_.begin(), points_.end(), to, after) - points_.begin();
  return {first, std::max(first, last)};
}

std::optional<TimePoint> decision_time(const CallRecord& call) {
  if (call.admitted()) {
    if (call.admitted_at() == TimePoint{}) return std::nullopt;
    return call.admitted_at();
  }
  if (call.outcome == Outcome::kPending || call.outcome == Outcome::kInterrupted ||
      call.ended == TimePoint{}) {
    return std::nullopt;
  }
  return call.ended;
}

TimePoint start_time(const CallRecord& call) {
  return call.connect_started != TimePoint{} ? call.connect_started : call.scheduled;
}

AdmittedTimeline::AdmittedTimeline(const std::vector<const CallRecord*>& calls) {
  for (const CallRecord* c : calls) {
    if (!c->admitted() || c->admitted_at() == TimePoint{}) continue;
    steps_.push_back({c->admitted_at(), +1, c});
    if (c->released_at() != TimePoint{}) {
      steps_.push_back({std::max(c->released_at(), c->admitted_at()), -1, c});
    }
  }
  std::sort(steps_.begin(), steps_.end(), [](const Step& a, const Step& b) {
    if (a.at != b.at) return a.at < b.at;
    // A call admitted and released at the same instant (a stream never opened) starts first.
    if (a.call == b.call) return a.delta > b.delta;
    if (a.delta != b.delta) return a.delta < b.delta;  // ends first
    return a.call->index < b.call->index;
  });
}

int AdmittedTimeline::live_at(TimePoint t) const {
  int live = 0;
  for (const auto& s : steps_) {
    if (s.at > t) break;
    live += s.delta;
  }
  return live;
}

int AdmittedTimeline::max_in(TimePoint from, TimePoint to) const {
  int live = 0;
  int best = 0;
  bool started = false;
  for (const auto& s : steps_) {
    if (s.at > to) break;
    if (s.at >= from && !started) {
      best = live;
      started = true;
    }
    live += s.delta;
    if (s.at >= from) best = std::max(best, live);
  }
  return started ? best : live;
}

std::vector<const CallRecord*> AdmittedTimeline::over_cap_admissions(int cap, TimePoint from,
                                                                     TimePoint to) const {
  std::vector<const CallRecord*> out;
  int live = 0;
  for (const auto& s : steps_) {
    if (s.at > to) break;
    live += s.delta;
    if (s.delta > 0 && live > cap && s.at >= from) out.push_back(s.call);
  }
  return out;
}

}  // namespace callsim
