#include "media/resampler.h"

#include <soxr.h>

#include <cstdint>
#include <stdexcept>
#include <string>

namespace callsim::media {

std::vector<float> resample(const std::vector<float>& in, int in_rate, int out_rate) {
  if (in_rate <= 0 || out_rate <= 0)
    throw std::invalid_argument("resample: rates must be positive");
  if (in_rate == out_rate || in.empty()) return in;

  const uint64_t out_size =
      (static_cast<uint64_t>(in.size()) * static_cast<uint64_t>(out_rate) + in_rate - 1) /
      static_cast<uint64_t>(in_rate);
  // soxr rounds the output length to nearest; the contract is the ceiling, whose last sample
  // lies past the final input one. Trailing silence (as the input's band-limited continuation)
  // lets soxr produce it, and the surplus is dropped.
  std::vector<float> padded(in);
  padded.resize(in.size() + static_cast<size_t>(in_rate / out_rate) + 2, 0.0f);

  std::vector<float> out(static_cast<size_t>(out_size) + 1);
  const soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I);
  const soxr_quality_spec_t quality = soxr_quality_spec(SOXR_HQ, SOXR_LINEAR_PHASE);
  size_t done = 0;
  soxr_error_t error = soxr_oneshot(in_rate, out_rate, 1, padded.data(), padded.size(), nullptr,
                                    out.data(), out.size(), &done, &io, &quality, nullptr);
  if (error) throw std::runtime_error(std::string("resample: soxr: ") + error);
  out.resize(static_cast<size_t>(out_size));
  return out;
}

}  // namespace callsim::media
