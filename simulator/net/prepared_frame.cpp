#include "prepared_frame.h"

#include <websocketpp/frame.hpp>

namespace callsim {

size_t PreparedTextSender::frame_size(size_t payload_size) {
  namespace frame = websocketpp::frame;
  return frame::get_header_len(frame::basic_header(frame::opcode::text, payload_size, true, true)) +
         payload_size;
}

void PreparedTextSender::release() {
  // websocketpp keeps a message until it is written; only then is this the last reference.
  while (!held_.empty() && held_.front().use_count() == 1) {
    held_bytes_ -= held_.front()->get_header().size() + held_.front()->get_payload().size();
    spare_ = std::move(held_.front());
    held_.pop_front();
  }
}

WsMessage PreparedTextSender::prepare(websocketpp::frame::opcode::value opcode,
                                      std::string_view text) {
  namespace frame = websocketpp::frame;
  release();
  WsMessage message;
  if (spare_ && spare_.use_count() == 1) {
    message = std::move(spare_);
    message->set_opcode(opcode);
  } else {
    message = std::make_shared<WsClientConfig::message_type>(nullptr, opcode, text.size());
  }
  spare_.reset();
  std::string& payload = message->get_raw_payload();
  payload.assign(text.data(), text.size());

  frame::masking_key_type key;
  key.i = rng_();
  frame::basic_header header(opcode, payload.size(), true, true);
  frame::extended_header extended(payload.size(), key.i);
  message->set_header(frame::prepare_header(header, extended));
  frame::word_mask_exact(reinterpret_cast<uint8_t*>(payload.data()), payload.size(), key);
  message->set_prepared(true);
  return message;
}

}  // namespace callsim
