#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "bot/bot_config.h"
#include "bot/counters.h"

namespace callsim::bot {

struct BotContext;
class AdmissionPool;
class SlotLedger;
class Lane;
struct Voice;

// The reference bot: a Twilio Media Streams server with switchable admission strategies and
// faults, running as soon as it is constructed. Usable in-process (tests start it on port 0,
// read port(), stop it) and by the callsim-bot binary.
class Bot {
 public:
  // Throws InputError for a bad configuration, an unreadable greeting/answer or an address that
  // cannot be bound, UnreachableError when Redis cannot be reached.
  explicit Bot(BotConfig config);
  ~Bot();
  Bot(const Bot&) = delete;
  Bot& operator=(const Bot&) = delete;

  uint16_t port() const { return port_; }
  const BotConfig& config() const { return config_; }
  const Counters& counters() const { return counters_; }
  // Slots taken and not given back, as the bot sees them (the Redis gauge may differ: faults).
  int64_t active_calls() const;
  std::string health_details_json() const;

  // Stops accepting, closes every stream (1001) so their slots are released, runs pending
  // releases (delayed ones included) and joins every thread. Idempotent.
  void stop();

 private:
  BotConfig config_;
  Counters counters_;
  std::unique_ptr<Voice> voice_;
  std::unique_ptr<AdmissionPool> pool_;
  std::unique_ptr<SlotLedger> ledger_;
  std::unique_ptr<BotContext> context_;
  std::vector<std::unique_ptr<Lane>> lanes_;
  uint16_t port_ = 0;
  std::mutex stop_mutex_;
  bool stopped_ = false;
};

// The bundled fixtures, used when --greeting / --answer are not given.
std::string default_greeting_path();
std::string default_answer_path();

}  // namespace callsim::bot
