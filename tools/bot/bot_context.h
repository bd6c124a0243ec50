#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

#include "bot/admission_pool.h"
#include "bot/bot_config.h"
#include "bot/conversation.h"
#include "bot/counters.h"
#include "bot/slot_ledger.h"

namespace callsim::bot {

// What every network thread of one bot shares. The members are thread-safe or read-only.
struct BotContext {
  const BotConfig& config;
  Counters& counters;
  AdmissionPool& pool;
  SlotLedger& ledger;
  const Voice* voice;        // null when --silent
  std::string instance_tag;  // tells this process's upgrade slots (ws-<tag>-<n>) from others'
  std::atomic<uint64_t> next_id{1};
  std::atomic<int64_t> open_streams{0};
  std::atomic<int64_t> serving_calls{0};  // sessions in their conversation (see Session)
  std::atomic<bool> shutting_down{false};

  void log(std::string_view line) const {
    if (config.log) config.log(line);
  }
};

}  // namespace callsim::bot
