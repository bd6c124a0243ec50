#include "media/mulaw.h"

#include <array>

namespace callsim::media {

namespace {

// Mu-law adds this bias (33 in 14-bit units) so every segment boundary is a power of two.
constexpr int kBias14 = 33;
constexpr int kMaxBiased14 = 0x1FFF;

constexpr int16_t decode(uint8_t code) {
  int inverted = ~code & 0xFF;
  int exponent = (inverted >> 4) & 0x07;
  int mantissa = inverted & 0x0F;
  int step = 4 << (exponent + 1);
  int magnitude = (0x80 << exponent) + step * mantissa + step / 2 - 4 * kBias14;
  return static_cast<int16_t>((code & 0x80) ? magnitude : -magnitude);
}

constexpr std::array<int16_t, 256> make_decode_table() {
  std::array<int16_t, 256> table{};
  for (int code = 0; code < 256; ++code) table[code] = decode(static_cast<uint8_t>(code));
  return table;
}

constexpr std::array<int16_t, 256> kDecodeTable = make_decode_table();

}  // namespace

uint8_t linear_to_ulaw(int16_t sample) {
  // One's complement for negatives keeps -1 and 0 in the same (zero) quantisation interval.
  int magnitude14 = (sample < 0 ? (~sample >> 2) : (sample >> 2)) + kBias14;
  if (magnitude14 > kMaxBiased14) magnitude14 = kMaxBiased14;

  int segment = 1;
  for (int rest = magnitude14 >> 6; rest != 0; rest >>= 1) ++segment;
  int high_nibble = 8 - segment;
  int low_nibble = 0x0F - ((magnitude14 >> segment) & 0x0F);
  int code = (high_nibble << 4) | low_nibble;
  if (sample >= 0) code |= 0x80;
  return static_cast<uint8_t>(code);
}

int16_t ulaw_to_linear(uint8_t code) {
  return kDecodeTable[code];
}

}  // namespace callsim::media
