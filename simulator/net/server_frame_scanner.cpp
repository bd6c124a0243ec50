#include "net/server_frame_scanner.h"

#include <algorithm>

// The ASCII fast path is force-included with websocketpp (simulator/net/utf8_ascii_fast_path.h).
#include <websocketpp/utf8_validator.hpp>

namespace callsim {

namespace {

constexpr uint8_t kFinText = 0x81;
constexpr uint8_t kMaskBit = 0x80;
constexpr uint8_t kLength16 = 126;
constexpr uint8_t kLength64 = 127;

bool valid_utf8(std::string_view payload) {
  namespace utf8 = websocketpp::utf8_validator;
  uint32_t state = utf8::utf8_accept;
  uint32_t codepoint = 0;
  return utf8::decode_ascii_fast(state, codepoint, payload.data(),
                                 payload.data() + payload.size()) &&
         state == utf8::utf8_accept;
}

// The header's size once its first two bytes are known (without the payload).
size_t header_size(uint8_t second) {
  size_t size = 2;
  uint8_t length = second & 0x7f;
  if (length == kLength16) size += 2;
  if (length == kLength64) size += 8;
  if (second & kMaskBit) size += 4;
  return size;
}

}  // namespace

ServerFrameScanner::Frame ServerFrameScanner::plain_text_frame_at(std::string_view run, size_t at) {
  Frame frame;
  if (run.size() - at < 2) return frame;
  auto byte = [&](size_t i) { return static_cast<uint8_t>(run[at + i]); };
  if (byte(0) != kFinText || (byte(1) & kMaskBit) != 0) return frame;
  uint8_t length = byte(1);
  if (length < kLength16) {
    frame.payload_at = at + 2;
    frame.payload_size = length;
  } else if (length == kLength16) {
    if (run.size() - at < 4) return frame;
    frame.payload_at = at + 4;
    frame.payload_size = (size_t(byte(2)) << 8) | byte(3);
    // websocketpp refuses a 16-bit length that fits the 7-bit field.
    if (frame.payload_size < kLength16) return frame;
  } else {
    return frame;
  }
  frame.plain = run.size() - frame.payload_at >= frame.payload_size;
  return frame;
}

bool ServerFrameScanner::plain_text_frames(std::string_view run) const {
  if (!at_boundary() || run.empty()) return false;
  size_t at = 0;
  while (at < run.size()) {
    Frame frame = plain_text_frame_at(run, at);
    if (!frame.plain || !valid_utf8(run.substr(frame.payload_at, frame.payload_size))) {
      return false;
    }
    at = frame.payload_at + frame.payload_size;
  }
  return true;
}

void ServerFrameScanner::note_passed(std::string_view run) {
  size_t at = 0;
  while (at < run.size() && phase_ == Phase::kHttp) {
    static constexpr char kTerminator[] = "\r\n\r\n";
    char c = run[at++];
    if (c == kTerminator[http_terminator_matched_]) {
      if (++http_terminator_matched_ == 4) phase_ = Phase::kFrames;
    } else {
      http_terminator_matched_ = c == '\r' ? 1 : 0;
    }
  }
  while (at < run.size() && phase_ == Phase::kFrames) {
    if (payload_left_ > 0) {
      uint64_t skipped = std::min<uint64_t>(payload_left_, run.size() - at);
      payload_left_ -= skipped;
      at += skipped;
      continue;
    }
    note_header_byte(static_cast<uint8_t>(run[at++]));
  }
}

void ServerFrameScanner::note_header_byte(uint8_t byte) {
  header_[header_size_++] = byte;
  if (header_size_ < 2 || header_size_ < header_size(header_[1])) return;
  uint8_t first = header_[0];
  uint8_t opcode = first & 0x0f;
  bool fin = first & 0x80;
  bool control = opcode >= 0x8;
  bool known = opcode <= 0x2 || (opcode >= 0x8 && opcode <= 0xa);
  // websocketpp fails the connection on any of these; nothing after them is followed.
  if (!known || (first & 0x70) != 0 || (control && !fin)) {
    phase_ = Phase::kLost;
    return;
  }
  uint64_t length = header_[1] & 0x7f;
  if (length == kLength16) length = (uint64_t(header_[2]) << 8) | header_[3];
  if (length == kLength64) {
    length = 0;
    for (int i = 2; i < 10; ++i) length = (length << 8) | header_[i];
  }
  if (!control) {
    // A continuation outside a fragmented message, or a new message inside one.
    if ((opcode == 0x0) != in_fragments_) {
      phase_ = Phase::kLost;
      return;
    }
    in_fragments_ = !fin;
  }
  payload_left_ = length;
  header_size_ = 0;
}

}  // namespace callsim
