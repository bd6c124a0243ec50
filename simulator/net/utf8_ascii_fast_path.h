#pragma once
// websocketpp validates every text payload it receives with a byte-at-a-time UTF-8 state machine
// that stores its state to memory on each byte: 80 % of hybi13::consume, some 0.85 us of every
// received media message (a 500-call talking run's profile). Media Streams messages are ASCII
// JSON, so this skips eight ASCII bytes at a time while no multi-byte sequence is open and hands
// everything else to websocketpp's own state machine, byte for byte as before.
//
// It is an explicit specialization of the member template hybi13 instantiates, so it must be
// seen before that instantiation in every translation unit, or the program would hold two
// different definitions of one function. CMake force-includes this header wherever websocketpp is
// used (the callsim_websocket interface target), rather than trusting each file's include order.
#include <websocketpp/utf8_validator.hpp>

#define CALLSIM_UTF8_ASCII_FAST_PATH 1

#include <cstdint>
#include <cstring>
#include <string>

namespace websocketpp::utf8_validator {

// Validates [at, stop) from (state, codepoint), websocketpp's state machine resumed; false at the
// first byte it rejects. Also used on bytes that are not in a std::string
// (net/server_frame_scanner).
inline bool decode_ascii_fast(uint32_t& state, uint32_t& codepoint, const char* at,
                              const char* const stop) {
  constexpr uint64_t kHighBits = 0x8080808080808080ULL;
  while (at != stop) {
    if (state == utf8_accept) {
      for (uint64_t word; stop - at >= 8; at += 8) {
        std::memcpy(&word, at, sizeof word);
        if (word & kHighBits) break;
      }
      if (at == stop) break;
    }
    if (utf8_validator::decode(&state, &codepoint, static_cast<uint8_t>(*at++)) == utf8_reject) {
      return false;
    }
  }
  return true;
}

template <>
inline bool validator::decode<std::string::iterator>(std::string::iterator begin,
                                                     std::string::iterator end) {
  if (begin == end) return true;
  const char* at = &*begin;  // a string's iterators cover contiguous bytes
  return decode_ascii_fast(m_state, m_codepoint, at, at + (end - begin));
}

}  // namespace websocketpp::utf8_validator
