#pragma once

#include <cstddef>
#include <cstdint>

namespace callsim::media {

// Levels in dBFS relative to a 16-bit full-scale sample (32768): a full-scale square wave is
// 0 dBFS RMS, a full-scale sine -3 dBFS. Silence is -infinity.
double to_dbfs(double amplitude);

// Mean of the squared decoded samples of a mu-law buffer (0 for an empty one).
double ulaw_mean_square(const uint8_t* ulaw, size_t bytes);

}  // namespace callsim::media
