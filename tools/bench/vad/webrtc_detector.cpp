#include <memory>
#include <stdexcept>
#include <string>

#include "frame_detector.h"
#include "labelled_signal.h"
#include "media/mulaw.h"
#include "webrtc/modules/audio_processing/include/audio_processing.h"
#include "webrtc/modules/interface/module_common_types.h"

namespace callsim::vadbench {

namespace {

constexpr size_t kChunk = kSampleRate / 100;  // ProcessStream takes 10 ms, never more

const char* const kLikelihoodNames[] = {"very low", "low", "moderate", "high"};

class WebRtcDetector final : public FrameDetector {
 public:
  explicit WebRtcDetector(int likelihood) : likelihood_(likelihood) {
    if (likelihood < 0 || likelihood > 3) throw std::invalid_argument("likelihood is 0..3");
    reset();
  }

  std::string name() const override {
    return std::string("webrtc ") + kLikelihoodNames[likelihood_];
  }

  // A new instance, as a new call would get: every signal starts with a VAD that has adapted to
  // nothing yet (the 80 ms it takes to learn a noise floor shows in the noisy conditions).
  void reset() override {
    apm_.reset(webrtc::AudioProcessing::Create());
    if (!apm_) throw std::runtime_error("AudioProcessing::Create failed");
    auto* vad = apm_->voice_detection();
    if (vad->set_likelihood(static_cast<webrtc::VoiceDetection::Likelihood>(likelihood_)) != 0 ||
        vad->Enable(true) != 0) {
      throw std::runtime_error("VoiceDetection setup failed");
    }
  }

  // Two 10 ms chunks; the frame is voiced when either is, as a 20 ms frame with any voice in it
  // is voiced for callsim's playout timeline.
  bool voiced(const uint8_t* ulaw, size_t bytes) override {
    bool any = false;
    for (size_t at = 0; at < bytes; at += kChunk) {
      int16_t pcm[kChunk] = {};
      for (size_t i = 0; i < kChunk && at + i < bytes; ++i)
        pcm[i] = media::ulaw_to_linear(ulaw[at + i]);
      frame_.UpdateFrame(0, 0, pcm, kChunk, kSampleRate, webrtc::AudioFrame::kNormalSpeech,
                         webrtc::AudioFrame::kVadUnknown, 1);
      if (apm_->ProcessStream(&frame_) != webrtc::AudioProcessing::kNoError) {
        throw std::runtime_error("ProcessStream failed");
      }
      any = apm_->voice_detection()->stream_has_voice() || any;
    }
    return any;
  }

 private:
  int likelihood_;
  std::unique_ptr<webrtc::AudioProcessing> apm_;
  webrtc::AudioFrame frame_;
};

}  // namespace

std::unique_ptr<FrameDetector> make_webrtc_detector(int likelihood) {
  return std::make_unique<WebRtcDetector>(likelihood);
}

}  // namespace callsim::vadbench
