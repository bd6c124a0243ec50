#pragma once

#include <cstddef>
#include <cstdint>

namespace callsim::media {

// Voice activity from frame energy: a frame is voiced when its RMS level is above a threshold.
// Speaking starts after a few consecutive voiced frames (a click is not speech) and ends only
// after a run of unvoiced frames (the hangover), so the gaps between words and short pauses stay
// inside one utterance while a real turn end ends it. Feed it every frame of one direction of a
// call in order; it costs a table lookup per byte.
class SpeechDetector {
 public:
  struct Config {
    // A frame whose RMS is above this is voiced. Phone speech peaks near -10 dBFS and averages
    // -20 to -30 dBFS; line noise and comfort noise sit below -50 dBFS.
    double threshold_dbfs = -40.0;
    // Consecutive voiced frames before speaking starts (2 = 40 ms).
    int start_frames = 2;
    // Consecutive unvoiced frames that end speaking (30 = 600 ms). Longer than the pauses
    // between words and sentences of fluent speech, shorter than a caller waiting for an answer.
    int hangover_frames = 30;
  };

  SpeechDetector();
  // Throws std::invalid_argument when start_frames or hangover_frames is below 1.
  explicit SpeechDetector(Config config);

  // The speaking state after this frame (any length; calls send 160-byte frames).
  bool push_frame(const uint8_t* ulaw, size_t bytes);
  // The same for a frame some other detector judged voiced or not: its start and hangover
  // smoothing applied to any frame-level decision (the VAD comparison uses it).
  bool push_voiced(bool voiced);
  bool speaking() const { return speaking_; }
  // RMS of the last frame pushed, in dBFS.
  double last_level_dbfs() const;
  void reset();
  const Config& config() const { return config_; }

 private:
  Config config_;
  double threshold_mean_square_;
  double last_mean_square_ = 0.0;
  bool speaking_ = false;
  int voiced_run_ = 0;
  int unvoiced_run_ = 0;
};

}  // namespace callsim::media
