#include "media/speech_detector.h"

#include <cmath>
#include <stdexcept>

#include "media/level.h"

namespace callsim::media {

SpeechDetector::SpeechDetector() : SpeechDetector(Config{}) {}

SpeechDetector::SpeechDetector(Config config) : config_(config) {
  if (config_.start_frames < 1 || config_.hangover_frames < 1) {
    throw std::invalid_argument("SpeechDetector: start_frames and hangover_frames must be >= 1");
  }
  double threshold_rms = 32768.0 * std::pow(10.0, config_.threshold_dbfs / 20.0);
  threshold_mean_square_ = threshold_rms * threshold_rms;
}

bool SpeechDetector::push_frame(const uint8_t* ulaw, size_t bytes) {
  last_mean_square_ = ulaw_mean_square(ulaw, bytes);
  return push_voiced(last_mean_square_ > threshold_mean_square_);
}

bool SpeechDetector::push_voiced(bool voiced) {
  if (voiced) {
    unvoiced_run_ = 0;
    if (!speaking_ && ++voiced_run_ >= config_.start_frames) speaking_ = true;
  } else {
    voiced_run_ = 0;
    if (speaking_ && ++unvoiced_run_ >= config_.hangover_frames) {
      speaking_ = false;
      unvoiced_run_ = 0;
    }
  }
  return speaking_;
}

double SpeechDetector::last_level_dbfs() const {
  return to_dbfs(std::sqrt(last_mean_square_));
}

void SpeechDetector::reset() {
  speaking_ = false;
  voiced_run_ = 0;
  unvoiced_run_ = 0;
  last_mean_square_ = 0.0;
}

}  // namespace callsim::media
