#include "conditions.h"

#include <algorithm>
#include <cmath>
#include <random>

#include "media/mulaw.h"

namespace callsim::vadbench {

namespace {

// Unit-variance noise of the given colour, one value per sample.
std::vector<double> make_noise(Condition::Noise colour, size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> gauss(0.0, 1.0);
  std::vector<double> out(n);
  // Paul Kellet's economy pink filter: three poles give -3 dB/octave within 0.5 dB over the band.
  double b0 = 0.0, b1 = 0.0, b2 = 0.0;
  for (size_t i = 0; i < n; ++i) {
    const double w = gauss(rng);
    if (colour == Condition::Noise::kPink) {
      b0 = 0.99765 * b0 + w * 0.0990460;
      b1 = 0.96300 * b1 + w * 0.2965164;
      b2 = 0.57000 * b2 + w * 1.0526913;
      out[i] = b0 + b1 + b2 + w * 0.1848;
    } else {
      out[i] = w;
    }
  }
  double sum = 0.0;
  for (double v : out) sum += v * v;
  const double scale = sum > 0.0 ? 1.0 / std::sqrt(sum / double(n)) : 0.0;
  for (double& v : out) v *= scale;
  return out;
}

}  // namespace

std::vector<Condition> standard_conditions() {
  using N = Condition::Noise;
  return {
      {"clean", N::kNone, 0.0, 0.0},        {"white 20dB", N::kWhite, 20.0, 0.0},
      {"white 10dB", N::kWhite, 10.0, 0.0}, {"pink 20dB", N::kPink, 20.0, 0.0},
      {"pink 10dB", N::kPink, 10.0, 0.0},   {"quiet -20dB", N::kNone, 0.0, -20.0},
  };
}

std::vector<uint8_t> render_ulaw(const LabelledSignal& signal, const Condition& condition,
                                 uint32_t seed) {
  const double gain = std::pow(10.0, condition.gain_db / 20.0);
  std::vector<double> noise;
  double noise_rms = 0.0;
  if (condition.noise != Condition::Noise::kNone) {
    noise = make_noise(condition.noise, signal.pcm.size(), seed);
    noise_rms =
        std::sqrt(speech_mean_square(signal, gain) / std::pow(10.0, condition.snr_db / 10.0));
  }
  std::vector<uint8_t> out(signal.pcm.size());
  for (size_t i = 0; i < out.size(); ++i) {
    double s = gain * signal.pcm[i];
    if (!noise.empty()) s += noise_rms * noise[i];
    const double clipped = std::clamp(std::round(s), -32768.0, 32767.0);
    out[i] = media::linear_to_ulaw(static_cast<int16_t>(clipped));
  }
  return out;
}

}  // namespace callsim::vadbench
