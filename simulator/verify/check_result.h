#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"

namespace callsim {

enum class Verdict { kPass, kFail, kSkip };
const char* to_string(Verdict verdict);  // "PASS", "FAIL", "SKIP"

// One number behind a verdict. Durations are integer microseconds with names ending in _us.
// `fold` says how per-burst values combine into the run's total.
struct Metric {
  enum class Fold { kMax, kMin, kSum };
  std::string name;
  int64_t value = 0;
  Fold fold = Fold::kMax;
};

// The first moment a check saw the server misbehave.
struct Offense {
  TimePoint at{};
  int burst = 0;                       // 0-based, as CallRecord::burst
  std::string what;                    // one line with the numbers
  std::vector<std::string> call_sids;  // the calls involved (at most kMaxSids)
  size_t more_sids = 0;                // how many more were involved but not listed
};
constexpr size_t kMaxSids = 20;

// A --threshold check's measurement beside its limit, in the limit's unit.
struct ThresholdMeasure {
  std::string metric;     // canonical name, e.g. reply_latency
  std::string statistic;  // p95, max, rate, ...
  std::string op;         // <, <=, >, >=
  std::string unit;       // "ms", "%" or "count"
  double limit = 0;
  // The measured value; nullopt when it could not be judged, or when it is `never` (the
  // statistic fell on turns never answered or calls never greeted).
  std::optional<double> value;
  bool never = false;
  uint64_t samples = 0;  // the population the statistic is over (turns, calls, frames, ...)
};

struct CheckResult {
  std::string name;
  Verdict verdict = Verdict::kSkip;
  std::string summary;  // one line with the numbers behind the verdict (or why it was skipped)
  std::vector<Metric> metrics;
  std::optional<Offense> offense;  // set on FAIL
  std::vector<std::string> warnings;
  // A SKIP that leaves the run unjudged (the gauge went away, no call was decided), as opposed
  // to one the configuration asked for (--gauge none): it makes the run INCOMPLETE.
  bool incomplete = false;
  std::optional<ThresholdMeasure> threshold;  // set on --threshold checks

  const Metric* metric(const std::string& name) const;
  int64_t value(const std::string& name, int64_t fallback = 0) const;
  void set(const std::string& name, int64_t value, Metric::Fold fold = Metric::Fold::kMax);
};

// Helpers for messages: "+1.234567s" since the run's origin, "43us"/"1.2ms"/"20.1s", and a SID
// list capped at kMaxSids.
std::string format_offset(TimePoint origin, TimePoint t);
std::string human_duration(Nanos d);
int64_t to_us(Nanos d);
template <typename CallPtrs>
void add_sids(Offense& offense, const CallPtrs& calls) {
  for (const auto* c : calls) {
    if (offense.call_sids.size() < kMaxSids)
      offense.call_sids.push_back(c->ids.call_sid);
    else
      ++offense.more_sids;
  }
}

}  // namespace callsim
