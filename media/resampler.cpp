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
// 16-bit noise floor. Very high input rates need long kernels but, being smooth at that rate,
// fewer phases: the table is held to about a million coefficients.
constexpr int64_t kMaxPhases = 1024;
constexpr int64_t kMinInterpolatedPhases = 128;
constexpr int64_t kCoefficientBudget = int64_t{1} << 20;

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

// Length and cutoff of the low-pass, in input samples, from the Kaiser design formulas.
struct KernelShape {
  double cutoff = 0.0;  // -6 dB point, cycles per input sample
  double beta = 0.0;    // Kaiser window parameter
  int half = 0;         // taps each side of the output position
};

KernelShape kernel_shape(int in_rate, int out_rate) {
  KernelShape shape;
  double nyquist = 0.5 * std::min(in_rate, out_rate);
  shape.cutoff = 0.5 * (kPassbandEdge + kStopbandEdge) * nyquist / in_rate;
  double transition = (kStopbandEdge - kPassbandEdge) * nyquist / in_rate;
  shape.beta = 0.1102 * (kStopbandDb - 8.7);
  double length = (kStopbandDb - 8.0) / (2.285 * 2.0 * kPi * transition);
  shape.half = static_cast<int>(std::ceil(length / 2.0));
  return shape;
}

// The windowed sinc tabulated at `phases` + 1 evenly spaced fractional positions in [0, 1].
class Kernel {
 public:
  Kernel(const KernelShape& shape, int64_t phases) : taps_(2 * shape.half) {
    const double window_norm = bessel_i0(shape.beta);
    std::vector<double> values(static_cast<size_t>(taps_));
    coefficients_.resize(static_cast<size_t>((phases + 1) * taps_));
    for (int64_t phase = 0; phase <= phases; ++phase) {
      double fraction = static_cast<double>(phase) / static_cast<double>(phases);
      double sum = 0.0;
      for (int k = 0; k < taps_; ++k) {
        double t = (k - shape.half + 1) - fraction;  // input position relative to the output's
        double x = t / shape.half;
        double window =
            std::abs(x) >= 1.0 ? 0.0 : bessel_i0(shape.beta * std::sqrt(1.0 - x * x)) / window_norm;
        double arg = 2.0 * shape.cutoff * t;
        double sinc = arg == 0.0 ? 1.0 : std::sin(kPi * arg) / (kPi * arg);
        values[static_cast<size_t>(k)] = 2.0 * shape.cutoff * sinc * window;
        sum += values[static_cast<size_t>(k)];
      }
      // Unit gain at DC for every phase, so a constant signal stays exactly constant.
      float* row = &coefficients_[static_cast<size_t>(phase * taps_)];
      for (int k = 0; k < taps_; ++k)
        row[k] = static_cast<float>(values[static_cast<size_t>(k)] / sum);
    }
  }

  int taps() const { return taps_; }
  const float* row(int64_t phase) const {
    return &coefficients_[static_cast<size_t>(phase * taps_)];
  }

 private:
  int taps_;
  std::vector<float> coefficients_;
};

// Eight independent partial sums let the compiler use SIMD without reassociating a single sum.
float dot(const float* x, const float* h, int n) {
  float partial[8] = {};
  int k = 0;
  for (; k + 8 <= n; k += 8) {
    for (int lane = 0; lane < 8; ++lane) partial[lane] += x[k + lane] * h[k + lane];
  }
  float acc = 0.0f;
  for (int lane = 0; lane < 8; ++lane) acc += partial[lane];
  for (; k < n; ++k) acc += x[k] * h[k];
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
  const KernelShape shape = kernel_shape(in_rate, out_rate);
  const int64_t phases =
      std::min(up, std::max(kMinInterpolatedPhases,
                            std::min(kMaxPhases, kCoefficientBudget / (2 * shape.half))));
  const Kernel kernel(shape, phases);

  const int half = shape.half;
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
