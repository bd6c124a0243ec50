#include "media/clip_stats.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "media/level.h"
#include "media/mulaw.h"

namespace callsim::media {

ClipStats measure_clip(const FrameSource& source, const SpeechDetector::Config& detector_config) {
  ClipStats stats;
  stats.frames = source.frame_count();
  stats.seconds = std::chrono::duration<double>(source.duration()).count();

  const std::vector<uint8_t>& ulaw = source.ulaw();
  int peak = 0;
  for (uint8_t code : ulaw) peak = std::max(peak, std::abs(static_cast<int>(ulaw_to_linear(code))));
  stats.peak_dbfs = to_dbfs(peak);
  stats.rms_dbfs = to_dbfs(std::sqrt(ulaw_mean_square(ulaw.data(), ulaw.size())));

  SpeechDetector detector(detector_config);
  size_t speaking_frames = 0;
  bool was_speaking = false;
  for (size_t f = 0; f < source.frame_count(); ++f) {
    bool speaking = detector.push_frame(source.frame(f), FrameSource::kFrameBytes);
    if (speaking) ++speaking_frames;
    if (speaking && !was_speaking) ++stats.utterances;
    was_speaking = speaking;
  }
  stats.speech_ratio = static_cast<double>(speaking_frames) / static_cast<double>(stats.frames);
  return stats;
}

}  // namespace callsim::media
