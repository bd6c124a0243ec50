#pragma once

// Short forms for the test calls: call n has CallSid twilio_sid("CA", n), streamSid
// twilio_sid("MZ", n).

#include <cstdint>

#include "twilio_calls.h"
#include "twilio_json.h"

namespace callsim::bot::test {

inline std::string call_sid(uint64_t n) {
  return twilio_sid("CA", n);
}
inline std::string stream_sid(uint64_t n) {
  return twilio_sid("MZ", n);
}

// connected + start, as Twilio opens a stream.
template <typename Calls>
size_t place_call(Calls& callers, uint64_t n) {
  return callers.open({connected_json(), start_json(call_sid(n), stream_sid(n))});
}

// `stop` (the sequence number after start) and a normal close.
template <typename Calls>
void hang_up(Calls& callers, size_t call, uint64_t n, uint64_t sequence = 2) {
  callers.send(call, stop_json(stream_sid(n), sequence, call_sid(n)));
  callers.close(call);
}

inline bool is_closed(const TwilioCall& c) {
  return c.closed;
}

}  // namespace callsim::bot::test
