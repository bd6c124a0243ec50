#include "threshold.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "errors.h"

namespace callsim {

const std::vector<ThresholdMetric>& threshold_metrics() {
  static const std::vector<ThresholdMetric> metrics = {
      {"reply_latency", nullptr, true, false,
       "caller's last voiced frame -> the bot's answer played; a no-reply turn counts as never"},
      {"ttfa", "time_to_first_audio", true, false,
       "start sent -> first voiced bot audio played; a call never greeted counts as never"},
      {"setup", "handshake", true, false, "TCP connect -> 101 Switching Protocols"},
      {"first_message", nullptr, true, false, "start sent -> the server's first message"},
      {"lateness", nullptr, true, false, "frame sent - its 20 ms deadline (the generator)"},
      {"dead_air", nullptr, true, true,
       "each dry spell inside a bot utterance; rate: dead air over the bot's speech time"},
      {"clear_latency", nullptr, true, false, "caller barged in -> the bot's clear arrived"},
      {"talk_over", nullptr, true, false, "caller barged in -> the bot's voice stopped"},
      {"mark_round_trip", nullptr, true, false, "a mark arrived -> callsim echoed it"},
      {"no_reply_turns", nullptr, false, true,
       "caller turns with no answer within --reply-timeout; rate over all turns"},
      {"failed_calls", nullptr, false, true,
       "calls that could not be set up or broke (not rejections); rate over all calls"},
      {"rejected_calls", nullptr, false, true, "calls the server turned away; rate over all calls"},
      {"ungreeted_calls", nullptr, false, true,
       "streamed calls that never heard the bot; rate over streamed calls"},
      {"uncleared_barge_ins", nullptr, false, true,
       "barge-ins the bot talked through without a clear; rate over barge-ins"},
  };
  return metrics;
}

const char* to_string(Threshold::Op op) {
  switch (op) {
    case Threshold::Op::kLess:
      return "<";
    case Threshold::Op::kLessEqual:
      return "<=";
    case Threshold::Op::kGreater:
      return ">";
    case Threshold::Op::kGreaterEqual:
      return ">=";
  }
  return "?";
}

std::string Threshold::statistic_name() const {
  switch (statistic) {
    case Statistic::kPercentile:
      return fmt::format("p{:g}", percentile);
    case Statistic::kMax:
      return "max";
    case Statistic::kMin:
      return "min";
    case Statistic::kMean:
      return "mean";
    case Statistic::kRate:
      return "rate";
    case Statistic::kCount:
      return "count";
  }
  return "?";
}

std::string Threshold::limit_text() const {
  if (!limit_written.empty()) return limit_written;
  if (statistic == Statistic::kRate) return fmt::format("{:g}%", limit_percent);
  if (statistic == Statistic::kCount) return std::to_string(limit_count);
  return format_duration(limit_duration);
}

bool Threshold::met_by(double value) const {
  double limit = static_cast<double>(limit_count);
  if (statistic == Statistic::kRate) limit = limit_percent;
  if (statistic != Statistic::kRate && statistic != Statistic::kCount) {
    limit = static_cast<double>(limit_duration.count());
  }
  switch (op) {
    case Op::kLess:
      return value < limit;
    case Op::kLessEqual:
      return value <= limit;
    case Op::kGreater:
      return value > limit;
    case Op::kGreaterEqual:
      return value >= limit;
  }
  return false;
}

namespace {

std::string known_metrics() {
  std::string names;
  for (const auto& m : threshold_metrics())
    names += (names.empty() ? "" : ", ") + std::string(m.name);
  return names;
}

std::string trimmed(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c != ' ' && c != '\t') out += c;
  }
  return out;
}

// A full-string decimal number (no sign, no exponent): strtod alone would take "1e3" or " 5".
bool parse_decimal(const std::string& text, double& value) {
  if (text.empty() || text.find_first_not_of("0123456789.") != std::string::npos ||
      std::count(text.begin(), text.end(), '.') > 1 || text == ".") {
    return false;
  }
  value = std::strtod(text.c_str(), nullptr);
  return std::isfinite(value);
}

}  // namespace

Threshold parse_threshold(std::string_view raw, std::string_view flag) {
  const std::string text = trimmed(raw);
  auto error = [&](const std::string& what) {
    return InputError(fmt::format("{} '{}': {}", flag, std::string(raw), what));
  };
  const size_t op_at = text.find_first_of("<>");
  if (op_at == std::string::npos) {
    throw error("expected METRIC.STATISTIC<LIMIT, e.g. reply_latency.p95<1200ms (also <=, >, >=)");
  }
  Threshold t;
  const bool or_equal = op_at + 1 < text.size() && text[op_at + 1] == '=';
  if (text[op_at] == '<') {
    t.op = or_equal ? Threshold::Op::kLessEqual : Threshold::Op::kLess;
  } else {
    t.op = or_equal ? Threshold::Op::kGreaterEqual : Threshold::Op::kGreater;
  }
  const std::string left = text.substr(0, op_at);
  const std::string limit = text.substr(op_at + (or_equal ? 2 : 1));
  const size_t dot = left.rfind('.');
  // A percentile may hold a dot itself (p99.9): the statistic starts at the first dot after
  // the metric's name, and no metric name has a dot.
  const size_t first_dot = left.find('.');
  if (first_dot == std::string::npos || first_dot == 0 || dot + 1 == left.size()) {
    throw error("expected METRIC.STATISTIC before the comparison, e.g. reply_latency.p95");
  }
  const std::string metric_name = left.substr(0, first_dot);
  const std::string statistic = left.substr(first_dot + 1);
  const ThresholdMetric* metric = nullptr;
  for (const auto& m : threshold_metrics()) {
    if (metric_name == m.name || (m.alias && metric_name == m.alias)) metric = &m;
  }
  if (!metric) {
    throw error(fmt::format("unknown metric '{}' (known: {})", metric_name, known_metrics()));
  }
  t.metric = metric->name;
  double number = 0;
  if (statistic == "max" || statistic == "min" || statistic == "mean") {
    t.statistic = statistic == "max"   ? Threshold::Statistic::kMax
                  : statistic == "min" ? Threshold::Statistic::kMin
                                       : Threshold::Statistic::kMean;
  } else if (statistic == "rate") {
    t.statistic = Threshold::Statistic::kRate;
  } else if (statistic == "count") {
    t.statistic = Threshold::Statistic::kCount;
  } else if (statistic.size() > 1 && statistic[0] == 'p' &&
             parse_decimal(statistic.substr(1), number) && number > 0 && number <= 100) {
    t.statistic = Threshold::Statistic::kPercentile;
    t.percentile = number;
  } else {
    throw error(
        fmt::format("unknown statistic '{}' (expected pN with 0 < N <= 100, max, min, "
                    "mean, rate or count)",
                    statistic));
  }
  const bool counted_statistic =
      t.statistic == Threshold::Statistic::kRate || t.statistic == Threshold::Statistic::kCount;
  if (counted_statistic && !metric->counted) {
    throw error(
        fmt::format("{} is a latency: it takes pN, max, min or mean, not {}", t.metric, statistic));
  }
  if (!counted_statistic && !metric->latency) {
    throw error(fmt::format("{} is counted: it takes rate or count, not {}", t.metric, statistic));
  }
  if (limit.empty()) throw error("no limit after the comparison");
  if (t.statistic == Threshold::Statistic::kRate) {
    if (limit.back() != '%' || !parse_decimal(limit.substr(0, limit.size() - 1), number) ||
        number > 100) {
      throw error(
          fmt::format("a rate's limit is a percentage from 0% to 100%, e.g. 1% (got '{}')", limit));
    }
    t.limit_percent = number;
  } else if (t.statistic == Threshold::Statistic::kCount) {
    if (limit.find_first_not_of("0123456789") != std::string::npos || limit.size() > 18) {
      throw error(fmt::format("a count's limit is a whole number (got '{}')", limit));
    }
    t.limit_count = std::stoull(limit);
  } else {
    try {
      t.limit_duration = parse_duration(limit);
    } catch (const InputError& e) {
      throw error(fmt::format("a latency's limit is a duration: {}", e.what()));
    }
  }
  // The limit as the user wrote it: format_duration would turn 1200ms into 1.2s.
  t.limit_written = limit;
  t.expression = t.metric + "." + t.statistic_name() + to_string(t.op) + limit;
  return t;
}

const std::vector<std::string>& slo_preset_names() {
  static const std::vector<std::string> names = {"voice"};
  return names;
}

std::vector<std::string> slo_preset(std::string_view name) {
  if (name == "voice") {
    return {"ttfa.p95<2s",      "reply_latency.p95<1500ms", "no_reply_turns.rate<1%",
            "dead_air.rate<1%", "failed_calls.rate<1%",     "ungreeted_calls.rate<1%"};
  }
  throw InputError(fmt::format("--slo '{}': unknown preset (known: voice)", std::string(name)));
}

}  // namespace callsim
