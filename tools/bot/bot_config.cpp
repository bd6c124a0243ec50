#include "bot/bot_config.h"

#include <fmt/format.h>

#include "core/errors.h"

namespace callsim::bot {

const char* to_string(AdmitAt v) {
  switch (v) {
    case AdmitAt::kWebhook:
      return "webhook";
    case AdmitAt::kUpgrade:
      return "upgrade";
    case AdmitAt::kStart:
      return "start";
  }
  return "?";
}

const char* to_string(Strategy v) {
  switch (v) {
    case Strategy::kLua:
      return "lua";
    case Strategy::kSetLua:
      return "set-lua";
    case Strategy::kWatch:
      return "watch";
    case Strategy::kGetIncr:
      return "get-incr";
    case Strategy::kScardSadd:
      return "scard-sadd";
  }
  return "?";
}

const char* to_string(RejectTwiml v) {
  return v == RejectTwiml::kSay ? "say" : "reject";
}

bool uses_counter(Strategy s) {
  return s == Strategy::kLua || s == Strategy::kWatch || s == Strategy::kGetIncr;
}

namespace {

Nanos fault_duration(std::string_view name, std::string_view value) {
  if (value.empty()) {
    throw InputError(fmt::format("--fault {} needs a duration, e.g. {}=3s", name, name));
  }
  try {
    return parse_duration(value);
  } catch (const InputError& e) {
    throw InputError(fmt::format("--fault {}: {}", name, e.what()));
  }
}

}  // namespace

void apply_fault(BotConfig& config, std::string_view spec) {
  auto eq = spec.find('=');
  std::string_view name = spec.substr(0, eq);
  bool has_value = eq != std::string_view::npos;
  std::string_view value = has_value ? spec.substr(eq + 1) : std::string_view();

  auto flag = [&](bool& target) {
    if (has_value) throw InputError(fmt::format("--fault {} takes no value", name));
    target = true;
  };
  if (name == "leak-on-abrupt-close") {
    flag(config.faults.leak_on_abrupt_close);
  } else if (name == "double-release") {
    flag(config.faults.double_release);
  } else if (name == "release-on-completed") {
    flag(config.faults.release_on_completed);
  } else if (name == "clamp-reset") {
    flag(config.faults.clamp_reset);
  } else if (name == "release-delay") {
    config.faults.release_delay = fault_duration(name, value);
  } else if (name == "idle-release") {
    config.faults.idle_release = fault_duration(name, value);
  } else if (name == "early-release") {
    config.faults.early_release = fault_duration(name, value);
  } else if (name == "gauge-lag") {
    config.faults.gauge_lag = fault_duration(name, value);
  } else if (name == "no-start-timeout") {
    config.no_start_timeout = fault_duration(name, value);
  } else {
    throw InputError(fmt::format(
        "unknown --fault '{}' (expected leak-on-abrupt-close, double-release, clamp-reset, "
        "release-on-completed, release-delay=DURATION, idle-release=DURATION, "
        "early-release=DURATION, gauge-lag=DURATION, no-start-timeout=DURATION)",
        spec));
  }
}

void validate(const BotConfig& config) {
  if (config.cap < 0) throw InputError(fmt::format("--cap {} must not be negative", config.cap));
  if (config.admission_threads < 1) throw InputError("--admission-threads must be at least 1");
  if (config.io_threads < 1) throw InputError("--io-threads must be at least 1");
  if (config.watch_retries < 0) throw InputError("--watch-retries must not be negative");
  if (config.faults.clamp_reset && !uses_counter(config.strategy)) {
    throw InputError(
        fmt::format("--fault clamp-reset needs a counter strategy (lua, watch, get-incr), not {}",
                    to_string(config.strategy)));
  }
  if (config.faults.gauge_lag > Nanos(0) && !uses_counter(config.strategy)) {
    throw InputError(
        fmt::format("--fault gauge-lag needs a counter strategy (lua, watch, get-incr), not {}",
                    to_string(config.strategy)));
  }
  // SET 0 is no INCR or DECR to replay later: the copy would not be exact.
  if (config.faults.gauge_lag > Nanos(0) && config.faults.clamp_reset) {
    throw InputError("--fault gauge-lag cannot be combined with --fault clamp-reset");
  }
  if (config.slot_ttl < std::chrono::seconds(1)) throw InputError("--slot-ttl must be at least 1s");
  validate(config.speech);
  if (config.tls_cert_file.empty() != config.tls_key_file.empty()) {
    throw InputError(config.tls_cert_file.empty() ? "--tls-key needs --tls-cert"
                                                  : "--tls-cert needs --tls-key");
  }
}

}  // namespace callsim::bot
