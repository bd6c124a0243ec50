#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "bot/admission_pool.h"
#include "bot/bot_config.h"
#include "bot/counters.h"

namespace callsim::bot {

// Why a call's slot might be given back. Faults decide which of these actually release.
enum class EndEvent {
  kStop,            // the caller sent `stop`
  kClose,           // the WebSocket closed (either side, with or without `stop` before it)
  kStatusCallback,  // Twilio posted a terminal CallStatus
  kIdle,            // no inbound media for --fault idle-release
  kEarly,           // --fault early-release: the call is served, but its slot is given back
  kAbandoned,       // admitted, but whoever asked was gone by then
};

// One admitted call's hold on the cap.
struct Slot {
  std::string member;      // its identity in the gauge set: the CallSid, or ws-… for upgrades
  std::string call_sid;    // empty until known
  int releases = 0;        // how many times it was given back (more than 1 only with a fault)
  bool streaming = false;  // a WebSocket serves this call (webhook admission)
};

// Every slot the bot holds, the CallSid index that webhooks, streams and status callbacks
// meet in, and the release rules (faults included). Shared by all network threads.
class SlotLedger {
 public:
  SlotLedger(const BotConfig& config, Counters& counters, AdmissionPool& pool)
      : config_(config), counters_(counters), pool_(pool) {}

  // Reserves a CallSid for an admission about to run, so one CallSid never holds two slots.
  // False when the CallSid already holds a slot or has an admission in flight.
  bool reserve(const std::string& call_sid);
  void unreserve(const std::string& call_sid);

  // Records a slot the pool just granted; a non-empty call_sid must have been reserved.
  std::shared_ptr<Slot> admitted(std::string member, std::string call_sid);
  enum class Claim { kClaimed, kNotAdmitted, kAlreadyStreaming };
  // Hands the slot a webhook admitted for this CallSid to the stream that serves the call.
  // kNotAdmitted also covers a slot released before its stream started.
  Claim claim_for_stream(const std::string& call_sid, std::shared_ptr<Slot>& slot);
  // Makes a slot admitted before its CallSid was known (at the upgrade) findable by it.
  void bind_call_sid(const std::shared_ptr<Slot>& slot, const std::string& call_sid);
  std::shared_ptr<Slot> find(const std::string& call_sid);
  bool holds(const std::string& call_sid);

  // Applies an end event to a slot: releases it (after --fault release-delay) unless it was
  // released already or a fault says otherwise. Returns whether a release was issued.
  bool end(const std::shared_ptr<Slot>& slot, EndEvent event);

  // --fault release-on-completed: releases `member` although no slot of this ledger holds it.
  void release_unheld(std::string member);

  // Slots taken and not yet given back, as this process sees them.
  int64_t active() const { return active_.load(); }

 private:
  const BotConfig& config_;
  Counters& counters_;
  AdmissionPool& pool_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<Slot>> by_call_sid_;
  std::unordered_set<std::string> reserved_;
  std::atomic<int64_t> active_{0};
};

}  // namespace callsim::bot
