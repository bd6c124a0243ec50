// The checks that need only the calls, as the caller saw them.
#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "verify/checks.h"
#include "verify/safe_math.h"

namespace callsim {

namespace {

using Fold = Metric::Fold;

}  // namespace

CheckResult check_admitted_within_cap(const BurstContext& b) {
  CheckResult r;
  r.name = "admitted_within_cap";
  const int cap = b.options.cap;
  AdmittedTimeline timeline = b.admitted();
  int admitted = 0;
  int live = 0;
  int max_live = 0;
  Nanos over{0};
  TimePoint over_since{};
  std::vector<const CallRecord*> live_calls;  // in admission order
  for (const auto& s : timeline.steps()) {
    if (s.delta > 0) {
      ++admitted;
      live_calls.push_back(s.call);
    } else {
      auto it = std::find(live_calls.begin(), live_calls.end(), s.call);
      if (it != live_calls.end()) live_calls.erase(it);
    }
    int before = live;
    live += s.delta;
    max_live = std::max(max_live, live);
    if (before <= cap && live > cap) over_since = s.at;
    if (before > cap && live <= cap) over += s.at - over_since;
    if (live > cap && !r.offense) {
      Offense o;
      o.at = s.at;
      o.burst = b.burst;
      o.what = fmt::format("{} calls admitted at once (cap {}) when {} was admitted", live, cap,
                           s.call->ids.call_sid);
      std::vector<const CallRecord*> involved = {s.call};
      for (auto it = live_calls.rbegin(); it != live_calls.rend(); ++it) {
        if (*it != s.call) involved.push_back(*it);
      }
      add_sids(o, involved);
      r.offense = o;
    }
  }
  if (live > cap && !timeline.steps().empty()) {
    TimePoint end = b.window_end == TimePoint::max() ? timeline.steps().back().at : b.window_end;
    over += std::max(Nanos(0), end - over_since);
  }
  r.set("max_admitted_live", max_live);
  r.set("cap", cap);
  r.set("admitted", admitted, Fold::kSum);
  r.set("over_cap_us", to_us(over), Fold::kSum);
  if (b.calls.empty()) {
    r.verdict = Verdict::kSkip;
    r.summary = "no calls";
  } else if (r.offense) {
    r.verdict = Verdict::kFail;
    r.summary = fmt::format("{} calls admitted at once (cap {}), over the cap for {}", max_live,
                            cap, human_duration(over));
  } else {
    r.verdict = Verdict::kPass;
    r.summary = fmt::format("at most {} calls admitted at once (cap {})", max_live, cap);
  }
  return r;
}

CheckResult check_full_admission(const BurstContext& b) {
  CheckResult r;
  r.name = "full_admission";
  struct Decided {
    TimePoint at;
    const CallRecord* call;
  };
  std::vector<Decided> decided;
  std::optional<TimePoint> first_release;
  for (const CallRecord* c : b.calls) {
    if (auto at = decision_time(*c)) decided.push_back({*at, c});
    if (c->admitted() && c->released_at() != TimePoint{}) {
      first_release = first_release ? std::min(*first_release, c->released_at()) : c->released_at();
    }
  }
  std::sort(decided.begin(), decided.end(), [](const Decided& x, const Decided& y) {
    return x.at != y.at ? x.at < y.at : x.call->index < y.call->index;
  });
  std::vector<Decided> together;
  for (const auto& d : decided) {
    if (!first_release || (d.at < *first_release && start_time(*d.call) < *first_release)) {
      together.push_back(d);
    }
  }
  const int64_t baseline = b.baseline.value_or(0);
  // A server already holding calls when the burst began has fewer slots than the baseline says.
  std::optional<int64_t> gauge_at_start;
  if (b.gauge && b.baseline && !b.calls.empty()) {
    TimePoint first_start = start_time(*b.calls.front());
    for (const CallRecord* c : b.calls) first_start = std::min(first_start, start_time(*c));
    auto at_start = b.gauge->value_at(first_start);
    if (at_start && *at_start != *b.baseline) gauge_at_start = *at_start;
  }
  const int64_t live_before = gauge_at_start.value_or(baseline);
  const int64_t free_slots = std::max<int64_t>(0, saturating_sub(b.options.cap, live_before));
  const int64_t arrived = static_cast<int64_t>(together.size());
  const int64_t expected = std::min(arrived, free_slots);
  const int64_t admitted = std::count_if(together.begin(), together.end(),
                                         [](const Decided& d) { return d.call->admitted(); });
  r.set("arrived", arrived, Fold::kSum);
  r.set("admitted", admitted, Fold::kSum);
  r.set("expected", expected, Fold::kSum);
  r.set("min_admitted", admitted, Fold::kMin);
  r.set("max_admitted", admitted, Fold::kMax);
  r.set("free_slots", free_slots);
  r.set("later_arrivals", static_cast<int64_t>(decided.size()) - arrived, Fold::kSum);
  if (!b.baseline) r.warnings.push_back("no gauge baseline: assumed 0 calls already live");
  if (gauge_at_start) {
    r.warnings.push_back(fmt::format(
        "the gauge read {} when the burst started (baseline {}): the server was not idle",
        *gauge_at_start, *b.baseline));
  }
  if (arrived == 0) {
    r.verdict = Verdict::kSkip;
    r.summary = "no call was decided before the first one ended";
    return r;
  }
  std::string counts =
      fmt::format("{} of {} arrivals admitted with {} slots free (cap {} - {} live {})", admitted,
                  arrived, free_slots, b.options.cap, live_before,
                  gauge_at_start ? "when the burst started, by the gauge" : "before the run");
  if (admitted == expected) {
    r.verdict = Verdict::kPass;
    r.summary = counts;
    return r;
  }
  r.verdict = Verdict::kFail;
  Offense o;
  o.burst = b.burst;
  std::vector<const CallRecord*> involved;
  if (admitted < expected) {
    r.summary = counts + fmt::format(": {} false rejections", expected - admitted);
    int64_t so_far = 0;
    for (const auto& d : together) {
      if (d.call->admitted()) {
        ++so_far;
      } else if (so_far < expected) {
        if (involved.empty()) {
          o.at = d.at;
          o.what = fmt::format("{} turned away while only {} of {} free slots were taken",
                               d.call->ids.call_sid, so_far, free_slots);
        }
        involved.push_back(d.call);
      }
    }
  } else {
    r.summary = counts + fmt::format(": {} admitted beyond the free slots", admitted - expected);
    int64_t so_far = 0;
    for (const auto& d : together) {
      if (!d.call->admitted() || ++so_far <= expected) continue;
      if (involved.empty()) {
        o.at = d.at;
        o.what = fmt::format("{} admitted although all {} free slots were taken",
                             d.call->ids.call_sid, free_slots);
      }
      involved.push_back(d.call);
    }
  }
  add_sids(o, involved);
  r.offense = o;
  return r;
}

CheckResult check_rejections_clean(const BurstContext& b) {
  CheckResult r;
  r.name = "rejections_clean";
  int64_t turned_away = 0, clean = 0, late = 0, slowest_us = 0;
  std::map<std::string, int64_t> unclean_by_outcome;
  std::map<RejectKind, int64_t> by_kind;
  struct Bad {
    TimePoint at;
    const CallRecord* call;
    std::string why;
  };
  std::vector<Bad> bad;
  for (const CallRecord* c : b.calls) {
    if (c->admitted() || c->outcome == Outcome::kPending || c->outcome == Outcome::kInterrupted) {
      continue;
    }
    ++turned_away;
    TimePoint start = start_time(*c);
    bool ended = c->ended != TimePoint{};
    Nanos took = ended ? c->ended - start : Nanos::max();
    if (ended) slowest_us = std::max(slowest_us, to_us(took));
    if (c->reject_kind == RejectKind::kNone) {
      ++unclean_by_outcome[to_string(c->outcome)];
      bad.push_back(
          {ended ? c->ended : start, c,
           fmt::format("{} ended {} without a rejection", c->ids.call_sid, to_string(c->outcome))});
    } else if (!ended || took > b.options.reject_timeout) {
      ++late;
      bad.push_back({ended ? c->ended : start, c,
                     fmt::format("{} rejected ({}) only after {}", c->ids.call_sid,
                                 to_string(c->reject_kind), human_duration(took))});
    } else {
      ++clean;
      ++by_kind[c->reject_kind];
    }
  }
  int64_t unclean = 0;
  for (const auto& [outcome, n] : unclean_by_outcome) unclean += n;
  r.set("turned_away", turned_away, Fold::kSum);
  r.set("clean", clean, Fold::kSum);
  r.set("unclean", unclean, Fold::kSum);
  r.set("late", late, Fold::kSum);
  r.set("slowest_rejection_us", slowest_us);
  for (auto kind : {RejectKind::kHttpStatus, RejectKind::kClosedBeforeStart,
                    RejectKind::kClosedAfterStart, RejectKind::kTwiml}) {
    r.set(std::string("rejected_") + to_string(kind), by_kind[kind], Fold::kSum);
  }
  if (turned_away == 0) {
    r.verdict = Verdict::kSkip;
    r.summary = "no call was turned away";
    return r;
  }
  if (bad.empty()) {
    r.verdict = Verdict::kPass;
    r.summary = fmt::format("{} calls turned away, all rejected explicitly within {} (slowest {})",
                            turned_away, human_duration(b.options.reject_timeout),
                            human_duration(std::chrono::microseconds(slowest_us)));
    return r;
  }
  std::sort(bad.begin(), bad.end(), [](const Bad& x, const Bad& y) { return x.at < y.at; });
  std::string breakdown;
  for (const auto& [outcome, n] : unclean_by_outcome) {
    breakdown += fmt::format("{}{} {}", breakdown.empty() ? "" : ", ", n, outcome);
  }
  if (late) {
    breakdown += fmt::format("{}{} slower than --reject-timeout {}", breakdown.empty() ? "" : ", ",
                             late, human_duration(b.options.reject_timeout));
  }
  r.verdict = Verdict::kFail;
  r.summary = fmt::format("{} of {} calls turned away without a clean rejection: {}", bad.size(),
                          turned_away, breakdown);
  Offense o;
  o.at = bad.front().at;
  o.burst = b.burst;
  o.what = bad.front().why;
  std::vector<const CallRecord*> involved;
  for (const auto& x : bad) involved.push_back(x.call);
  add_sids(o, involved);
  r.offense = o;
  return r;
}

}  // namespace callsim

namespace callsim {

CheckResult check_calls_completed(const BurstContext& b) {
  CheckResult r;
  r.name = "calls_completed";
  std::map<Outcome, int64_t> failed_by_outcome;
  std::vector<const CallRecord*> failed;
  int64_t admitted = 0;
  for (const CallRecord* c : b.calls) {
    // Our own --drop-ratio/--no-stop-ratio drops and interrupted calls are not the server's doing.
    const bool served = c->upgraded != TimePoint{} && c->reject_kind == RejectKind::kNone;
    if (!served) continue;
    ++admitted;
    if (c->outcome == Outcome::kClosedEarly || c->outcome == Outcome::kProtocolError ||
        c->outcome == Outcome::kStoppedReading) {
      ++failed_by_outcome[c->outcome];
      failed.push_back(c);
    }
  }
  r.set("admitted", admitted, Fold::kSum);
  r.set("cut_short", static_cast<int64_t>(failed.size()), Fold::kSum);
  if (admitted == 0) {
    r.verdict = Verdict::kSkip;
    r.summary = "no call was admitted";
    return r;
  }
  if (failed.empty()) {
    r.verdict = Verdict::kPass;
    r.summary = fmt::format("all {} admitted calls ran to their planned end", admitted);
    return r;
  }
  std::string outcomes;
  for (const auto& [outcome, n] : failed_by_outcome) {
    outcomes += fmt::format("{}{} {}", outcomes.empty() ? "" : ", ", to_string(outcome), n);
  }
  r.verdict = Verdict::kFail;
  r.summary = fmt::format("{} of {} admitted calls did not run to their planned end: {}",
                          failed.size(), admitted, outcomes);
  Offense o;
  o.burst = b.burst;
  o.at = failed.front()->ended;
  const CallRecord* first = failed.front();
  o.what = fmt::format("{} ended {}{}", first->ids.call_sid, to_string(first->outcome),
                       first->error.empty() ? "" : " (" + first->error + ")");
  add_sids(o, failed);
  r.offense = o;
  return r;
}

}  // namespace callsim
