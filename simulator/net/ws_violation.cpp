#include "net/ws_violation.h"

#include <utility>

#include <websocketpp/close.hpp>
#include <websocketpp/processors/base.hpp>
#include <websocketpp/utf8_validator.hpp>

namespace callsim {

std::string ws_violation_kind(const std::string& local_close_reason) {
  namespace pe = websocketpp::processor::error;
  static const std::pair<pe::processor_errors, const char*> kKinds[] = {
      {pe::protocol_violation, "protocol_violation"},
      {pe::message_too_big, "message_too_big"},
      {pe::invalid_payload, "invalid_payload"},
      {pe::invalid_opcode, "invalid_opcode"},
      {pe::control_too_big, "control_too_big"},
      {pe::invalid_rsv_bit, "invalid_rsv_bit"},
      {pe::fragmented_control, "fragmented_control"},
      {pe::invalid_continuation, "invalid_continuation"},
      {pe::masking_required, "masking_required"},
      {pe::masking_forbidden, "masking_forbidden"},
      {pe::non_minimal_encoding, "non_minimal_encoding"},
      {pe::requires_64bit, "requires_64bit"},
      {pe::invalid_utf8, "invalid_utf8"},
      {pe::reserved_close_code, "invalid_close_code"},
      {pe::invalid_close_code, "invalid_close_code"},
  };
  if (local_close_reason.empty()) return "";
  for (const auto& [code, kind] : kKinds) {
    if (local_close_reason == pe::make_error_code(code).message()) return kind;
  }
  // websocketpp acknowledges a malformed close frame with these fixed reasons
  // (connection_impl.hpp, process_control_frame).
  if (local_close_reason == "Invalid close code") return "invalid_close_code";
  if (local_close_reason == "Invalid close reason") return "invalid_close_reason";
  return "";
}

std::string close_frame_violation(uint16_t code, const std::string& reason) {
  namespace cs = websocketpp::close::status;
  if (code == cs::no_status || code == cs::abnormal_close) return "";
  if (cs::invalid(code) || cs::reserved(code)) return "invalid_close_code";
  if (!websocketpp::utf8_validator::validate(reason)) return "invalid_close_reason";
  return "";
}

}  // namespace callsim
