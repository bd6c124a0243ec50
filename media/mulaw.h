#pragma once

#include <cstdint>

namespace callsim::media {

// ITU-T G.711 mu-law, bit-exact with the ITU-T G.191 reference implementation: the encoder keeps
// the 14 most significant bits of a 16-bit sample (negative values in one's complement, so the
// quantiser is symmetric) and the decoder returns reconstruction levels scaled to 16 bits
// (+-32124 at most). Twilio Media Streams carry this codec at 8 kHz.

// mu-law +0: what Twilio sends for digital silence, and what pads a clip's last frame.
constexpr uint8_t kUlawSilence = 0xFF;

uint8_t linear_to_ulaw(int16_t sample);
int16_t ulaw_to_linear(uint8_t code);

}  // namespace callsim::media
