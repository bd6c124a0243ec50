#include "media/resampler.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <stdexcept>

namespace callsim::media {

namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kStopbandDb = 80.0;
// Passband edge and stopband edge as fractions of the lower Nyquist frequency; the cutoff
// (-6 dB) lies halfway between them.
constexpr double kPassbandEdge = 0.85;
constexpr double kStopbandEdge = 1.0;
// Rates like 44100 -> 8000 need 80 exact phases; odd rates could need thousands. Past this many
// the kernel is interpolated linearly between tabulated phases, which is accurate far below the
// 16-bit noise floor.
constexpr int64_t kMaxPhases = 1024;

double bessel_i0(double x) {
  double sum = 1.0;
  double term = 1.0;
  for (int k = 1; k < 64; ++k) {
    double factor = x / (2.0 * k);
    term *= factor * factor;
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

// The low-pass kernel: one row of taps per tabulated fractional position.
class Kernel {
 public:
  Kernel(int in_rate, int out_rate, int64_t phases) : phases_(phases) {
    double nyquist = 0.5 * std::min(in_rate, out_rate);
    double cutoff = 0.5 * (kPassbandEdge + kStopbandEdge) * nyquist / in_rate;  // cycles/sample
    double transition = (kStopbandEdge - kPassbandEdge) * nyquist / in_rate;
    double beta = 0.1102 * (kStopbandDb - 8.7);
    double length = (kStopbandDb - 8.0) / (2.285 * 2.0 * kPi * transition);
    half_ = static_cast<int>(std::ceil(length / 2.0));
    taps_ = 2 * half_;

    double window_norm = bessel_i0(beta);
    coefficients_.resize(static_cast<size_t>((phases_ + 1) * taps_));
    for (int64_t phase = 0; phase <= phases_; ++phase) {
      double fraction = static_cast<double>(phase) / static_cast<double>(phases_);
      float* row = &coefficients_[static_cast<size_t>(phase * taps_)];
      double sum = 0.0;
      std::vector<double> values(static_cast<size_t>(taps_));
      for (int k = 0; k < taps_; ++k) {
        double t = (k - half_ + 1) - fraction;  // input sample position relative to the output
        double x = t / half_;
        double window =
            std::abs(x) >= 1.0 ? 0.0 : bessel_i0(beta * std::sqrt(1.0 - x * x)) / window_norm;
        double arg = 2.0 * cutoff * t;
        double sinc = arg == 0.0 ? 1.0 : std::sin(kPi * arg) / (kPi * arg);
        values[static_cast<size_t>(k)] = 2.0 * cutoff * sinc * window;
        sum += values[static_cast<size_t>(k)];
      }
      // Unit gain at DC for every phase, so a constant signal stays exactly constant.
      for (int k = 0; k < taps_; ++k)
        row[k] = static_cast<float>(values[static_cast<size_t>(k)] / sum);
    }
  }

  int half() const { return half_; }
  int taps() const { return taps_; }
  const float* row(int64_t phase) const {
    return &coefficients_[static_cast<size_t>(phase * taps_)];
  }

 private:
  int64_t phases_;
  int half_ = 0;
  int taps_ = 0;
  std::vector<float> coefficients_;
};

float dot(const float* x, const float* h, int n) {
  float acc = 0.0f;
  for (int k = 0; k < n; ++k) acc += x[k] * h[k];
  return acc;
}

}  // namespace

std::vector<float> resample(const std::vector<float>& in, int in_rate, int out_rate) {
  if (in_rate <= 0 || out_rate <= 0)
    throw std::invalid_argument("resample: rates must be positive");
  if (in_rate == out_rate || in.empty()) return in;

  int64_t divisor = std::gcd(in_rate, out_rate);
  int64_t up = out_rate / divisor;   // L
  int64_t down = in_rate / divisor;  // M
  int64_t phases = std::min(up, kMaxPhases);
  Kernel kernel(in_rate, out_rate, phases);

  const int half = kernel.half();
  std::vector<float> padded(in.size() + 2 * static_cast<size_t>(half), 0.0f);
  std::copy(in.begin(), in.end(), padded.begin() + half);

  uint64_t out_size = (static_cast<uint64_t>(in.size()) * up + down - 1) / down;
  std::vector<float> out(out_size);
  for (uint64_t n = 0; n < out_size; ++n) {
    uint64_t position = n * static_cast<uint64_t>(down);  // input time n * M / L, in units of 1/L
    uint64_t base = position / up;
    uint64_t remainder = position % up;
    // padded[base + 1] is input sample base - half + 1, the kernel's first tap.
    const float* x = &padded[base + 1];
    uint64_t scaled = remainder * static_cast<uint64_t>(phases);
    int64_t phase = static_cast<int64_t>(scaled / up);
    uint64_t weight_num = scaled % up;
    float y = dot(x, kernel.row(phase), kernel.taps());
    if (weight_num != 0) {
      float weight = static_cast<float>(static_cast<double>(weight_num) / static_cast<double>(up));
      y += weight * (dot(x, kernel.row(phase + 1), kernel.taps()) - y);
    }
    out[n] = y;
  }
  return out;
}

}  // namespace callsim::media
