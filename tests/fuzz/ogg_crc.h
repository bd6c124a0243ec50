#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace callsim::fuzz {

// Rewrites the CRC of every complete Ogg page in `bytes`. libogg drops a page whose CRC is
// wrong, so without this almost every mutation of an Ogg Opus input dies in the page layer and
// the fuzzer never reaches the Opus headers, packets and granule logic behind it.
inline void fix_ogg_crcs(std::vector<uint8_t>& bytes) {
  static const auto table = [] {
    std::vector<uint32_t> t(256);
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t r = i << 24;
      for (int k = 0; k < 8; ++k) r = (r & 0x80000000u) ? (r << 1) ^ 0x04c11db7u : r << 1;
      t[i] = r;
    }
    return t;
  }();
  size_t pos = 0;
  while (pos + 27 <= bytes.size()) {
    if (bytes[pos] != 'O' || bytes[pos + 1] != 'g' || bytes[pos + 2] != 'g' ||
        bytes[pos + 3] != 'S') {
      ++pos;
      continue;
    }
    size_t segments = bytes[pos + 26];
    if (pos + 27 + segments > bytes.size()) return;
    size_t body = 0;
    for (size_t i = 0; i < segments; ++i) body += bytes[pos + 27 + i];
    size_t end = pos + 27 + segments + body;
    if (end > bytes.size()) return;
    for (size_t i = 22; i < 26; ++i) bytes[pos + i] = 0;
    uint32_t crc = 0;
    for (size_t i = pos; i < end; ++i) crc = (crc << 8) ^ table[((crc >> 24) ^ bytes[i]) & 0xff];
    for (size_t i = 0; i < 4; ++i) bytes[pos + 22 + i] = static_cast<uint8_t>(crc >> (8 * i));
    pos = end;
  }
}

}  // namespace callsim::fuzz
