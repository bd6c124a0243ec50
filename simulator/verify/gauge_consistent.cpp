// gauge_consistent: the gauge equals the live calls wherever the calls held still, after a lag
// measured from the trace and bounded by --gauge-lag.
#include <algorithm>

#include <fmt/format.h>

#include "verify/checks.h"
#include "verify/gauge_check_support.h"
#include "verify/safe_math.h"

namespace callsim {

using Fold = Metric::Fold;
using Point = GaugeTimeline::Point;

namespace {

// A moment the admitted-live count changed (or a rejection was decided, when a back-off may
// touch the gauge), with the live count from then on.
struct Change {
  TimePoint at{};
  int live = 0;
  int direction = 0;  // +1 admitted, -1 ended, 0 only a rejection
  // The first moment the server may have acted on it: a call a start-time server confirmed only
  // by --reject-window (it stayed silent) may have been counted at its upgrade, and a rejection
  // may have touched the gauge from the call's upgrade (or connect) on.
  TimePoint earliest{};
};

TimePoint earliest_action(const CallRecord& c, TimePoint at) {
  const TimePoint from = c.upgraded != TimePoint{} ? c.upgraded : start_time(c);
  return std::min(from, at);
}

std::vector<Change> live_changes(const BurstContext& b, const AdmittedTimeline& admitted) {
  std::vector<std::pair<TimePoint, TimePoint>> times;  // (at, earliest)
  for (const auto& s : admitted.steps()) {
    times.emplace_back(s.at, s.delta > 0 && s.call ? earliest_action(*s.call, s.at) : s.at);
  }
  for (const CallRecord* c : b.calls) {
    if (c->admitted()) continue;
    if (auto d = decision_time(*c)) times.emplace_back(*d, earliest_action(*c, *d));
  }
  std::sort(times.begin(), times.end());
  std::vector<Change> out;
  int before = admitted.live_at(b.window_start);
  for (const auto& [t, earliest] : times) {
    if (t < b.window_start || t >= b.window_end) continue;
    if (!out.empty() && out.back().at == t) {
      out.back().earliest = std::min(out.back().earliest, earliest);
      continue;
    }
    const int live = admitted.live_at(t);
    out.push_back({t, live, live > before ? 1 : live < before ? -1 : 0, earliest});
    before = live;
  }
  return out;
}

struct Lag {
  std::vector<Nanos> delays;  // one per gauge step matched to the live change it follows
  std::vector<Nanos> leads;   // one per gauge step that came before the change it belongs to
  Nanos p95{0}, max{0};
  Nanos lead{0}, lead_p95{0};  // a correct server counts before its 101 or first message lands
};

Nanos p95_of(std::vector<Nanos> values) {
  if (values.empty()) return Nanos{0};
  std::sort(values.begin(), values.end());
  return values[std::min(values.size() - 1, (values.size() * 95 + 99) / 100 - 1)];
}

// What is uncertain about one change of the live count: from the first moment the gauge may
// show it to the last. It starts as the caller's own view (the call's upgrade for an admission
// only --reject-window confirmed, or a rejection's whole decision) and grows to take in the
// gauge step that belongs to it.
struct Span {
  TimePoint start{}, end{};
  bool matched = false;
};

// Matches each gauge step in `direction` to the live change in that direction that led to the
// gauge's new value (expected = baseline + live) nearest to it: at most steady_grace after it
// (a lead) and at most twice the --gauge-lag bound (admissions) or --settle (releases) before
// it. Admissions and releases are measured apart: a leak or a double release adds or
// removes only down steps, so a down step can match a much older release and look like a long
// lag. A step within `accepted` of its change joins that change's span; one beyond it is left
// to be judged (and the lag reported beyond the bound).
Lag measure_lag(const BurstContext& b, const std::vector<Change>& changes, int direction,
                Nanos accepted, std::vector<Span>& spans) {
  Lag lag;
  const Nanos lead_reach = b.options.steady_grace;
  // An admission's lag is looked for up to twice its bound, so that a lag beyond it is
  // measured; a release's only up to --settle, beyond which it is no_leak's leak.
  const Nanos reach = (direction > 0 ? 2 * accepted : accepted) + lead_reach;
  std::vector<Point> points = window_points(b);
  for (size_t i = 1; i < points.size(); ++i) {
    const int64_t from = points[i - 1].value, to = points[i].value;
    if (from == to || (to > from ? 1 : -1) != direction) continue;
    const TimePoint at = points[i].at;
    std::optional<size_t> after, before;  // the nearest change after the step and before it
    std::optional<size_t> nearest;        // in this direction, whatever its value
    Nanos nearest_distance = Nanos::max();
    for (size_t j = changes.size(); j > 0; --j) {
      const Change& c = changes[j - 1];
      if (c.at > at + lead_reach) continue;
      if (at - c.at > reach) break;
      if (c.direction == direction && at - c.at <= accepted) {
        const Nanos distance = c.at > at ? c.at - at : at - c.at;
        if (distance < nearest_distance) {
          nearest = j - 1;
          nearest_distance = distance;
        }
      }
      if (c.direction != direction || saturating_add(*b.baseline, c.live) != to) continue;
      if (c.at > at) {
        after = j - 1;
        continue;
      }
      before = j - 1;
      break;
    }
    std::optional<size_t> match;
    if (after && (!before || changes[*after].at - at < at - changes[*before].at)) {
      match = after;
      lag.leads.push_back(changes[*after].at - at);
      lag.lead = std::max(lag.lead, lag.leads.back());
      lag.delays.push_back(Nanos{0});
    } else if (before) {
      match = before;
      lag.delays.push_back(at - changes[*before].at);
    }
    // A step no change explains by its value still belongs to the nearest one: the server saw
    // concurrent calls in another order than the caller (an admission before a release that
    // the caller saw after it), and the gauge passes through values the caller's count never
    // had. Only its quiet stretches are evidence; a wrong value there still fails.
    if (!(match && at - changes[*match].at <= accepted)) match = nearest;
    if (match) {
      Span& span = spans[*match];
      span.start = std::min(span.start, at);
      span.end = std::max(span.end, at);
      span.matched = true;
    }
  }
  if (!lag.delays.empty()) {
    lag.max = *std::max_element(lag.delays.begin(), lag.delays.end());
    lag.p95 = p95_of(lag.delays);
  }
  lag.lead_p95 = p95_of(lag.leads);
  return lag;
}

// How far apart callsim's moments and the gauge's may be around t although both are right. An
// exact trace's events are placed between the checkpoints around them, each off by at most its
// half round trip (one slow checkpoint blurs only its neighbourhood); a sample may be a whole
// sampling period old, plus its own half round trip.
class TimingUncertainty {
 public:
  explicit TimingUncertainty(const BurstContext& b) : b_(b) {
    if (!b.trace) {
      fixed_ = b.options.steady_grace;
    } else if (!b.gauge->exact()) {
      Nanos half_round_trip{0};
      for (const auto& s : b.trace->samples)
        half_round_trip = std::max(half_round_trip, s.round_trip / 2);
      fixed_ = b.trace->interval + half_round_trip;
    }
  }
  Nanos at(TimePoint t) const {
    if (fixed_ || b_.trace->samples.empty()) return fixed_.value_or(b_.trace->clock_uncertainty);
    const auto& samples = b_.trace->samples;
    auto it = std::lower_bound(samples.begin(), samples.end(), t,
                               [](const GaugeSample& s, TimePoint v) { return s.at < v; });
    const size_t k = static_cast<size_t>(it - samples.begin());
    Nanos out{0};
    for (size_t i = k >= 2 ? k - 2 : 0; i < std::min(samples.size(), k + 2); ++i)
      out = std::max(out, samples[i].round_trip / 2);
    return std::min(out,
                    b_.trace->clock_uncertainty > Nanos{0} ? b_.trace->clock_uncertainty : out);
  }
  // The most it is anywhere in the run.
  Nanos most() const { return fixed_.value_or(b_.trace->clock_uncertainty); }

 private:
  const BurstContext& b_;
  std::optional<Nanos> fixed_;
};

}  // namespace

// Judges every interval in which the admitted-live count held still for longer than what is
// really uncertain. Each change's span runs from the first moment the gauge may show it to the
// gauge step that belongs to it (its measured lag or lead, accepted up to --gauge-lag for
// admissions and --settle for releases); an admission no step answers is given the p95 lag after
// it, a release --settle, and both the p95 lead before them. An interval runs from the end of every
// earlier span to the start of every later one, less the timing uncertainty on both sides (the
// trace's clock mapping, or a sampling period), and its gauge must equal baseline + live.
CheckResult check_gauge_consistent(const BurstContext& b) {
  CheckResult r;
  r.name = "gauge_consistent";
  if (skip_without_gauge(b, r, true)) return r;
  const AdmittedTimeline admitted = b.admitted();
  const std::vector<Change> changes = live_changes(b, admitted);
  if (changes.empty()) {
    r.verdict = Verdict::kSkip;
    r.summary = "no call was decided";
    return r;
  }
  // --gauge-lag bounds how late the gauge counts an admission; how late it counts a release
  // is bounded by --settle (a correct server may free slots seconds after stop: no_leak's rule).
  const Nanos bound = b.options.gauge_lag;
  std::vector<Span> spans;
  for (const Change& c : changes) spans.push_back({c.earliest, c.at, c.direction == 0});
  const Lag up = measure_lag(b, changes, +1, bound, spans);
  const Lag down = measure_lag(b, changes, -1, b.options.settle, spans);
  const Lag& lag = up.delays.empty() ? down : up;
  const TimingUncertainty uncertainty(b);
  const Nanos lead = std::max(up.lead, down.lead);
  const Nanos judged_up = std::min(up.p95, bound);
  for (size_t i = 0; i < changes.size(); ++i) {
    if (spans[i].matched) continue;
    const bool release = changes[i].direction < 0;
    spans[i].start = std::min(spans[i].start, changes[i].at - (release ? down : up).lead_p95);
    // A release no step answered may still come within --settle: whether it did is no_leak's
    // business, not an inconsistency.
    spans[i].end = changes[i].at + (release ? b.options.settle : judged_up);
  }
  const TimePoint seen_until = std::min(b.window_end, b.gauge->observed_until());
  r.set("gauge_lag_us", to_us(lag.p95));
  r.set("gauge_lag_max_us", to_us(lag.max));
  r.set("gauge_lag_limit_us", to_us(bound));
  r.set("lag_samples", static_cast<int64_t>(lag.delays.size()), Fold::kSum);
  r.set("gauge_lead_us", to_us(lead));
  r.set("timing_uncertainty_us", to_us(uncertainty.most()));

  int64_t intervals = 0, points_checked = 0;
  Nanos judged{0};
  int64_t lo = INT64_MAX, hi = INT64_MIN;
  int last_live = 0;
  int64_t last_expected = 0;
  const GaugeTimeline::Blind* blind = nullptr;
  bool unseen = false;
  // The first moment any later change may show in the gauge, and the last any earlier one may.
  std::vector<TimePoint> next_move(changes.size(), TimePoint::max());
  TimePoint running = TimePoint::max();
  for (size_t i = changes.size(); i-- > 0;) {
    next_move[i] = running;
    running = std::min(running, spans[i].start);
  }
  // A gauge above the live calls by no more than the releases of the last --settle is a release
  // still on its way (a status callback queued behind others, a delayed cleanup): whether it
  // comes is no_leak's business. Every call's end counts, also one that ended the moment it was
  // admitted (a stream never opened) and so never moved the caller's count.
  std::vector<TimePoint> releases;
  for (const auto& s : admitted.steps()) {
    if (s.delta < 0) releases.push_back(s.at);
  }
  std::sort(releases.begin(), releases.end());
  auto release_pending = [&](const Point& p, int64_t expected) {
    if (p.value <= expected) return false;
    auto first = std::lower_bound(releases.begin(), releases.end(), p.at - b.options.settle);
    auto last = std::upper_bound(releases.begin(), releases.end(), p.at);
    return saturating_sub(p.value, expected) <= static_cast<int64_t>(last - first);
  };
  TimePoint settled = TimePoint::min();
  for (size_t i = 0; i < changes.size(); ++i) {
    const int live = changes[i].live;
    // After the last change only calls that never ended are still steady; the release of the
    // last calls is no_leak's business.
    if (i + 1 == changes.size() && live == 0) break;
    settled = std::max(settled, spans[i].end);
    const TimePoint from = settled + uncertainty.at(settled);
    TimePoint to =
        i + 1 < changes.size() ? next_move[i] - uncertainty.at(next_move[i]) : seen_until;
    if (i + 1 < changes.size() && to > seen_until) {
      if (from < to) unseen = true;
      to = seen_until;
    }
    if (to <= from) continue;
    // Points read while the gauge was partly lost are still evidence against the server, but
    // the interval cannot vouch for it: the value carried over the gap is not an observation.
    const GaugeTimeline::Blind* interval_blind = b.gauge->blind_in(from, to);
    if (interval_blind && !blind) blind = interval_blind;
    const int64_t expected = saturating_add(*b.baseline, live);
    std::vector<Point> checked;
    if (auto v = b.gauge->value_at(from); v && !interval_blind) checked.push_back({from, *v});
    auto [first, last] = b.gauge->range(from, to);
    // A step exactly at `to` already belongs to the next change.
    for (size_t k = first; k < last; ++k) {
      if (b.gauge->points()[k].at < to) checked.push_back(b.gauge->points()[k]);
    }
    if (checked.empty()) continue;
    if (!interval_blind) {
      ++intervals;
      judged += to - from;
    }
    points_checked += static_cast<int64_t>(checked.size());
    last_live = live;
    last_expected = expected;
    for (const auto& p : checked) {
      lo = std::min(lo, p.value);
      hi = std::max(hi, p.value);
      if (p.value != expected && !r.offense && !release_pending(p, expected)) {
        Offense o;
        o.at = p.at;
        o.burst = b.burst;
        o.what = fmt::format(
            "gauge read {} while {} calls were admitted live (baseline {}: expected {})", p.value,
            live, *b.baseline, expected);
        r.offense = o;
        last_live = live;
        last_expected = expected;
      }
    }
  }
  r.set("intervals_judged", intervals, Fold::kSum);
  r.set("steady_us", to_us(judged), Fold::kSum);
  r.set("points_checked", points_checked, Fold::kSum);
  if (intervals > 0) {
    r.set("expected", last_expected);
    r.set("admitted_live", last_live);
    r.set("min_gauge", lo, Fold::kMin);
    r.set("max_gauge", hi);
  }
  const std::string lag_note =
      lag.delays.empty() ? std::string()
                         : fmt::format(", gauge lags the calls by {}", human_duration(lag.p95));
  if (lag.p95 > bound) {
    r.verdict = Verdict::kFail;
    r.summary = fmt::format("the gauge lagged {} behind the calls (--gauge-lag {})",
                            human_duration(lag.p95), human_duration(bound));
    if (!r.offense) {
      Offense o;
      o.burst = b.burst;
      o.at = changes.front().at;
      o.what = r.summary;
      r.offense = o;
    }
    if (intervals > 0 && lo != hi) {
      r.summary += fmt::format("; gauge {}..{} in {} steady interval(s)", lo, hi, intervals);
    }
    return r;
  }
  if (r.offense) {
    r.verdict = Verdict::kFail;
    r.summary = fmt::format(
        "gauge {}..{} while {} calls were live and steady (expected {} = "
        "baseline {} + {}; {} interval(s), {} judged{})",
        lo, hi, last_live, last_expected, *b.baseline, last_live, intervals, human_duration(judged),
        lag_note);
    if (auto hint = untouched_key_hint(b, admitted.max_in(b.window_start, seen_until))) {
      r.summary += ": " + *hint;
      r.warnings.push_back(*hint);
    }
    if (auto note = expiry_note(b, b.window_start, seen_until)) {
      r.summary += ": " + *note;
      r.warnings.push_back(*note);
    }
    return r;
  }
  if (blind) {
    r.verdict = Verdict::kSkip;
    r.incomplete = true;
    r.summary = describe_blind(b, *blind) + ": not seen while the calls were steady";
    return r;
  }
  if (unseen) {
    r.verdict = Verdict::kSkip;
    r.incomplete = true;
    r.summary =
        fmt::format("the gauge was last seen at {}, while calls were still steady: not judged",
                    format_offset(b.origin, b.gauge->observed_until()));
    return r;
  }
  if (intervals == 0) {
    r.verdict = Verdict::kSkip;
    r.incomplete = true;
    r.summary = fmt::format(
        "no steady period: the admitted calls never held still between the gauge's steps (lag "
        "up to {}, lead up to {}) for longer than twice the timing uncertainty {}{}",
        human_duration(std::max(up.max, down.max)), human_duration(lead),
        human_duration(uncertainty.most()), lag_note);
    return r;
  }
  r.verdict = Verdict::kPass;
  r.summary = fmt::format(
      "gauge = baseline + live calls in {} steady interval(s) over {}, last {} = baseline {} + {} "
      "({} {}){}",
      intervals, human_duration(judged), last_expected, *b.baseline, last_live, points_checked,
      b.gauge->exact() ? "traced values" : "samples", lag_note);
  return r;
}

}  // namespace callsim
