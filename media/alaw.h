#pragma once

#include <cstdint>

namespace callsim::media {

// ITU-T G.711 A-law expansion, as in the ITU-T G.191 reference: 16-bit output, +-32256 at most.
// Only WAV reading needs it (format 6); callsim never sends A-law.
int16_t alaw_to_linear(uint8_t code);

}  // namespace callsim::media
