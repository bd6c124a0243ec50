#include "prepared_frame.h"

#include <websocketpp/frame.hpp>

namespace callsim {

const WsMessage& PreparedTextSender::prepare(std::string_view text) {
  namespace frame = websocketpp::frame;
  // websocketpp keeps the message until it is written; reuse it only once it has let go.
  if (!message_ || message_.use_count() > 1) {
    message_ =
        std::make_shared<WsClientConfig::message_type>(nullptr, frame::opcode::text, text.size());
  }
  std::string& payload = message_->get_raw_payload();
  payload.assign(text.data(), text.size());

  frame::masking_key_type key;
  key.i = rng_();
  frame::basic_header header(frame::opcode::text, payload.size(), true, true);
  frame::extended_header extended(payload.size(), key.i);
  message_->set_header(frame::prepare_header(header, extended));
  frame::word_mask_exact(reinterpret_cast<uint8_t*>(payload.data()), payload.size(), key);
  message_->set_prepared(true);
  return message_;
}

}  // namespace callsim
