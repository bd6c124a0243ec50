#pragma once

// Follows the bytes a server sends on one connection (the HTTP upgrade response, then WebSocket
// frames) without consuming them, so the receive path can tell when websocketpp's parser stands
// at a frame boundary, and can take a run of bytes that is nothing but whole, unfragmented,
// unmasked text frames past websocketpp.
//
// Why: at 500 talking calls websocketpp's per-frame work (its frame loop, a message allocation,
// a std::function and a shared_ptr per read) was about 1.7 us of a received frame's cost. Every
// run that is not that plain case (control frames, fragments, binary, large or invalid frames,
// partial frames, invalid UTF-8) still goes to websocketpp whole, and this scanner only records
// where its frames end.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace callsim {

class ServerFrameScanner {
 public:
  // True when `run` is one or more whole text frames websocketpp would deliver as they are:
  // FIN set, no RSV bits, unmasked, a minimally encoded length under 64 KiB, valid UTF-8, and
  // websocketpp's parser at a frame boundary with no fragmented message open. Then `deliver` is
  // called with each payload in order. Otherwise nothing is delivered and the run is noted as
  // passed to websocketpp.
  template <typename Deliver>
  bool take_plain_text_frames(std::string_view run, Deliver&& deliver) {
    if (!plain_text_frames(run)) {
      note_passed(run);
      return false;
    }
    size_t at = 0;
    while (at < run.size()) {
      Frame frame = plain_text_frame_at(run, at);
      deliver(run.substr(frame.payload_at, frame.payload_size));
      at = frame.payload_at + frame.payload_size;
    }
    return true;
  }

  // Bytes websocketpp consumes itself.
  void note_passed(std::string_view run);

  // websocketpp's parser is between frames, outside any fragmented message.
  bool at_boundary() const {
    return phase_ == Phase::kFrames && header_size_ == 0 && payload_left_ == 0 && !in_fragments_;
  }

 private:
  struct Frame {
    size_t payload_at = 0;
    size_t payload_size = 0;
    bool plain = false;
  };
  enum class Phase { kHttp, kFrames, kLost };

  bool plain_text_frames(std::string_view run) const;
  static Frame plain_text_frame_at(std::string_view run, size_t at);
  void note_header_byte(uint8_t byte);

  Phase phase_ = Phase::kHttp;
  // The end of the HTTP response: how many bytes of "\r\n\r\n" the bytes so far end with.
  int http_terminator_matched_ = 0;
  uint8_t header_[14] = {};
  size_t header_size_ = 0;
  uint64_t payload_left_ = 0;
  bool in_fragments_ = false;
};

}  // namespace callsim
