#include "run/conversation_settings.h"

#include <algorithm>

#include <fmt/format.h>

#include "core/errors.h"
#include "core/utterance_split.h"
#include "media/base64.h"
#include "media/media_error.h"

namespace callsim {

namespace {

// What a bot's reply may take to play once it has started, for the default hold only: the
// reference bot's answers are 2-4 s.
constexpr Nanos kReplyAllowance = std::chrono::seconds(6);

std::shared_ptr<const media::FrameSource> load_clip(const std::string& path, const char* flag) {
  try {
    return media::FrameSource::from_file(path);
  } catch (const media::MediaError& e) {
    throw InputError(fmt::format("{} {}", flag, e.what()));
  }
}

CallerTurns::Mode mode_of(const Options& options) {
  if (!options.script_path.empty()) return CallerTurns::Mode::kScript;
  return options.caller == Options::Caller::kLoop ? CallerTurns::Mode::kLoop
                                                  : CallerTurns::Mode::kConversation;
}

}  // namespace

std::string_view ConversationSettings::frame_base64(const CallerFrame& frame) const {
  if (frame.audio != CallerFrame::Audio::kUtterance || frame.utterance >= utterances.size()) {
    return silence_base64;
  }
  const Utterance& u = utterances[frame.utterance];
  return clips[u.clip]->frame_base64(u.first_frame + frame.frame);
}

Nanos ConversationSettings::longest_call() const {
  const Nanos think = config.caller.think.mean + config.caller.think.spread;
  const Nanos wait = config.caller.reply_timeout;
  Nanos total = wait + kReplyAllowance;  // the greeting
  auto utterance_length = [](const Utterance& u) {
    return u.frame_count * media::FrameSource::kFrameDuration;
  };
  if (mode == CallerTurns::Mode::kScript) {
    for (const ScriptStep& step : script->steps) {
      switch (step.kind) {
        case ScriptStep::Kind::kListen:
          total += (step.duration.count() > 0 ? step.duration : wait) + kReplyAllowance;
          break;
        case ScriptStep::Kind::kSay:
          total += utterance_length(
              utterances[step.utterance > 0 ? step.utterance - 1
                                            : config.caller.file_utterance_base + step.file]);
          break;
        case ScriptStep::Kind::kPause:
        case ScriptStep::Kind::kBargeIn:
          total +=
              std::max(step.duration, step.kind == ScriptStep::Kind::kBargeIn ? wait : Nanos(0));
          break;
        case ScriptStep::Kind::kDtmf:
          total += static_cast<int64_t>(step.digits.size()) * CallerTurns::kDtmfSpacing;
          break;
        case ScriptStep::Kind::kHangup:
          break;
      }
    }
    return total;
  }
  const size_t turns = config.caller.turns > 0 ? config.caller.turns : utterances.size();
  for (size_t t = 0; t < turns && !utterances.empty(); ++t) {
    total += think + utterance_length(utterances[t % utterances.size()]) + wait + kReplyAllowance;
  }
  return total;
}

std::shared_ptr<const ConversationSettings> make_conversation_settings(
    const Options& options, std::shared_ptr<const media::FrameSource> fixture) {
  const CallerTurns::Mode mode = mode_of(options);
  if (mode == CallerTurns::Mode::kLoop) return nullptr;
  auto settings = std::make_shared<ConversationSettings>();
  settings->mode = mode;
  settings->clips.push_back(fixture);
  if (options.utterance_files.empty()) {
    settings->utterances = split_utterances(*fixture, 0);
  } else {
    for (const std::string& path : options.utterance_files) {
      settings->clips.push_back(load_clip(path, "--utterances"));
      settings->utterances.push_back(
          whole_clip_utterance(*settings->clips.back(), settings->clips.size() - 1));
    }
  }
  CallerTurns::Config& caller = settings->config.caller;
  caller.mode = mode;
  caller.think = ThinkTime::parse(options.think);
  caller.reply_timeout = options.reply_timeout;
  caller.turns = static_cast<size_t>(options.turns);
  if (mode == CallerTurns::Mode::kScript) {
    settings->script = load_caller_script(options.script_path);
    settings->script->check_utterances(settings->utterances.size());
    caller.file_utterance_base = settings->utterances.size();
    for (const std::string& path : settings->script->files) {
      settings->clips.push_back(load_clip(path, "--script"));
      settings->utterances.push_back(
          whole_clip_utterance(*settings->clips.back(), settings->clips.size() - 1));
    }
    caller.script = &*settings->script;
  } else if (settings->utterances.empty()) {
    throw InputError(fmt::format(
        "--fixture {}: the speech detector hears no speech in it, so the caller has nothing to "
        "say; give --utterances FILE, or --caller loop to stream it as it is",
        fixture->name()));
  }
  caller.utterances = &settings->utterances;
  settings->config.metrics.reply_timeout = options.reply_timeout;
  const std::vector<uint8_t> silence(media::FrameSource::kFrameBytes, 0xFF);
  settings->silence_base64 = media::base64_encode(silence.data(), silence.size());
  return settings;
}

}  // namespace callsim
