#include "media/voicing.h"

#include <cmath>

#include "media/level.h"

namespace callsim::media {

FrameVoicing::FrameVoicing(double threshold_dbfs) {
  const double rms = 32768.0 * std::pow(10.0, threshold_dbfs / 20.0);
  threshold_mean_square_ = rms * rms;
}

bool FrameVoicing::voiced(const uint8_t* ulaw, size_t bytes) const {
  return bytes > 0 && ulaw_mean_square(ulaw, bytes) > threshold_mean_square_;
}

}  // namespace callsim::media
