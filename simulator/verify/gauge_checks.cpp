// The checks that compare the server's gauge with the calls.
#include <algorithm>

#include <fmt/format.h>

#include "verify/checks.h"
#include "verify/gauge_check_support.h"
#include "verify/safe_math.h"

namespace callsim {

using Fold = Metric::Fold;
using Point = GaugeTimeline::Point;

namespace {

TimePoint observed_end(const BurstContext& b) {
  return std::min(b.window_end, b.gauge->observed_until());
}

std::string gauge_source(const BurstContext& b) {
  return b.gauge->exact() ? "exact trace" : "samples";
}

// A check that found nothing wrong but needed the gauge over [from, to] while it was lost SKIPs
// unjudged: passing on the part of the run before the loss would be a claim without evidence.
bool skip_if_blind(const BurstContext& b, CheckResult& r, TimePoint from, TimePoint to,
                   const char* needed) {
  if (r.offense) return false;
  const GaugeTimeline::Blind* blind = b.gauge->blind_in(from, to);
  if (!blind) return false;
  r.verdict = Verdict::kSkip;
  r.incomplete = true;
  r.summary = fmt::format("{}: not seen {}", describe_blind(b, *blind), needed);
  return true;
}

std::optional<TimePoint> last_end(const BurstContext& b) {
  std::optional<TimePoint> last;
  for (const CallRecord* c : b.calls) {
    if (c->ended != TimePoint{}) last = last ? std::max(*last, c->ended) : c->ended;
  }
  return last;
}

}  // namespace

// The burst's view of the gauge: the value in effect when the window opened, then every point
// inside it.
std::vector<Point> window_points(const BurstContext& b) {
  std::vector<Point> out;
  const GaugeTimeline& g = *b.gauge;
  if (auto v = g.value_at(b.window_start)) out.push_back({b.window_start, *v});
  auto [first, last] = g.range(b.window_start, b.window_end);
  if (b.window_end == TimePoint::max()) last = g.points().size();
  for (size_t i = first; i < last; ++i) {
    if (g.points()[i].at < b.window_end) out.push_back(g.points()[i]);
  }
  return out;
}

// Common SKIP reasons; true when the check cannot run.
bool skip_without_gauge(const BurstContext& b, CheckResult& r, bool needs_baseline) {
  if (!b.gauge) {
    r.summary = "no gauge (--gauge none)";
  } else if (b.gauge->empty()) {
    r.summary = "the gauge was never read";
  } else if (needs_baseline && !b.baseline) {
    r.summary = "no baseline was read before the run";
  } else {
    return false;
  }
  r.verdict = Verdict::kSkip;
  r.incomplete = b.gauge != nullptr;  // a gauge was asked for and could not be used
  return true;
}

// "the gauge's sampling was lost at +1.52s (connection refused), back at +3.00s"
std::string describe_blind(const BurstContext& b, const GaugeTimeline::Blind& blind) {
  std::string out = fmt::format("the gauge's {} was lost at {} ({})", blind.what,
                                format_offset(b.origin, blind.from), blind.how);
  if (blind.to != TimePoint::max()) out += ", back at " + format_offset(b.origin, blind.to);
  return out;
}

// A TTL running out explains a drop no command made: "the gauge dropped to 49 at +3.2s when
// get:calls:active_count expired (TTL)".
std::optional<std::string> expiry_note(const BurstContext& b, TimePoint from, TimePoint to) {
  if (!b.trace || !b.trace->monitored) return std::nullopt;
  for (const auto& e : b.trace->events) {
    if (e.origin != EventOrigin::kExpiry || e.at < from || e.at > to) continue;
    return fmt::format("the gauge dropped to {} at {} when {} expired (TTL)",
                       e.value ? std::to_string(*e.value) : std::string("nothing"),
                       format_offset(b.origin, e.at), b.trace->source);
  }
  return std::nullopt;
}

// Why a gauge may disagree with the calls without ever moving: it is not the server's counter.
std::optional<std::string> untouched_key_hint(const BurstContext& b, int max_live) {
  if (max_live <= 0 || !b.trace) return std::nullopt;
  const auto& points = b.gauge->points();
  auto [first, last] = b.gauge->range(b.window_start, observed_end(b));
  std::optional<int64_t> value = b.gauge->value_at(b.window_start);
  for (size_t i = first; i < last; ++i) {
    if (value && points[i].value != *value) return std::nullopt;
    value = points[i].value;
  }
  if (!value) return std::nullopt;
  if (b.trace->monitored && b.trace->exact && b.trace->commands_on_key == 0) {
    return fmt::format(
        "no command touched {} during the run: is --gauge the key the server counts in?",
        b.trace->source);
  }
  return fmt::format(
      "{} never moved from {} while up to {} calls were admitted: is --gauge the key the server "
      "counts in?",
      b.trace->source, *value, max_live);
}

CheckResult check_gauge_within_cap(const BurstContext& b) {
  CheckResult r;
  r.name = "gauge_within_cap";
  if (skip_without_gauge(b, r, false)) return r;
  const int cap = b.options.cap;
  AdmittedTimeline admitted = b.admitted();
  std::vector<Point> points = window_points(b);
  int64_t max_gauge = INT64_MIN;
  for (const auto& p : points) max_gauge = std::max(max_gauge, p.value);

  struct Excursion {
    TimePoint start, end;
    int64_t peak;
  };
  std::vector<Excursion> excursions;
  for (size_t i = 0; i < points.size(); ++i) {
    if (points[i].value <= cap) continue;
    Excursion e{points[i].at, observed_end(b), points[i].value};
    size_t j = i + 1;
    for (; j < points.size() && points[j].value > cap; ++j)
      e.peak = std::max(e.peak, points[j].value);
    if (j < points.size()) e.end = points[j].at;
    e.end = std::max(e.end, e.start);
    excursions.push_back(e);
    i = j;
  }
  Nanos longest{0}, total{0};
  int64_t transient = 0;
  int64_t transient_peak = 0;
  for (const auto& e : excursions) {
    Nanos length = e.end - e.start;
    int live = admitted.max_in(e.start, e.end);
    bool within = live <= cap && length <= b.options.excursion_limit;
    longest = std::max(longest, length);
    total += length;
    if (within) {
      ++transient;
      transient_peak = std::max(transient_peak, e.peak);
      continue;
    }
    if (r.offense) continue;
    Offense o;
    o.at = e.start;
    o.burst = b.burst;
    o.what = fmt::format("gauge reached {} (cap {}) for {} while {} calls were admitted live",
                         e.peak, cap, human_duration(length), live);
    add_sids(o, admitted.over_cap_admissions(cap, b.window_start, e.end));
    r.offense = o;
  }
  r.set("max_gauge", max_gauge == INT64_MIN ? 0 : max_gauge);
  r.set("cap", cap);
  r.set("excursions", static_cast<int64_t>(excursions.size()), Fold::kSum);
  r.set("transient_excursions", transient, Fold::kSum);
  r.set("longest_excursion_us", to_us(longest));
  r.set("over_cap_us", to_us(total), Fold::kSum);
  if (transient > 0) {
    r.warnings.push_back(fmt::format(
        "the gauge went over the cap {} time(s), up to {} ({} over), for at most {} each while "
        "admissions stayed within the cap: a back-off that counts before it checks",
        transient, transient_peak, transient_peak - cap, human_duration(longest)));
  }
  if (points.empty()) {
    r.verdict = Verdict::kSkip;
    r.summary = "the gauge was not read during the burst";
    r.incomplete = true;
  } else if (skip_if_blind(b, r, b.window_start, b.window_end, "while the calls were live")) {
  } else if (r.offense) {
    r.verdict = Verdict::kFail;
    r.summary = fmt::format("gauge reached {} (cap {}), over the cap for {} ({})", max_gauge, cap,
                            human_duration(total), gauge_source(b));
  } else {
    r.verdict = Verdict::kPass;
    r.summary = fmt::format("gauge peaked at {} (cap {}, {})", max_gauge, cap, gauge_source(b));
  }
  return r;
}

CheckResult check_no_leak(const BurstContext& b) {
  CheckResult r;
  r.name = "no_leak";
  if (skip_without_gauge(b, r, true)) return r;
  std::optional<TimePoint> ended = last_end(b);
  if (!ended) {
    r.verdict = Verdict::kSkip;
    r.summary = "no call ended";
    return r;
  }
  const TimePoint until = observed_end(b);
  if (until < *ended) {
    r.verdict = Verdict::kSkip;
    r.incomplete = true;
    r.summary = "the gauge was not read after the last call ended";
    if (const GaugeTimeline::Blind* blind = b.gauge->blind_in(b.window_start, *ended)) {
      r.summary = describe_blind(b, *blind) + ": not seen after the last call ended";
    }
    return r;
  }
  const int64_t baseline = *b.baseline;
  const int64_t final_value = b.gauge->value_at(until).value_or(baseline);
  // The final stretch at the baseline starts after the last point with another value.
  TimePoint settled_at = *ended;
  const auto& points = b.gauge->points();
  auto [first, last] = b.gauge->range(b.window_start, until);
  for (size_t i = last; i > first; --i) {
    if (points[i - 1].value != baseline) {
      if (i < last) settled_at = std::max(settled_at, points[i].at);
      break;
    }
  }
  const Nanos took = settled_at - *ended;
  r.set("final_gauge", final_value);
  r.set("leaked", saturating_sub(final_value, baseline), Fold::kSum);
  r.set("settle_us", final_value == baseline ? to_us(took) : -1);
  r.set("settle_limit_us", to_us(b.options.settle));
  const Nanos waited = until - *ended;
  if (final_value == baseline && took <= b.options.settle) {
    if (skip_if_blind(b, r, *ended, until, "while the calls' slots were released")) return r;
    r.verdict = Verdict::kPass;
    r.summary = fmt::format("gauge back to baseline {} {} after the last call ended (--settle {})",
                            baseline, human_duration(took), human_duration(b.options.settle));
    return r;
  }
  r.verdict = Verdict::kFail;
  Offense o;
  o.burst = b.burst;
  o.at = final_value == baseline ? *ended + b.options.settle
                                 : std::min(until, *ended + b.options.settle);
  if (final_value == baseline) {
    r.summary = fmt::format(
        "gauge back to baseline {} only {} after the last call ended (--settle "
        "{})",
        baseline, human_duration(took), human_duration(b.options.settle));
    o.what = fmt::format("gauge still off its baseline --settle {} after the last call ended",
                         human_duration(b.options.settle));
  } else {
    const char* kind = final_value > baseline ? "leaked" : "over-released";
    r.summary = fmt::format("gauge at {} (baseline {}) {} after the last call ended: {} {} slot(s)",
                            final_value, baseline, human_duration(waited), kind,
                            saturating_abs(saturating_sub(final_value, baseline)));
    o.what = fmt::format("gauge {} instead of {} ({} slot(s) {})",
                         b.gauge->value_at(o.at).value_or(final_value), baseline,
                         saturating_abs(saturating_sub(final_value, baseline)), kind);
  }
  if (auto note = expiry_note(b, b.window_start, until)) {
    r.summary += ": " + *note;
    r.warnings.push_back(*note);
  }
  // Calls that ended abnormally are the likely culprits of a leak.
  std::vector<const CallRecord*> abnormal;
  for (const CallRecord* c : b.calls) {
    if (c->outcome != Outcome::kCompleted && c->outcome != Outcome::kRejected)
      abnormal.push_back(c);
  }
  add_sids(o, abnormal);
  r.offense = o;
  return r;
}

CheckResult check_never_negative(const BurstContext& b) {
  CheckResult r;
  r.name = "never_negative";
  if (skip_without_gauge(b, r, false)) return r;
  std::vector<Point> points = window_points(b);
  if (points.empty()) {
    r.verdict = Verdict::kSkip;
    r.summary = "the gauge was not read during the burst";
    r.incomplete = true;
    return r;
  }
  int64_t lo = points.front().value;
  for (const auto& p : points) {
    lo = std::min(lo, p.value);
    if (p.value < 0 && !r.offense) {
      Offense o;
      o.at = p.at;
      o.burst = b.burst;
      o.what = fmt::format("gauge read {}", p.value);
      r.offense = o;
    }
  }
  r.set("min_gauge", lo, Fold::kMin);
  r.verdict = r.offense ? Verdict::kFail : Verdict::kPass;
  r.summary = fmt::format("lowest gauge {} ({})", lo, gauge_source(b));
  skip_if_blind(b, r, b.window_start, b.window_end, "during the burst");
  return r;
}

}  // namespace callsim
