#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "bot_playout.h"
#include "caller_script.h"
#include "clock.h"
#include "think_time.h"

namespace callsim {

// One thing the caller can say: frames [first_frame, first_frame + frame_count) of clip `clip`
// (0 is the fixture; further clips are files), with its first and last voiced frame relative to
// first_frame. Split from the fixture by the speech detector, or one per file.
struct Utterance {
  size_t clip = 0;
  size_t first_frame = 0;
  size_t frame_count = 0;
  size_t first_voiced = 0;
  size_t last_voiced = 0;
};

// What the caller sends in the frame that is due now.
struct CallerFrame {
  enum class Audio {
    kSilence,    // μ-law silence (0xFF): Twilio streams continuously, the caller says nothing
    kUtterance,  // frame `frame` of utterance `utterance`
    kLoop,       // the fixture loop as before conversations (--caller loop)
  };
  Audio audio = Audio::kSilence;
  size_t utterance = 0;
  size_t frame = 0;
  char dtmf = 0;              // a key: send Twilio's dtmf message before this frame's media
  bool hang_up = false;       // the caller hangs up now instead of sending this frame
  bool voice_starts = false;  // the utterance's first voiced frame
  bool voice_ends = false;    // the utterance's last voiced frame: the caller has finished
};

// The caller's side of one call, as a state machine driven by frame ticks and by what the caller
// has heard (BotPlayout, which must be advanced to the same `now` first). Pure logic: no
// sockets, no clock of its own, no allocation after construction.
//
// Conversation: wait for the bot's greeting (silence), speak one utterance, stay silent while the
// bot answers until its voiced audio has played out, think (drawn per turn from a seeded
// per-call generator), speak the next, until the turns run out; then hang up. A bot that starts
// again while the caller thinks sends it back to listening. A bot that says nothing for
// reply_timeout is given up on and the caller goes on. Script: the steps in order, then hang up.
class CallerTurns {
 public:
  enum class Mode { kLoop, kConversation, kScript };
  struct Config {
    Mode mode = Mode::kConversation;
    ThinkTime think{std::chrono::milliseconds(600), std::chrono::milliseconds(200)};
    // How long the caller waits for the bot to start speaking (greeting, reply, `listen`).
    Nanos reply_timeout = std::chrono::seconds(5);
    size_t turns = 0;  // conversation: 0 = each utterance once; more cycle through them
    const std::vector<Utterance>* utterances = nullptr;  // shared, read-only; outlives the call
    const CallerScript* script = nullptr;                // kScript; shared, read-only
    size_t file_utterance_base = 0;  // the script's file f is utterances[base + f]
  };
  // DTMF keys are sent this far apart (a key press and the gap after it).
  static constexpr Nanos kDtmfSpacing = std::chrono::milliseconds(200);

  CallerTurns(const Config& config, CallRng rng);

  // `start` was sent: the caller begins by listening.
  void start(TimePoint now);
  // The frame due at `now` (call once per frame, in order).
  CallerFrame next_frame(TimePoint now, const BotPlayout& playout);

  size_t turns_spoken() const { return turns_spoken_; }
  bool hung_up() const { return state_ == State::kHungUp; }

 private:
  enum class State {
    kIdle,
    kListening,
    kThinking,
    kSpeaking,
    kPausing,
    kDtmf,
    kBargeWait,
    kHungUp
  };
  // Moves on from a finished state; false when the state produces this frame.
  bool step_done(TimePoint now, const BotPlayout& playout);
  void begin_listening(TimePoint since, Nanos timeout, bool hard_timeout);
  void begin_speaking(size_t utterance);
  void next_turn(TimePoint now);
  void next_step(TimePoint now);
  bool heard_since(const BotPlayout& playout, TimePoint since) const;

  Config config_;
  CallRng rng_;
  State state_ = State::kIdle;
  size_t turns_spoken_ = 0;
  size_t turn_limit_ = 0;
  size_t step_ = 0;  // kScript: the step now running
  // kListening
  TimePoint listen_since_{};
  TimePoint listen_deadline_{};
  bool hard_timeout_ = false;
  // kThinking
  Nanos think_{0};
  TimePoint speak_at_{};
  // kSpeaking
  size_t utterance_ = 0;
  size_t frame_ = 0;
  TimePoint voice_ended_{};
  // kPausing, kDtmf, kBargeWait
  TimePoint until_{};
  size_t digit_ = 0;
};

}  // namespace callsim
