#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "media/voicing.h"

namespace callsim::vadbench {

// One voiced/unvoiced decision per 20 ms mu-law frame, the question callsim's voicing answers
// for every frame of bot audio. A detector with state is reset between signals, as a new call
// would start a new one.
class FrameDetector {
 public:
  virtual ~FrameDetector() = default;
  virtual std::string name() const = 0;
  virtual void reset() = 0;
  virtual bool voiced(const uint8_t* ulaw, size_t bytes) = 0;
};

// callsim's own: media::FrameVoicing at the speech detector's threshold.
class EnergyDetector final : public FrameDetector {
 public:
  std::string name() const override { return "energy -40dBFS"; }
  void reset() override {}
  bool voiced(const uint8_t* ulaw, size_t bytes) override { return voicing_.voiced(ulaw, bytes); }

 private:
  media::FrameVoicing voicing_;
};

// The WebRTC VAD as Debian's libwebrtc-audio-processing exposes it: only through the
// AudioProcessing module's VoiceDetection (the standalone WebRtcVad_* functions are in the .so
// but no header declares them). likelihood is VoiceDetection::Likelihood, 0 (very low, the most
// aggressive VAD mode) to 3 (high, the least); the module's default is 1.
std::unique_ptr<FrameDetector> make_webrtc_detector(int likelihood = 1);

// The same VAD called directly (WebRtcVad_Process on the whole 20 ms frame), through prototypes
// this bench declares itself: it shows what the AudioProcessing wrapper costs and changes.
// mode 0 (least aggressive) to 3; the module's default likelihood is mode 2.
std::unique_ptr<FrameDetector> make_webrtc_raw_detector(int mode = 2);

}  // namespace callsim::vadbench
