#include "options.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/load_plan.h"
#include "core/think_time.h"
#include "core/time_series_interval.h"
#include "core/url.h"

namespace callsim {

int64_t Options::total_calls() const {
  if (!stages.empty()) {
    const LoadStages staged = LoadStages::parse(stages);
    return staged.open_model() ? staged.arrivals() : 0;
  }
  if (calls > 0) return calls;
  if (rate > 0) return LoadPlan::arrivals_within(rate, duration);
  return concurrent;
}

int Options::peak_calls() const {
  if (!stages.empty()) {
    const LoadStages staged = LoadStages::parse(stages);
    if (!staged.open_model()) return staged.peak_calls();
  }
  return concurrent;
}

std::vector<Threshold> thresholds_of(const Options& o) {
  std::vector<Threshold> given;
  for (const auto& text : o.thresholds) given.push_back(parse_threshold(text));
  std::vector<Threshold> all;
  if (!o.slo.empty()) {
    for (const auto& text : slo_preset(o.slo)) {
      Threshold preset = parse_threshold(text, "--slo " + o.slo);
      const bool replaced = std::any_of(given.begin(), given.end(), [&](const Threshold& t) {
        return t.metric == preset.metric && t.statistic_name() == preset.statistic_name();
      });
      if (!replaced) all.push_back(std::move(preset));
    }
  }
  all.insert(all.end(), given.begin(), given.end());
  return all;
}

void validate(const Options& o) {
  const std::string scheme = url_scheme(o.url);
  if (o.url.find("://") == std::string::npos || (scheme != "ws" && scheme != "wss")) {
    throw InputError(fmt::format("--url '{}' must start with ws:// or wss://", o.url));
  }
  if (o.concurrent < 1) throw InputError("--concurrent must be at least 1");
  if (!o.stages.empty()) {
    LoadStages::parse(o.stages);
    for (const auto& [given, flag] : {std::pair<bool, const char*>{o.rate > 0, "--rate"},
                                      {o.ramp.count() > 0, "--ramp"},
                                      {o.calls > 0, "--calls"},
                                      {o.bursts > 1, "--bursts"}}) {
      if (given) {
        throw InputError(fmt::format("--stages already shapes the load; drop {}", flag));
      }
    }
  }
  if (o.calls < 0) throw InputError("--calls must not be negative");
  if (o.calls > 0 && o.calls < o.concurrent && o.rate == 0) {
    throw InputError(fmt::format("--calls {} is less than --concurrent {}", o.calls, o.concurrent));
  }
  if (o.rate < 0) throw InputError("--rate must not be negative");
  if (o.rate > 0 && o.ramp.count() > 0) {
    throw InputError("--rate and --ramp cannot be combined (--rate already spreads the starts)");
  }
  if (o.rate > 0 && o.calls == 0 && o.duration.count() <= 0) {
    throw InputError(
        "--rate needs --calls or --duration to say how many calls arrive (rate x --duration)");
  }
  if (o.rate > 0 && o.total_calls() < 1) {
    throw InputError("--rate x --duration schedules no call; raise either");
  }
  if (o.threads < 0) throw InputError("--threads must not be negative");
  if (o.handshake_timeout.count() <= 0) throw InputError("--handshake-timeout must be positive");
  if (o.lateness_budget.count() <= 0) throw InputError("--lateness-budget must be positive");
  if (o.cap < 1) throw InputError("--cap must be at least 1");
  for (int status : o.reject_statuses) {
    if (status < 200 || status > 599) {
      throw InputError(fmt::format("--reject-status {} is not an HTTP status (200..599)", status));
    }
  }
  for (int code : o.reject_close_codes) {
    // Only codes an endpoint may send in a close frame (RFC 6455 §7.4).
    if (code < 1000 || code > 4999 || code == 1004 || code == 1005 || code == 1006 ||
        code == 1015 || (code > 1014 && code < 3000)) {
      throw InputError(
          fmt::format("--reject-close-codes {} is not a close code a server can send", code));
    }
  }
  if (o.reply_timeout.count() <= 0) throw InputError("--reply-timeout must be positive");
  if (o.turns < 0) throw InputError("--turns must not be negative");
  try {
    ThinkTime::parse(o.think);
  } catch (const InputError& e) {
    throw InputError(fmt::format("--think {}", e.what()));
  }
  if (o.caller == Options::Caller::kScript && o.script_path.empty()) {
    throw InputError("--caller script needs --script FILE");
  }
  if (o.caller == Options::Caller::kLoop && !o.script_path.empty()) {
    throw InputError("--script cannot be combined with --caller loop (the caller only loops)");
  }
  if (o.caller == Options::Caller::kLoop && !o.utterance_files.empty()) {
    throw InputError("--utterances cannot be combined with --caller loop (the caller only loops)");
  }
  if (o.turns > 0 && (o.caller == Options::Caller::kLoop || !o.script_path.empty())) {
    throw InputError("--turns applies to --caller conversation only");
  }
  if (o.bursts < 1) throw InputError("--bursts must be at least 1");
  if (o.bursts > 1 && o.rate > 0)
    throw InputError("--bursts repeats a closed-model burst; drop --rate");
  if (o.drop_ratio < 0 || o.drop_ratio > 1)
    throw InputError("--drop-ratio must be between 0 and 1");
  if (o.no_stop_ratio < 0 || o.no_stop_ratio > 1) {
    throw InputError("--no-stop-ratio must be between 0 and 1");
  }
  if (o.drop_ratio + o.no_stop_ratio > 1) {
    throw InputError("--drop-ratio and --no-stop-ratio together must not exceed 1");
  }
  if (o.skip_stream_ratio < 0 || o.skip_stream_ratio > 1) {
    throw InputError("--skip-stream-ratio must be between 0 and 1");
  }
  if (o.skip_stream_ratio > 0 && o.webhook_url.empty()) {
    throw InputError("--skip-stream-ratio needs --webhook (calls are admitted there)");
  }
  const std::string webhook_scheme = url_scheme(o.webhook_url);
  if (!o.webhook_url.empty() && (o.webhook_url.find("://") == std::string::npos ||
                                 (webhook_scheme != "http" && webhook_scheme != "https"))) {
    throw InputError(
        fmt::format("--webhook '{}' must start with http:// or https://", o.webhook_url));
  }
  if (o.gauge_trace != "monitor" && o.gauge_trace != "sample") {
    throw InputError(fmt::format("--gauge-trace '{}' must be monitor or sample", o.gauge_trace));
  }
  if (o.gauge_interval.count() < 0) throw InputError("--gauge-interval must not be negative");
  for (const auto& [name, value] : o.params) {
    if (name.empty()) throw InputError("--param needs a name before '='");
    if (name.size() + value.size() >= 500) {
      throw InputError(fmt::format(
          "--param {}: name and value together must be under 500 characters (Twilio's limit)",
          name));
    }
  }
  if (o.quiet && o.verbose) throw InputError("--quiet and --verbose cannot be combined");
  if (o.junit_path == "-" && o.report_path == "-") {
    throw InputError("--junit - and --report - cannot both write to stdout");
  }
  if (o.csv_calls_path == "-" && (o.report_path == "-" || o.junit_path == "-")) {
    throw InputError("--csv-calls - cannot share stdout with --report - or --junit -");
  }
  for (const auto& [name, value] : o.headers) {
    if (name.empty() || name.find_first_of(" \t\r\n:") != std::string::npos) {
      throw InputError(fmt::format("--header '{}' is not a valid header name", name));
    }
    if (value.find_first_of("\r\n") != std::string::npos) {
      throw InputError(fmt::format("--header {}: value must not contain line breaks", name));
    }
  }
  // Each output is written to a temporary file beside it and renamed: two outputs on one path
  // would overwrite each other (and two on stdout ("-") would interleave).
  const std::vector<std::pair<const char*, const std::string*>> outputs = {
      {"--report", &o.report_path},
      {"--html", &o.html_path},
      {"--csv", &o.csv_path},
      {"--junit", &o.junit_path},
      {"--csv-calls", &o.csv_calls_path}};
  for (size_t i = 0; i < outputs.size(); ++i) {
    for (size_t j = i + 1; j < outputs.size(); ++j) {
      if (!outputs[i].second->empty() && *outputs[i].second == *outputs[j].second) {
        throw InputError(fmt::format("{} and {} name the same file '{}'", outputs[i].first,
                                     outputs[j].first, *outputs[i].second));
      }
    }
  }
  const bool record_calls_given = std::any_of(
      o.settings.begin(), o.settings.end(),
      [](const SettingEcho& s) { return s.key == "record-calls" && s.source != "default"; });
  if (record_calls_given && o.record_dir.empty()) {
    throw InputError("--record-calls needs --record DIR");
  }
  if (!o.record_dir.empty() && (o.record_calls < 1 || o.record_calls > kMaxRecordedCalls)) {
    throw InputError(fmt::format(
        "--record-calls must be 1 to {} (each recorded call is held in memory until it ends)",
        kMaxRecordedCalls));
  }
  thresholds_of(o);  // throws on the first bad --threshold or an unknown --slo
  // An --interval 0 that was typed (or set in CALLSIM_INTERVAL or --config) is a mistake, not a
  // request for the automatic width: only the default means that.
  const bool interval_given = std::any_of(
      o.settings.begin(), o.settings.end(),
      [](const SettingEcho& s) { return s.key == "interval" && s.source != "default"; });
  validate_interval(o.interval, interval_given, o.duration);
}

}  // namespace callsim
