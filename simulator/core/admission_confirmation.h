#pragma once

#include <algorithm>

#include "core/call_record.h"

namespace callsim {

// CallRecord::admission_confirmed for a stream call (start sent, no webhook): when the caller
// knew a start-time server had let it in, or nothing when the upgrade is the admission.
// `planned_hang_up` is when we meant to hang up (start + --hold), `window` is --reject-window.
inline TimePoint admission_confirmation(const CallRecord& call, TimePoint planned_hang_up,
                                        Nanos window) {
  if (call.start_sent == TimePoint{}) return {};
  TimePoint confirmed = call.start_sent + window;
  if (call.first_server_message != TimePoint{}) {
    confirmed = std::min(confirmed, call.first_server_message);
  }
  // A silent server that let the call run to our hang-up, planned inside the window, admitted
  // it: whether the window's end came microseconds before the hang-up must not decide when.
  bool held_to_our_hang_up_in_window =
      !call.closed_by_server && call.first_server_message == TimePoint{} &&
      planned_hang_up != TimePoint{} && planned_hang_up <= call.start_sent + window;
  if (held_to_our_hang_up_in_window) return {};
  // A call that ended before anything confirmed it counts from its upgrade.
  return confirmed < call.released_at() ? confirmed : TimePoint{};
}

}  // namespace callsim
