#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "bot/admission.h"
#include "bot/bot_config.h"
#include "bot/conformance.h"
#include "bot/conversation.h"
#include "bot/counters.h"
#include "bot/slot_ledger.h"

namespace callsim::bot {

// What a session needs from the network thread that owns its WebSocket.
class SessionPort {
 public:
  virtual ~SessionPort() = default;
  virtual void send_text(std::string_view text) = 0;
  // Bytes queued for the caller and not yet written to the socket.
  virtual size_t buffered_bytes() const = 0;
  virtual void close(uint16_t code, const std::string& reason) = 0;
  // Starts an admission for the CallSid (already reserved in the ledger); the answer arrives
  // through Session::on_admission.
  virtual void request_admission(const std::string& call_sid) = 0;
};

struct SessionContext {
  const BotConfig& config;
  Counters& counters;
  SlotLedger& ledger;
  const Voice* voice;  // null when --silent
  // Streams being served (state kServing) across the bot: the load in --think-per-call.
  std::atomic<int64_t>& serving_calls;
};

// One Media Streams WebSocket, as a production bot handles it: wait for `start` (closing 1000
// "No START event" after the timeout), find or take the call's slot depending on --admit-at,
// talk, and give the slot back when the call ends. Every caller message is also checked
// against Twilio's format. All methods run on the owning network thread.
class Session : private Outbox {
 public:
  using Clock = std::chrono::steady_clock;

  // Outbound speech is dropped rather than queued beyond this (a caller that does not read).
  static constexpr size_t kMaxBufferedBytes = 512 * 1024;
  // Message-rate limit: a token bucket of this size refilled at this rate (Twilio sends 50/s).
  static constexpr double kFloodBurst = 500;
  static constexpr double kFloodPerSecond = 250;
  // After `stop`, the caller should close; the bot closes 1000 itself after this long.
  static constexpr std::chrono::seconds kLingerAfterStop{5};
  static constexpr size_t kBusyPromptFrames = 40;  // 0.8 s of --reject-with busy-prompt audio
  static constexpr std::chrono::seconds kBusyEchoGrace{5};

  // `slot` is the one taken at the upgrade (--admit-at upgrade), else null.
  Session(const SessionContext& context, SessionPort& port, Clock::time_point opened,
          std::shared_ptr<Slot> slot);
  ~Session() override;

  void on_text(std::string_view text, Clock::time_point now);
  void on_binary(Clock::time_point now);
  void on_tick(Clock::time_point now);
  // The verdict for --admit-at start; `slot` is set when admitted.
  void on_admission(Verdict verdict, std::shared_ptr<Slot> slot, Clock::time_point now);
  // The socket is gone. `local_close_code` is the code the bot's side closed with, if any.
  void on_closed(Clock::time_point now, uint16_t local_close_code);

  // "call CA… stream MZ… outcome=…", for the per-call log line.
  std::string summary(Clock::time_point now) const;

 private:
  enum class State {
    kAwaitingStart,
    kAdmitting,  // --admit-at start: the verdict is pending
    kServing,
    kBusyPrompt,  // over the cap: playing the busy prompt, closing 1013 once its mark is echoed
    kEnded,       // stopped, refused or released: reads on, says nothing
  };

  // Every state change goes through here, so serving_calls counts kServing exactly.
  void set_state(State next);
  void handle_start(const CallerMessage& start, Clock::time_point now);
  void serve(Clock::time_point now);
  void play_busy_prompt(Clock::time_point now);
  void finish(const char* outcome, uint16_t close_code, const std::string& reason);
  void end_slot(EndEvent event);
  bool within_rate(Clock::time_point now);
  void record(const DeviationSet& found);

  void send_media(std::string_view payload_base64) override;
  void send_mark(std::string_view name) override;
  void send_clear() override;
  void note_answer(Nanos pause) override;
  void note_barge_in() override;
  void note_stall() override;

  const SessionContext& context_;
  SessionPort& port_;
  Clock::time_point opened_;
  std::shared_ptr<Slot> slot_;
  State state_ = State::kAwaitingStart;
  const char* outcome_ = "closed-before-start";
  bool closing_ = false;  // the bot closed the socket: later messages are ignored

  ConformanceChecker checker_;
  std::optional<Conversation> conversation_;

  std::string call_sid_;
  std::string stream_sid_;
  std::string stream_sid_json_;  // the streamSid as a quoted, escaped JSON string
  std::string out_;              // reused for every outbound message

  Clock::time_point last_media_;
  Clock::time_point served_at_;
  bool released_early_ = false;
  std::optional<Clock::time_point> linger_until_;
  Clock::time_point busy_deadline_;
  double flood_tokens_ = kFloodBurst;
  Clock::time_point flood_refilled_;
  uint64_t frames_in_ = 0;
  uint64_t frames_out_ = 0;
};

}  // namespace callsim::bot
