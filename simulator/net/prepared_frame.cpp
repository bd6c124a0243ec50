#include "prepared_frame.h"

#include <sys/socket.h>
#include <sys/types.h>

#include <cstdint>
#include <cstring>

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

namespace {

// Copies `size` bytes masked with `key`, eight at a time. The payload starts 6 or 8 bytes into
// the frame, so websocketpp's word_mask_exact, which loads size_t through a cast, would read it
// misaligned (undefined behaviour); memcpy loads are the unaligned moves x86 does anyway.
void mask_into(char* out, const char* in, size_t size, websocketpp::frame::masking_key_type key) {
  uint64_t key8;
  std::memcpy(&key8, key.c, 4);
  std::memcpy(reinterpret_cast<char*>(&key8) + 4, key.c, 4);
  size_t i = 0;
  for (; i + 8 <= size; i += 8) {
    uint64_t word;
    std::memcpy(&word, in + i, 8);
    word ^= key8;
    std::memcpy(out + i, &word, 8);
  }
  for (; i < size; ++i) out[i] = static_cast<char>(in[i] ^ key.c[i % 4]);
}

}  // namespace

void PreparedTextSender::frame(websocketpp::frame::opcode::value opcode, std::string_view payload) {
  namespace frame = websocketpp::frame;
  frame::masking_key_type key;
  key.i = rng_();
  frame::basic_header header(opcode, payload.size(), true, true);
  frame::extended_header extended(payload.size(), key.i);
  const size_t header_size = frame::get_header_len(header);
  wire_.resize(header_size + payload.size());
  char* out = wire_.data();
  out[0] = static_cast<char>(header.b0);
  out[1] = static_cast<char>(header.b1);
  std::memcpy(out + frame::BASIC_HEADER_LENGTH, extended.bytes,
              header_size - frame::BASIC_HEADER_LENGTH);
  mask_into(out + header_size, payload.data(), payload.size(), key);
}

size_t PreparedTextSender::write_directly(int fd) {
  // MSG_DONTWAIT: never block the worker, whatever asio left the descriptor's own flag at.
  ssize_t sent = ::send(fd, wire_.data(), wire_.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
  return sent > 0 ? static_cast<size_t>(sent) : 0;
}

WsMessage PreparedTextSender::unwritten_message(size_t written) {
  release();
  WsMessage message;
  if (spare_ && spare_.use_count() == 1) {
    message = std::move(spare_);
  } else {
    message = std::make_shared<WsClientConfig::message_type>(
        nullptr, websocketpp::frame::opcode::text, wire_.size());
  }
  spare_.reset();
  // The frame's bytes as they go on the wire, header included: websocketpp writes a prepared
  // message's header and payload one after the other and looks at nothing else of it.
  message->set_header(std::string());
  message->get_raw_payload().assign(wire_.data() + written, wire_.size() - written);
  message->set_prepared(true);
  return message;
}

}  // namespace callsim
