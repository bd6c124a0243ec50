#include "media/mono_audio.h"

#include <cmath>

namespace callsim::media {

std::vector<int16_t> to_pcm16(const std::vector<float>& samples) {
  std::vector<int16_t> out(samples.size());
  for (size_t i = 0; i < samples.size(); ++i) {
    float scaled = std::nearbyint(samples[i] * 32768.0f);
    // Finite float samples near FLT_MAX become inf - inf = NaN in the resampler, and NaN has no
    // int16 value (UB; found by fuzz_audio_file): silence, as the WAV reader does for NaN.
    if (std::isnan(scaled)) scaled = 0.0f;
    if (scaled > 32767.0f) scaled = 32767.0f;
    if (scaled < -32768.0f) scaled = -32768.0f;
    out[i] = static_cast<int16_t>(scaled);
  }
  return out;
}

}  // namespace callsim::media
