// When a worker's calls start: on the plan's schedule (the ramp, an open model's arrivals) or,
// in the closed model, as finished calls are replaced (finish(), worker.cpp). With closed-model
// --stages the calls kept live follow the stages' steps instead of a count: a step up starts
// calls at once; a step down ends the calls that were due to end first, as a planned hang-up
// (stop, then close), so that ramping down never reads as a failure.
#include <algorithm>
#include <vector>

#include "run/basic_worker.h"

namespace callsim {

namespace {
// How soon a step down looks again at calls it could not end yet: one frame.
constexpr Nanos kUndecidedRetry = std::chrono::milliseconds(20);
}  // namespace

template <typename Client>
void BasicWorker<Client>::dial_or_wait(uint32_t slot, TimePoint now) {
  if (dial_backlog_.empty() && dialling_ < kDialsInFlight && dials_this_turn_ < kDialsPerTurn) {
    dial(slot, now);
    return;
  }
  dial_backlog_.push_back(slot);
  if (dialling_ < kDialsInFlight) request_dial_turn();
}

template <typename Client>
void BasicWorker<Client>::dial(uint32_t slot, TimePoint now) {
  Call& call = *slots_[slot];
  call.record.connect_started = now;
  call.dialling = true;
  ++dialling_;
  ++dials_this_turn_;
  if (http_) {
    call.state = Call::State::kWebhook;
    call.via_webhook = true;
    post_webhook(slot, settings_.webhook_url, HttpMethod::kPost, 0);
  } else {
    open_stream(slot, settings_.connect_url, now);
  }
}

template <typename Client>
void BasicWorker<Client>::request_dial_turn() {
  if (dial_turn_posted_ || dial_backlog_.empty()) return;
  dial_turn_posted_ = true;
  // Posted: it runs after the handlers already queued, the timer's frames among them.
  asio::post(io_, [this] {
    dial_turn_posted_ = false;
    dials_this_turn_ = 0;
    drain_dial_backlog(clock_.now());
  });
}

template <typename Client>
void BasicWorker<Client>::drain_dial_backlog(TimePoint now) {
  while (!dial_backlog_.empty() && dialling_ < kDialsInFlight && dials_this_turn_ < kDialsPerTurn &&
         !stopping_) {
    uint32_t slot = dial_backlog_.front();
    dial_backlog_.pop_front();
    dial(slot, now);
  }
  // Held by the handshakes in flight, the next turn comes when one of them ends.
  if (dialling_ < kDialsInFlight) request_dial_turn();
}

template <typename Client>
void BasicWorker<Client>::dial_ended(Call& call) {
  if (!call.dialling) return;
  call.dialling = false;
  --dialling_;
  if (!dial_backlog_.empty()) request_dial_turn();
}

template <typename Client>
void BasicWorker<Client>::schedule_next_launch(TimePoint now) {
  next_launch_ = TimePoint::max();
  if (plan_.staged_closed()) {
    schedule_next_step(now);
    return;
  }
  if (stopping_ || next_call_ >= plan_.calls_for(id_)) return;
  int64_t index = plan_.call_index(id_, next_call_);
  auto offset = plan_.scheduled_offset(index);
  if (!offset) return;  // a replacement call: it starts when a slot frees up
  next_launch_ = epoch_ + *offset;
  schedule(kLaunchSlot, next_launch_);
}

template <typename Client>
void BasicWorker<Client>::launch_due_calls(TimePoint now) {
  if (plan_.staged_closed()) {
    follow_stages(now);
    return;
  }
  while (!stopping_ && next_call_ < plan_.calls_for(id_)) {
    int64_t index = plan_.call_index(id_, next_call_);
    auto offset = plan_.scheduled_offset(index);
    if (!offset || epoch_ + *offset > now + kCoalesce) break;
    if (plan_.open_model()) {
      // An arrival keeps its time: one that finds this worker's share in flight is dropped.
      const bool starts = plan_.starts_arrival(id_, live_);
      ++(starts ? stats_.arrivals_started : stats_.arrivals_dropped);
      if (!starts) {
        ++next_call_;
        continue;
      }
    }
    connect(next_call_++, epoch_ + *offset, now);
  }
  schedule_next_launch(now);
}

template <typename Client>
void BasicWorker<Client>::schedule_next_step(TimePoint now) {
  next_launch_ = TimePoint::max();
  if (stopping_) return;
  // Steps within the coalescing slack were taken by this wake-up.
  const auto next = plan_.stages()->next_step_after(now + kCoalesce - epoch_);
  if (!next) return;
  next_launch_ = epoch_ + *next;
  schedule(kLaunchSlot, next_launch_);
}

template <typename Client>
bool BasicWorker<Client>::stages_want_replacement(TimePoint now) const {
  return live_ + replacements_posted_ < plan_.staged_calls_for(id_, now - epoch_);
}

template <typename Client>
void BasicWorker<Client>::follow_stages(TimePoint now) {
  const int64_t wanted = plan_.staged_calls_for(id_, now + kCoalesce - epoch_);
  // Calls already hanging up are leaving; they neither count against a step down nor block one up.
  std::vector<uint32_t> staying;
  int64_t leaving = 0, undecided = 0;
  for (uint32_t slot = 0; slot < slots_.size(); ++slot) {
    const Call& call = *slots_[slot];
    if (call.state == Call::State::kClosing || call.state == Call::State::kServerClosing) {
      ++leaving;
    } else if (call.state == Call::State::kStreaming && admission_decided(call, now)) {
      staying.push_back(slot);
    } else if (call.state != Call::State::kDone) {
      ++undecided;
    }
  }
  const int64_t placed = live_ + replacements_posted_ - leaving;
  for (int64_t more = wanted - placed; more > 0; --more) connect(next_call_++, now, now);
  int64_t excess = placed - wanted;
  // A step down waits until the server has decided every call in flight (answered it, turned
  // it away, or left it silent for the reject window); none is replaced meanwhile, as the calls
  // wanted fell. Ending calls while others are being admitted would free slots the server fills
  // in its own order, and the gauge would pass through counts the caller never had. A stop sent
  // before the server decided would also leave a call neither admitted nor turned away.
  if (excess > 0 && undecided == 0) {
    std::sort(staying.begin(), staying.end(), [this](uint32_t a, uint32_t b) {
      return slots_[a]->planned_hang_up < slots_[b]->planned_hang_up;
    });
    for (uint32_t slot : staying) {
      if (excess-- <= 0) break;
      Call& call = *slots_[slot];
      call.planned_hang_up = std::min(call.planned_hang_up, now);
      call.hang_up_at = call.planned_hang_up;
      service(slot, now);
    }
  }
  schedule_next_step(now);
  if (excess > 0 && !stopping_) {
    next_launch_ = std::min(next_launch_, now + kUndecidedRetry);
    schedule(kLaunchSlot, next_launch_);
  }
}

template <typename Client>
bool BasicWorker<Client>::admission_decided(const Call& call, TimePoint now) const {
  return call.record.first_server_message != TimePoint{} ||
         now >= call.record.start_sent + settings_.reject_window;
}

#define CALLSIM_INSTANTIATE_LAUNCH(Client)                                     \
  template void BasicWorker<Client>::dial_or_wait(uint32_t, TimePoint);        \
  template void BasicWorker<Client>::dial(uint32_t, TimePoint);                \
  template void BasicWorker<Client>::drain_dial_backlog(TimePoint);            \
  template void BasicWorker<Client>::request_dial_turn();                      \
  template void BasicWorker<Client>::dial_ended(Call&);                        \
  template void BasicWorker<Client>::schedule_next_launch(TimePoint);          \
  template void BasicWorker<Client>::launch_due_calls(TimePoint);              \
  template void BasicWorker<Client>::schedule_next_step(TimePoint);            \
  template bool BasicWorker<Client>::stages_want_replacement(TimePoint) const; \
  template void BasicWorker<Client>::follow_stages(TimePoint);                 \
  template bool BasicWorker<Client>::admission_decided(const Call&, TimePoint) const;
CALLSIM_INSTANTIATE_LAUNCH(WsClient)
CALLSIM_INSTANTIATE_LAUNCH(WssClient)

}  // namespace callsim
