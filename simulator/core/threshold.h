#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "duration.h"

namespace callsim {

// A service-level threshold the run is judged against (--threshold), in k6's form:
// METRIC.STATISTIC OP LIMIT, e.g. `reply_latency.p95<1200ms` or `no_reply_turns.rate<1%`.
//
// Latency metrics take pN (any N in (0, 100], e.g. p99.9), max, min or mean and a duration limit;
// counted metrics take `rate` with a percentage limit (the % sign is required: `1` could mean
// 1 % or 100 %) or `count` with a whole number.
struct Threshold {
  enum class Statistic { kPercentile, kMax, kMin, kMean, kRate, kCount };
  enum class Op { kLess, kLessEqual, kGreater, kGreaterEqual };

  std::string expression;  // as normalized: no spaces, the metric's canonical name
  std::string metric;      // canonical: reply_latency, ttfa, setup, ...
  Statistic statistic = Statistic::kPercentile;
  double percentile = 0;  // kPercentile: 95 for p95
  Op op = Op::kLess;
  Nanos limit_duration{0};    // latency statistics
  double limit_percent = 0;   // kRate, in percent
  uint64_t limit_count = 0;   // kCount
  std::string limit_written;  // the limit as the user wrote it ("1200ms", not "1.2s")

  std::string statistic_name() const;  // "p95", "max", "rate", ...
  std::string limit_text() const;      // as written: "1200ms", "1%", "3"
  // Whether `value` (in the limit's unit: nanoseconds, percent or a count) meets the threshold.
  bool met_by(double value) const;
};

const char* to_string(Threshold::Op op);  // "<", "<=", ">", ">="

// The metrics --threshold knows, with the statistics each takes, for --help and errors.
struct ThresholdMetric {
  const char* name;
  const char* alias;  // another accepted spelling, or nullptr
  bool latency;       // takes pN/max/min/mean
  bool counted;       // takes rate/count
  const char* what;   // one line: what is measured, and the population of its rate
};
const std::vector<ThresholdMetric>& threshold_metrics();

// Parses one --threshold value; InputError names `flag`, the expression and what is wrong.
Threshold parse_threshold(std::string_view text, std::string_view flag = "--threshold");

// The thresholds of a --slo preset ("voice"); InputError for an unknown preset. Each default's
// source is documented in README.md ("Thresholds").
std::vector<std::string> slo_preset(std::string_view name);
const std::vector<std::string>& slo_preset_names();

}  // namespace callsim
