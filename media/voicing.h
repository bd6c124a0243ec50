#pragma once

#include <cstddef>
#include <cstdint>

#include "media/speech_detector.h"

namespace callsim::media {

// Whether one 20 ms frame of μ-law holds voice, with the speech detector's energy threshold but
// none of its smoothing: the bot's audio is judged frame by frame on the playout timeline, and
// the gaps between words are told from turn ends there (BotPlayout's end_of_turn). A table lookup
// per byte, no state, no allocation.
class FrameVoicing {
 public:
  static constexpr size_t kFrameBytes = 160;

  explicit FrameVoicing(double threshold_dbfs = SpeechDetector::Config{}.threshold_dbfs);
  bool voiced(const uint8_t* ulaw, size_t bytes) const;

  // Calls run(bytes, voiced) for each run of equally voiced 160-byte frames of `ulaw`, in order
  // (the last frame may be short). Frames are cut from the start of this buffer: servers send
  // whole frames, and a short tail is judged on the bytes it has.
  template <typename Run>
  void for_each_run(const uint8_t* ulaw, size_t bytes, Run&& run) const {
    size_t run_bytes = 0;
    bool run_voiced = false;
    for (size_t at = 0; at < bytes; at += kFrameBytes) {
      const size_t n = bytes - at < kFrameBytes ? bytes - at : kFrameBytes;
      const bool v = voiced(ulaw + at, n);
      if (run_bytes > 0 && v != run_voiced) {
        run(run_bytes, run_voiced);
        run_bytes = 0;
      }
      run_voiced = v;
      run_bytes += n;
    }
    if (run_bytes > 0) run(run_bytes, run_voiced);
  }

 private:
  double threshold_mean_square_;
};

}  // namespace callsim::media
