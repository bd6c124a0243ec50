// The bytes a server sends on a ws:// call, as the receive path sees them
// (net/server_frame_scanner.h): reads of any size, each either taken past websocketpp or passed
// to it. The first two bytes pick the read sizes, so the fuzzer explores split points.
//
// Checked against references written apart from the scanner:
// - a read is taken exactly when websocketpp stands at a frame boundary and the read is nothing
//   but whole plain text frames (restated below from RFC 6455 and websocketpp's rules, with
//   websocketpp's own byte-at-a-time UTF-8 state machine, not the ASCII fast path);
// - what is taken rebuilds the read byte for byte;
// - where websocketpp's frames end never depends on how the bytes were split: a second scanner
//   fed one byte at a time agrees at every read boundary.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <websocketpp/utf8_validator.hpp>

#include "fuzz_input.h"
#include "net/server_frame_scanner.h"

namespace {

bool valid_utf8_byte_at_a_time(std::string_view payload) {
  namespace utf8 = websocketpp::utf8_validator;
  uint32_t state = utf8::utf8_accept;
  uint32_t codepoint = 0;
  for (char c : payload) {
    if (utf8::decode(&state, &codepoint, static_cast<uint8_t>(c)) == utf8::utf8_reject) {
      return false;
    }
  }
  return state == utf8::utf8_accept;
}

// Whole, final, unmasked text frames with no RSV bits, lengths minimally encoded in 7 or 16
// bits, valid UTF-8, and nothing else.
bool only_plain_text_frames(std::string_view read) {
  if (read.empty()) return false;
  size_t at = 0;
  while (at < read.size()) {
    if (read.size() - at < 2) return false;
    auto byte = [&](size_t i) { return static_cast<uint8_t>(read[at + i]); };
    if (byte(0) != 0x81 || byte(1) >= 127) return false;
    size_t header = 2;
    size_t length = byte(1);
    if (length == 126) {
      if (read.size() - at < 4) return false;
      header = 4;
      length = size_t(byte(2)) * 256 + byte(3);
      if (length < 126) return false;
    }
    if (read.size() - at - header < length) return false;
    if (!valid_utf8_byte_at_a_time(read.substr(at + header, length))) return false;
    at += header + length;
  }
  return true;
}

std::string text_frame(std::string_view payload) {
  std::string frame(1, '\x81');
  if (payload.size() < 126) {
    frame += static_cast<char>(payload.size());
  } else {
    frame += '\x7e';
    frame += static_cast<char>(payload.size() >> 8);
    frame += static_cast<char>(payload.size() & 0xff);
  }
  frame.append(payload);
  return frame;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  std::string_view input(reinterpret_cast<const char*>(data) + 2, size - 2);
  callsim::ServerFrameScanner split;
  callsim::ServerFrameScanner byte_by_byte;
  size_t offset = 0;
  for (size_t read_index = 0; offset < input.size(); ++read_index) {
    size_t read_size = 1 + (data[0] + read_index * (1 + data[1])) % 128;
    std::string_view read = input.substr(offset, read_size);
    FUZZ_CHECK(split.at_boundary() == byte_by_byte.at_boundary(), input);
    bool should_take = split.at_boundary() && only_plain_text_frames(read);

    std::string rebuilt;
    bool taken = split.take_plain_text_frames(
        read, [&](std::string_view payload) { rebuilt += text_frame(payload); });
    FUZZ_CHECK(taken == should_take, input);
    FUZZ_CHECK(taken ? rebuilt == read : rebuilt.empty(), input);

    for (char c : read) byte_by_byte.note_passed(std::string_view(&c, 1));
    if (taken) FUZZ_CHECK(split.at_boundary() && byte_by_byte.at_boundary(), input);
    offset += read.size();
  }
  FUZZ_CHECK(split.at_boundary() == byte_by_byte.at_boundary(), input);
  return 0;
}
