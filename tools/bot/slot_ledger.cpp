#include "bot/slot_ledger.h"

namespace callsim::bot {

bool SlotLedger::reserve(const std::string& call_sid) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (by_call_sid_.count(call_sid)) return false;
  return reserved_.insert(call_sid).second;
}

void SlotLedger::unreserve(const std::string& call_sid) {
  std::lock_guard<std::mutex> lock(mutex_);
  reserved_.erase(call_sid);
}

std::shared_ptr<Slot> SlotLedger::admitted(std::string member, std::string call_sid) {
  auto slot = std::make_shared<Slot>();
  slot->member = std::move(member);
  slot->call_sid = std::move(call_sid);
  active_++;
  std::lock_guard<std::mutex> lock(mutex_);
  if (!slot->call_sid.empty()) {
    reserved_.erase(slot->call_sid);
    by_call_sid_[slot->call_sid] = slot;
  }
  return slot;
}

SlotLedger::Claim SlotLedger::claim_for_stream(const std::string& call_sid,
                                               std::shared_ptr<Slot>& slot) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = by_call_sid_.find(call_sid);
  if (it == by_call_sid_.end() || it->second->releases > 0) return Claim::kNotAdmitted;
  if (it->second->streaming) return Claim::kAlreadyStreaming;
  it->second->streaming = true;
  slot = it->second;
  return Claim::kClaimed;
}

void SlotLedger::bind_call_sid(const std::shared_ptr<Slot>& slot, const std::string& call_sid) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!slot->call_sid.empty() || call_sid.empty() || by_call_sid_.count(call_sid)) return;
  slot->call_sid = call_sid;
  by_call_sid_[call_sid] = slot;
}

std::shared_ptr<Slot> SlotLedger::find(const std::string& call_sid) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = by_call_sid_.find(call_sid);
  return it == by_call_sid_.end() ? nullptr : it->second;
}

bool SlotLedger::holds(const std::string& call_sid) {
  std::lock_guard<std::mutex> lock(mutex_);
  return by_call_sid_.count(call_sid) || reserved_.count(call_sid);
}

bool SlotLedger::end(const std::shared_ptr<Slot>& slot, EndEvent event) {
  if (!slot) return false;
  const Faults& faults = config_.faults;
  std::string member;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    int allowed = faults.double_release ? 2 : 1;
    if (slot->releases >= allowed) return false;
    // The leaky service only cleans up in its `stop` handler: a stream that just closes
    // (TCP reset, close without stop, server-side timeout) keeps its slot forever.
    if (faults.leak_on_abrupt_close && event == EndEvent::kClose) {
      if (slot->releases == 0) counters_.leaked++;
      return false;
    }
    // That service's only release is its status callback handler.
    if (faults.release_on_completed && event != EndEvent::kStatusCallback &&
        event != EndEvent::kAbandoned) {
      return false;
    }
    slot->releases++;
    if (slot->releases == allowed && !slot->call_sid.empty()) {
      auto it = by_call_sid_.find(slot->call_sid);
      if (it != by_call_sid_.end() && it->second == slot) by_call_sid_.erase(it);
    }
    member = slot->member;
    if (slot->releases == 1) {
      active_--;
    } else {
      counters_.double_releases++;
    }
  }
  pool_.release(std::move(member), faults.release_delay);
  return true;
}

void SlotLedger::release_unheld(std::string member) {
  counters_.stray_releases++;
  pool_.release(std::move(member), config_.faults.release_delay);
}

}  // namespace callsim::bot
