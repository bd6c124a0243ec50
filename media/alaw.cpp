#include "media/alaw.h"

namespace callsim::media {

int16_t alaw_to_linear(uint8_t code) {
  // A-law transmits every even bit inverted.
  int toggled = (code ^ 0x55) & 0x7F;
  int exponent = toggled >> 4;
  int mantissa = toggled & 0x0F;
  if (exponent > 0) mantissa += 16;
  mantissa = (mantissa << 4) + 8;
  if (exponent > 1) mantissa <<= exponent - 1;
  return static_cast<int16_t>(code > 127 ? mantissa : -mantissa);
}

}  // namespace callsim::media
