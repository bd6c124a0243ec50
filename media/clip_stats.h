#pragma once

#include <cstddef>

#include "media/frame_source.h"
#include "media/speech_detector.h"

namespace callsim::media {

// What a clip sounds like as callsim sends it: measured on its mu-law frames (padding included),
// not on the file it came from.
struct ClipStats {
  size_t frames = 0;
  double seconds = 0.0;       // frames * 20 ms
  double peak_dbfs = 0.0;     // loudest sample; -inf for digital silence
  double rms_dbfs = 0.0;      // whole clip; -inf for digital silence
  double speech_ratio = 0.0;  // fraction of frames a fresh SpeechDetector calls speaking
  size_t utterances = 0;      // times the detector started speaking
};

ClipStats measure_clip(const FrameSource& source,
                       const SpeechDetector::Config& detector = SpeechDetector::Config{});

}  // namespace callsim::media
