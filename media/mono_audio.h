#pragma once

#include <cstdint>
#include <vector>

namespace callsim::media {

// One channel of decoded audio at its source rate, full scale = +-1.0. Readers downmix while they
// decode so memory stays proportional to one channel.
struct MonoAudio {
  int sample_rate = 0;         // Hz
  std::vector<float> samples;  // [-1, 1); a 16-bit sample s is s / 32768 exactly
};

// Rounds to 16 bits, clipping what the resampler's ripple pushed past full scale.
std::vector<int16_t> to_pcm16(const std::vector<float>& samples);

}  // namespace callsim::media
