// The checks that compare the server's gauge with the calls.
#include <algorithm>

#include <fmt/format.h>

#include "verify/checks.h"
#include "verify/safe_math.h"

namespace callsim {

namespace {

using Fold = Metric::Fold;
using Point = GaugeTimeline::Point;

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

TimePoint observed_end(const BurstContext& b) {
  return std::min(b.window_end, b.gauge->observed_until());
}

std::string gauge_source(const BurstContext& b) {
  return b.gauge->exact() ? "exact trace" : "samples";
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

std::optional<TimePoint> last_end(const BurstContext& b) {
  std::optional<TimePoint> last;
  for (const CallRecord* c : b.calls) {
    if (c->ended != TimePoint{}) last = last ? std::max(*last, c->ended) : c->ended;
  }
  return last;
}

}  // namespace

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
