#include "bot/speech_settings.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <string>

#include <fmt/format.h>

#include "core/errors.h"

namespace callsim::bot {

Nanos SpeechSettings::load_delay(int64_t serving_calls) const {
  const int64_t beyond = std::max<int64_t>(0, serving_calls - think_knee);
  return think_per_call * beyond;
}

ThinkTime parse_think(std::string_view text) {
  try {
    return ThinkTime::parse(text);
  } catch (const InputError& e) {
    throw InputError(fmt::format("--think: {}", e.what()));
  }
}

double parse_tts_speed(std::string_view text) {
  const std::string s(text);
  const char* begin = s.c_str();
  char* end = nullptr;
  double value = std::strtod(begin, &end);
  // strtod takes "inf", "nan", hex and leading blanks; a speed is a plain decimal number.
  bool plain = !s.empty() && s.find_first_not_of("0123456789.") == std::string::npos;
  if (!plain || end == begin || *end != '\0') {
    throw InputError(
        fmt::format("--tts-speed: '{}' is not a number (e.g. 1 = real time, 4, 0.8)", s));
  }
  return value;
}

void parse_stall(std::string_view text, SpeechSettings& settings) {
  auto colon = text.find(':');
  if (colon == std::string_view::npos) {
    throw InputError(fmt::format("--stall: '{}' is not EVERY:FOR (e.g. 2s:300ms)", text));
  }
  try {
    settings.stall_every = parse_duration(text.substr(0, colon));
    settings.stall_for = parse_duration(text.substr(colon + 1));
  } catch (const InputError& e) {
    throw InputError(fmt::format("--stall {}: {}", text, e.what()));
  }
  if (settings.stall_every < kMinStallEvery) {
    throw InputError(fmt::format("--stall {}: EVERY must be at least {}", text,
                                 format_duration(kMinStallEvery)));
  }
  if (settings.stall_for <= Nanos(0)) {
    throw InputError(fmt::format("--stall {}: FOR must be longer than 0", text));
  }
  if (settings.stall_for > kMaxStall) {
    throw InputError(
        fmt::format("--stall {}: FOR must be at most {}", text, format_duration(kMaxStall)));
  }
}

std::optional<Nanos> parse_clear_delay(std::string_view text) {
  if (text == "never") return std::nullopt;
  try {
    return parse_duration(text);
  } catch (const InputError& e) {
    throw InputError(fmt::format("--clear-delay: {} (or never)", e.what()));
  }
}

void validate(const SpeechSettings& s) {
  if (s.think.mean + s.think.spread > kMaxThink) {
    throw InputError(fmt::format("--think {} reaches {}, over the limit of {}", s.think.to_string(),
                                 format_duration(s.think.mean + s.think.spread),
                                 format_duration(kMaxThink)));
  }
  if (s.think_per_call < Nanos(0) || s.think_per_call > kMaxThinkPerCall) {
    throw InputError(fmt::format("--think-per-call {} is over the limit of {}",
                                 format_duration(s.think_per_call),
                                 format_duration(kMaxThinkPerCall)));
  }
  if (s.think_knee < 0 || s.think_knee > kMaxThinkKnee) {
    throw InputError(
        fmt::format("--think-knee {} is not from 0 to {}", s.think_knee, kMaxThinkKnee));
  }
  // Written so that NaN fails too.
  if (!(s.tts_speed > 0 && s.tts_speed <= kMaxTtsSpeed)) {
    throw InputError(fmt::format(
        "--tts-speed {:g} is not above 0 and at most {:g} (for all at once: --tts-burst)",
        s.tts_speed, kMaxTtsSpeed));
  }
  if (s.stall_every > Nanos(0) || s.stall_for > Nanos(0)) {
    if (s.stall_every < kMinStallEvery || s.stall_for <= Nanos(0) || s.stall_for > kMaxStall) {
      throw InputError(fmt::format("--stall {}: EVERY must be at least {} and FOR from 1ns to {}",
                                   format_stall(s), format_duration(kMinStallEvery),
                                   format_duration(kMaxStall)));
    }
  }
  if (s.clear_delay && (*s.clear_delay < Nanos(0) || *s.clear_delay > kMaxClearDelay)) {
    throw InputError(fmt::format("--clear-delay {} is over the limit of {}",
                                 format_duration(*s.clear_delay), format_duration(kMaxClearDelay)));
  }
  if (s.heartbeat_interval <= Nanos(0)) throw InputError("--heartbeat must be positive");
}

std::string format_stall(const SpeechSettings& s) {
  if (s.stall_every <= Nanos(0) && s.stall_for <= Nanos(0)) return "off";
  return format_duration(s.stall_every) + ":" + format_duration(s.stall_for);
}

std::string format_clear_delay(const std::optional<Nanos>& delay) {
  return delay ? format_duration(*delay) : "never";
}

}  // namespace callsim::bot
