#include "call_record.h"

namespace callsim {

const char* to_string(Outcome outcome) {
  switch (outcome) {
    case Outcome::kPending:
      return "pending";
    case Outcome::kCompleted:
      return "completed";
    case Outcome::kRejected:
      return "rejected";
    case Outcome::kRefused:
      return "refused";
    case Outcome::kHandshakeTimeout:
      return "handshake_timeout";
    case Outcome::kTlsError:
      return "tls_error";
    case Outcome::kClosedEarly:
      return "closed_early";
    case Outcome::kProtocolError:
      return "protocol_error";
    case Outcome::kDropped:
      return "dropped";
    case Outcome::kStoppedReading:
      return "stopped_reading";
    case Outcome::kInterrupted:
      return "interrupted";
    case Outcome::kCount:
      break;
  }
  return "unknown";
}

const char* to_string(RejectKind kind) {
  switch (kind) {
    case RejectKind::kNone:
      return "none";
    case RejectKind::kHttpStatus:
      return "http_status";
    case RejectKind::kClosedBeforeStart:
      return "closed_before_start";
    case RejectKind::kClosedAfterStart:
      return "closed_after_start";
    case RejectKind::kTwiml:
      return "twiml";
  }
  return "unknown";
}

bool is_failed_outcome(Outcome o) {
  return o == Outcome::kRefused || o == Outcome::kHandshakeTimeout || o == Outcome::kTlsError ||
         o == Outcome::kClosedEarly || o == Outcome::kProtocolError ||
         o == Outcome::kStoppedReading;
}

}  // namespace callsim
