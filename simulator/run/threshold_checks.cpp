#include "threshold_checks.h"

#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "run/audio_report.h"

namespace callsim {
namespace {

constexpr double kNever = std::numeric_limits<double>::infinity();

// A latency metric's samples: the histogram, and how many of the population never happened.
struct LatencySamples {
  const LatencyHistogram* histogram = nullptr;
  uint64_t never = 0;
  const char* noun = "";        // what one sample is: "turns", "frames", ...
  const char* never_noun = "";  // what a never is: "unanswered", "never greeted"
  bool heard = false;           // measured on what the caller heard (needs a conversation)
};

// A counted metric: part of whole.
struct Counted {
  double part = 0;  // a count, or nanoseconds for dead_air
  double whole = 0;
  uint64_t count = 0;
  const char* noun = "";
  bool heard = false;
};

LatencySamples latency_samples(const std::string& metric, const RunStats& s, const AudioTotals& t) {
  const AudioHistograms& a = s.audio;
  if (metric == "reply_latency") {
    return {&a.reply_latency, t.no_reply_turns, "turns", "unanswered", true};
  }
  if (metric == "ttfa") {
    return {&a.time_to_first_audio, t.admitted_streamed_calls - t.admitted_greeted_calls,
            "admitted calls", "never greeted", true};
  }
  if (metric == "setup") return {&s.handshake, 0, "upgrades", "", false};
  if (metric == "first_message") return {&s.first_message, 0, "calls answered", "", false};
  if (metric == "lateness") return {&s.lateness, 0, "frames", "", false};
  if (metric == "dead_air") return {&a.dead_air, 0, "gaps", "", true};
  if (metric == "clear_latency") return {&a.clear_latency, 0, "cleared barge-ins", "", true};
  if (metric == "talk_over") return {&a.talk_over, 0, "barge-ins", "", true};
  return {&a.mark_round_trip, 0, "marks", "", true};
}

Counted counted(const std::string& metric, const RunStats& s, const AudioTotals& t) {
  if (metric == "no_reply_turns") {
    return {double(t.no_reply_turns), double(t.turns), t.no_reply_turns, "turns", true};
  }
  if (metric == "dead_air") {
    return {double(t.dead_air_total.count()), double(t.bot_speech_total.count()), t.dead_air_count,
            "of the bot's speech time", true};
  }
  if (metric == "ungreeted_calls") {
    const uint64_t never = t.admitted_streamed_calls - t.admitted_greeted_calls;
    return {double(never), double(t.admitted_streamed_calls), never, "admitted calls", true};
  }
  if (metric == "uncleared_barge_ins") {
    const uint64_t uncleared = t.barge_ins - t.barge_ins_cleared;
    return {double(uncleared), double(t.barge_ins), uncleared, "barge-ins", true};
  }
  uint64_t part = 0;
  for (const CallRecord& c : s.calls) {
    part +=
        metric == "failed_calls" ? is_failed_outcome(c.outcome) : c.outcome == Outcome::kRejected;
  }
  return {double(part), double(s.calls.size()), part, "calls", false};
}

std::string ms_text(double nanos) {
  if (std::isinf(nanos)) return "never";
  return fmt::format("{:.1f}ms", nanos / 1e6);
}

// The statistic over the histogram's values and `never` more that rank above all of them.
double latency_value(const Threshold& t, const LatencySamples& l) {
  const LatencyHistogram& h = *l.histogram;
  const uint64_t measured = h.count();
  const uint64_t total = measured + l.never;
  switch (t.statistic) {
    case Threshold::Statistic::kMax:
      return l.never ? kNever : double(h.max().count());
    case Threshold::Statistic::kMin:
      return measured ? double(h.min().count()) : kNever;
    case Threshold::Statistic::kMean:
      return l.never ? kNever : double(h.mean().count());
    default: {
      // Nearest rank over the whole population, then the same rank among the measured values
      // (half a rank below it, so the histogram's own ceil lands on it exactly).
      const uint64_t rank =
          std::max<uint64_t>(1, uint64_t(std::ceil(t.percentile / 100.0 * double(total))));
      if (rank > measured) return kNever;
      return double(h.percentile((double(rank) - 0.5) / double(measured) * 100.0).count());
    }
  }
}

CheckResult judge(const Threshold& t, const ThresholdEvidence& e, const AudioTotals& totals) {
  CheckResult r;
  r.name = t.expression;
  ThresholdMeasure m;
  m.metric = t.metric;
  m.statistic = t.statistic_name();
  m.op = to_string(t.op);
  const bool rate = t.statistic == Threshold::Statistic::kRate;
  const bool count = t.statistic == Threshold::Statistic::kCount;
  m.unit = rate ? "%" : count ? "count" : "ms";
  m.limit = rate    ? t.limit_percent
            : count ? double(t.limit_count)
                    : double(t.limit_duration.count()) / 1e6;
  auto unjudged = [&](const std::string& why) {
    r.verdict = Verdict::kSkip;
    r.incomplete = true;
    r.summary = fmt::format("cannot be judged: {}", why);
    r.threshold = m;
    return r;
  };
  double value = 0;  // in the limit's unit, nanoseconds for a latency
  std::string measured;
  const std::string limit = fmt::format("limit {}{}", m.op, t.limit_text());
  if (rate || count) {
    const Counted c = counted(t.metric, *e.stats, totals);
    if (c.heard && !e.conversing)
      return unjudged("--caller loop measures nothing the caller hears");
    m.samples = uint64_t(c.whole);
    if (t.metric == "dead_air") m.samples = totals.conversing_calls;
    if (count) {
      value = double(c.count);
      measured = fmt::format("{} {} ({})", c.count, t.metric, limit);
    } else {
      if (c.whole <= 0) {
        return unjudged(t.metric == "dead_air" ? "the bot never spoke"
                                               : fmt::format("no {} to take a rate over", c.noun));
      }
      value = 100.0 * c.part / c.whole;
      measured = t.metric == "dead_air"
                     ? fmt::format("{:.3g}% {} ({} dead air in {} of speech; {})", value, c.noun,
                                   ms_text(c.part), ms_text(c.whole), limit)
                     : fmt::format("{:.3g}% ({} of {} {}; {})", value, c.count, uint64_t(c.whole),
                                   c.noun, limit);
    }
    m.value = value;
  } else {
    const LatencySamples l = latency_samples(t.metric, *e.stats, totals);
    if (l.heard && !e.conversing)
      return unjudged("--caller loop measures nothing the caller hears");
    m.samples = l.histogram->count() + l.never;
    if (m.samples == 0) return unjudged(fmt::format("no {} were measured", l.noun));
    value = latency_value(t, l);
    m.never = std::isinf(value);
    if (!m.never) m.value = value / 1e6;
    measured = fmt::format("{} {} over {} {}", m.statistic, ms_text(value), m.samples, l.noun);
    if (l.never) measured += fmt::format(" ({} {})", l.never, l.never_noun);
    measured += fmt::format("; {}", limit);
  }
  r.threshold = m;
  r.summary = measured;
  r.verdict = t.met_by(value) ? Verdict::kPass : Verdict::kFail;
  if (r.verdict == Verdict::kFail) {
    Offense o;
    o.at = e.end;
    o.what = fmt::format("{} breaches {}", t.metric, measured);
    r.offense = o;
  }
  return r;
}

}  // namespace

std::vector<CheckResult> judge_thresholds(const std::vector<Threshold>& thresholds,
                                          const ThresholdEvidence& evidence) {
  std::vector<CheckResult> results;
  if (thresholds.empty()) return results;
  const AudioTotals totals = audio_totals(evidence.stats->calls);
  for (const Threshold& t : thresholds) results.push_back(judge(t, evidence, totals));
  return results;
}

}  // namespace callsim
