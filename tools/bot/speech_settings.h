#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/duration.h"
#include "core/think_time.h"

namespace callsim::bot {

// How the bot talks, and how late and how badly: the Speech flags, read by every call's
// Conversation. The defaults are a prompt bot: it greets, answers 400 ms after the caller's
// turn ends whatever the load, streams in real time and stops (clear) the moment it is
// interrupted. The other values reproduce what callsim's voice metrics must catch: slow or
// overloaded answers (no-reply turns, reply latency), audio slower than real time or with gaps
// (dead air), a bot that keeps talking over the caller.
struct SpeechSettings {
  bool greet = true;  // false (--no-greeting): wait for the caller to speak first
  // The pause from the end of the caller's turn to the answer, drawn per answer.
  ThinkTime think{std::chrono::milliseconds(400), Nanos(0)};
  // Load-dependent latency: each answer's pause gets think_per_call × max(0, serving − knee),
  // serving being the calls the bot is serving when the answer is scheduled.
  Nanos think_per_call{0};
  int think_knee = 0;
  // How much faster than real time utterances are streamed (1: one 20 ms frame per 20 ms).
  double tts_speed = 1.0;
  bool tts_burst = false;  // the whole utterance at once
  // Every stall_every of audio sent, nothing for stall_for (0: no stalls).
  Nanos stall_every{0};
  Nanos stall_for{0};
  // From the caller's barge-in to the bot stopping and sending `clear`; nullopt: never (the bot
  // talks on to the end of its utterance and never clears).
  std::optional<Nanos> clear_delay = Nanos(0);
  Nanos heartbeat_interval = std::chrono::seconds(10);

  // The part of an answer's pause that the load adds.
  Nanos load_delay(int64_t serving_calls) const;
};

// Limits of the flags, so a typo does not silently make every call fail.
inline constexpr Nanos kMaxThink = std::chrono::minutes(10);
inline constexpr Nanos kMaxThinkPerCall = std::chrono::minutes(1);
inline constexpr int kMaxThinkKnee = 1'000'000;
inline constexpr double kMaxTtsSpeed = 1000;
inline constexpr Nanos kMinStallEvery = std::chrono::milliseconds(20);
inline constexpr Nanos kMaxStall = std::chrono::minutes(1);
inline constexpr Nanos kMaxClearDelay = std::chrono::minutes(1);

// The parsers throw InputError naming the flag and the text.
ThinkTime parse_think(std::string_view text);   // --think
double parse_tts_speed(std::string_view text);  // --tts-speed
// --stall EVERY:FOR, e.g. "2s:300ms".
void parse_stall(std::string_view text, SpeechSettings& settings);
std::optional<Nanos> parse_clear_delay(std::string_view text);  // --clear-delay D|never

// Throws InputError naming the flag whose value is out of range.
void validate(const SpeechSettings& settings);

// "2s:300ms" or "off"; "250ms" or "never".
std::string format_stall(const SpeechSettings& settings);
std::string format_clear_delay(const std::optional<Nanos>& delay);

}  // namespace callsim::bot
