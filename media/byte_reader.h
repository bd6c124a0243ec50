#pragma once

#include <cstdint>
#include <cstring>

namespace callsim::media {

// Little-endian field access for container parsers. Callers check bounds first.
inline uint16_t read_le16(const uint8_t* p) {
  return static_cast<uint16_t>(p[0] | (p[1] << 8));
}
inline uint32_t read_le32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) | (static_cast<uint32_t>(p[1]) << 8) |
         (static_cast<uint32_t>(p[2]) << 16) | (static_cast<uint32_t>(p[3]) << 24);
}
inline bool has_tag(const uint8_t* p, const char* tag) {
  return std::memcmp(p, tag, 4) == 0;
}

}  // namespace callsim::media
