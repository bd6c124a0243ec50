#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/call_conversation.h"
#include "core/caller_script.h"
#include "core/options.h"
#include "media/frame_source.h"

namespace callsim {

// What every conversing call shares, built once before the run and read-only while workers run:
// the clips the caller can say (0 is the fixture, then --utterances files, then the script's
// files), the utterances cut from them, the script, and the per-call configuration, whose
// pointers refer into this object (so it is neither copied nor moved).
struct ConversationSettings {
  ConversationSettings() = default;
  ConversationSettings(const ConversationSettings&) = delete;
  ConversationSettings& operator=(const ConversationSettings&) = delete;

  CallerTurns::Mode mode = CallerTurns::Mode::kConversation;
  std::vector<std::shared_ptr<const media::FrameSource>> clips;
  std::vector<Utterance> utterances;
  std::optional<CallerScript> script;
  CallConversation::Config config;
  // One frame of μ-law silence (0xFF) in base64, which the caller sends while it says nothing.
  std::string silence_base64;

  // The frame's payload, as base64.
  std::string_view frame_base64(const CallerFrame& frame) const;
  // How long a call takes at most when nothing goes wrong but the bot is slow: the greeting's
  // wait and, per turn, the utterance, the longest think and a reply timeout, plus one bot reply
  // to play out. The default --hold of a conversation, so that hold rarely cuts a call short.
  Nanos longest_call() const;
};

// Null for --caller loop. InputError naming the flag or file for an unreadable --utterances
// file, a bad --script, a script that says an utterance the fixture does not have, or a
// conversation whose fixture holds no speech and no --utterances were given.
std::shared_ptr<const ConversationSettings> make_conversation_settings(
    const Options& options, std::shared_ptr<const media::FrameSource> fixture);

}  // namespace callsim
