#include "verifier.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "verify/checks.h"
#include "verify/run_verdict.h"
#include "verify/safe_math.h"

namespace callsim {

const std::vector<std::string> kCheckNames = {
    "admitted_within_cap", "full_admission", "rejections_clean", "gauge_within_cap",
    "gauge_consistent",    "no_leak",        "never_negative",   "calls_completed"};

namespace {

constexpr size_t kMaxWarnings = 5;

using CheckFn = CheckResult (*)(const BurstContext&);
const std::vector<CheckFn> kChecks = {
    check_admitted_within_cap, check_full_admission, check_rejections_clean, check_gauge_within_cap,
    check_gauge_consistent,    check_no_leak,        check_never_negative,   check_calls_completed};

// A summary of the folded numbers, for runs of several bursts.
std::string total_summary(const CheckResult& r, size_t bursts) {
  auto v = [&](const char* name) { return r.value(name); };
  auto us = [&](const char* name) { return human_duration(std::chrono::microseconds(v(name))); };
  const std::string& n = r.name;
  if (n == "admitted_within_cap") {
    return fmt::format("at most {} calls admitted at once over {} bursts (cap {})",
                       v("max_admitted_live"), bursts, v("cap"));
  }
  if (n == "full_admission") {
    return fmt::format("{} of {} arrivals admitted, {} expected ({}..{} per burst)", v("admitted"),
                       v("arrived"), v("expected"), v("min_admitted"), v("max_admitted"));
  }
  if (n == "rejections_clean") {
    return fmt::format("{} calls turned away, {} rejected cleanly (slowest {})", v("turned_away"),
                       v("clean"), us("slowest_rejection_us"));
  }
  if (n == "gauge_within_cap") {
    return fmt::format("gauge peaked at {} (cap {}); {} excursion(s) over the cap", v("max_gauge"),
                       v("cap"), v("excursions"));
  }
  if (n == "gauge_consistent") {
    std::string out =
        fmt::format("gauge {}..{} during {} of steady calls ({} points)", v("min_gauge"),
                    v("max_gauge"), us("steady_us"), v("points_checked"));
    if (v("lag_samples") > 0)
      out += fmt::format(", gauge lags the calls by up to {}", us("gauge_lag_us"));
    return out;
  }
  if (n == "no_leak") {
    return fmt::format("slowest return to baseline {} (--settle {})", us("settle_us"),
                       us("settle_limit_us"));
  }
  if (n == "never_negative") return fmt::format("lowest gauge {}", v("min_gauge"));
  if (n == "calls_completed") {
    return fmt::format("{} of {} admitted calls cut short", v("cut_short"), v("admitted"));
  }
  return r.summary;
}

std::string describe_gauge(const GaugeTrace* trace, TimePoint origin) {
  if (!trace || trace->kind == GaugeKind::kNone) return "no gauge (--gauge none)";
  // A lost gauge leads the header: whatever follows describes only what was seen.
  std::string lost;
  for (const auto& loss : trace->losses) {
    lost +=
        fmt::format("{} lost at {} ({}){}; ", loss.what, format_offset(origin, loss.at), loss.how,
                    loss.back_at ? ", back at " + format_offset(origin, *loss.back_at) : "");
  }
  if (!lost.empty()) {
    return lost + fmt::format("{} sampled every {} ({} samples, {} errors)", trace->source,
                              human_duration(trace->interval), trace->samples.size(),
                              trace->sample_errors);
  }
  if (trace->monitored && trace->exact) {
    return fmt::format("exact MONITOR trace of {} ({} commands on the key, {} checkpoints)",
                       trace->source, trace->commands_on_key, trace->checkpoints);
  }
  return fmt::format("{} sampled every {} ({} samples): {}", trace->source,
                     human_duration(trace->interval), trace->samples.size(),
                     trace->not_exact_reason);
}

}  // namespace

bool Verification::failed() const {
  return std::any_of(total.begin(), total.end(),
                     [](const CheckResult& r) { return r.verdict == Verdict::kFail; });
}

const CheckResult* Verification::find(const std::string& name) const {
  for (const auto& r : total) {
    if (r.name == name) return &r;
  }
  return nullptr;
}

CheckResult fold_bursts(const std::vector<const CheckResult*>& per_burst,
                        const std::vector<int>& burst_numbers) {
  CheckResult out;
  if (per_burst.empty()) return out;
  out.name = per_burst.front()->name;
  if (per_burst.size() == 1) return *per_burst.front();
  int64_t failed = 0, passed = 0, unjudged = 0;
  const CheckResult* first_unjudged = nullptr;
  std::map<std::string, size_t> seen;  // metric name -> index in out.metrics
  size_t warnings = 0;
  for (size_t i = 0; i < per_burst.size(); ++i) {
    const CheckResult& r = *per_burst[i];
    if (r.verdict == Verdict::kFail) ++failed;
    if (r.verdict == Verdict::kPass) ++passed;
    if (r.verdict == Verdict::kSkip && r.incomplete) {
      if (!first_unjudged) {
        first_unjudged = &r;
        out.summary = fmt::format("burst {}: {}", burst_numbers[i] + 1, r.summary);
      }
      ++unjudged;
    }
    if (r.verdict == Verdict::kFail && !out.offense) {
      out.offense = r.offense;
      out.summary = fmt::format("burst {}: {}", burst_numbers[i] + 1, r.summary);
    }
    if (r.verdict != Verdict::kSkip) {
      for (const auto& m : r.metrics) {
        auto it = seen.find(m.name);
        if (it == seen.end()) {
          seen[m.name] = out.metrics.size();
          out.metrics.push_back(m);
          continue;
        }
        Metric& acc = out.metrics[it->second];
        switch (m.fold) {
          case Metric::Fold::kMax:
            acc.value = std::max(acc.value, m.value);
            break;
          case Metric::Fold::kMin:
            acc.value = std::min(acc.value, m.value);
            break;
          case Metric::Fold::kSum:
            acc.value = saturating_add(acc.value, m.value);
            break;
        }
      }
    }
    for (const auto& w : r.warnings) {
      if (warnings++ < kMaxWarnings) {
        out.warnings.push_back(fmt::format("burst {}: {}", burst_numbers[i] + 1, w));
      }
    }
  }
  if (warnings > kMaxWarnings) {
    out.warnings.push_back(fmt::format("... and {} more warnings", warnings - kMaxWarnings));
  }
  const int64_t bursts = static_cast<int64_t>(per_burst.size());
  out.set("bursts", bursts, Metric::Fold::kSum);
  out.set("bursts_failed", failed, Metric::Fold::kSum);
  out.set("bursts_passed", passed, Metric::Fold::kSum);
  if (failed > 0) {
    out.verdict = Verdict::kFail;
    out.summary = fmt::format("{} of {} bursts failed; first {}", failed, bursts, out.summary);
  } else if (unjudged > 0) {
    // Passing the bursts before the gauge went away is no pass for the run.
    out.verdict = Verdict::kSkip;
    out.incomplete = true;
    out.summary =
        fmt::format("{} of {} bursts could not be judged; first {}", unjudged, bursts, out.summary);
  } else if (passed > 0) {
    out.verdict = Verdict::kPass;
    out.summary = total_summary(out, per_burst.size());
    if (passed < bursts) out.summary += fmt::format(" ({} bursts skipped)", bursts - passed);
  } else {
    out.verdict = Verdict::kSkip;
    out.summary = per_burst.front()->summary;
  }
  return out;
}

namespace {

// "no call was decided (10 calls: 10 interrupted)": why a run without a single admission or
// rejection proves nothing about the cap.
std::optional<std::string> undecided_reason(const std::vector<CallRecord>* calls) {
  if (!calls || calls->empty()) return std::string("no call was placed");
  std::map<Outcome, size_t> undecided;
  for (const auto& c : *calls) {
    if (decision_time(c)) return std::nullopt;
    ++undecided[c.outcome];
  }
  std::string counts;
  for (const auto& [outcome, n] : undecided) {
    counts += fmt::format("{}{} {}", counts.empty() ? "" : ", ", n, to_string(outcome));
  }
  return fmt::format(
      "no call was decided ({} call{}: {}; none was admitted or turned away before the run "
      "ended)",
      calls->size(), calls->size() == 1 ? "" : "s", counts);
}

}  // namespace

void conclude(Verification& v, const std::vector<CallRecord>* calls) {
  v.incomplete.clear();
  if (auto reason = undecided_reason(calls)) v.incomplete.push_back(*reason);
  // One entry for all unjudged checks, with the first one's reason: they usually share it.
  std::string names;
  const CheckResult* first = nullptr;
  for (const auto& r : v.total) {
    if (r.verdict == Verdict::kSkip && r.incomplete) {
      names += (names.empty() ? "" : ", ") + r.name;
      if (!first) first = &r;
    }
  }
  if (first)
    v.incomplete.push_back(fmt::format("{} could not be judged: {}", names, first->summary));
  RunVerdictInput in;
  in.verification = &v;
  RunDecision d = decide_run_verdict(in);
  v.verdict = to_string(d.verdict);
  v.verdict_line = d.line();
}

Verification verify(const VerifyInput& input) {
  Verification v;
  v.cap = input.options.cap;

  std::map<int, std::vector<const CallRecord*>> by_burst;
  if (input.calls) {
    for (const auto& c : *input.calls) by_burst[c.burst].push_back(&c);
  }
  std::optional<GaugeTimeline> gauge;
  if (input.trace && input.trace->kind != GaugeKind::kNone) {
    gauge = GaugeTimeline::from_trace(*input.trace);
  }
  v.origin = input.origin;
  if (v.origin == TimePoint{} && input.calls && !input.calls->empty()) {
    v.origin = start_time(input.calls->front());
    for (const auto& c : *input.calls) v.origin = std::min(v.origin, start_time(c));
  }
  v.gauge = describe_gauge(input.trace, v.origin);

  std::vector<std::pair<int, TimePoint>> starts;
  for (const auto& [burst, calls] : by_burst) {
    TimePoint first = start_time(*calls.front());
    for (const CallRecord* c : calls) first = std::min(first, start_time(*c));
    starts.emplace_back(burst, first);
  }
  if (by_burst.empty()) by_burst[0] = {};  // a run with no calls still reports its checks
  if (starts.empty()) starts.emplace_back(0, TimePoint::min());

  for (size_t i = 0; i < starts.size(); ++i) {
    BurstContext ctx;
    ctx.burst = starts[i].first;
    ctx.calls = by_burst[ctx.burst];
    ctx.window_start = i == 0 ? TimePoint::min() : starts[i].second;
    ctx.window_end = i + 1 < starts.size() ? starts[i + 1].second : TimePoint::max();
    ctx.gauge = gauge ? &*gauge : nullptr;
    ctx.baseline = input.baseline;
    ctx.options = input.options;
    ctx.trace = input.trace;
    ctx.origin = v.origin;
    BurstVerdicts bv;
    bv.burst = ctx.burst;
    bv.window_start = ctx.window_start;
    bv.window_end = ctx.window_end;
    for (CheckFn check : kChecks) bv.checks.push_back(check(ctx));
    v.bursts.push_back(std::move(bv));
  }
  std::vector<int> numbers;
  for (const auto& b : v.bursts) numbers.push_back(b.burst);
  for (size_t c = 0; c < kChecks.size(); ++c) {
    std::vector<const CheckResult*> per_burst;
    for (const auto& b : v.bursts) per_burst.push_back(&b.checks[c]);
    v.total.push_back(fold_bursts(per_burst, numbers));
  }
  conclude(v, input.calls);
  return v;
}

}  // namespace callsim
