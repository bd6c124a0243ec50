#include <memory>
#include <stdexcept>
#include <string>

#include "frame_detector.h"
#include "labelled_signal.h"
#include "media/mulaw.h"

// Debian 12's libwebrtc-audio-processing-dev ships no common_audio/vad/include/webrtc_vad.h,
// though the .so exports these. The prototypes are the ones upstream's header had at the 2015
// snapshot the package is built from, checked against the .so's code (Create takes no argument
// and returns the instance; Process takes the length as a 64-bit size_t). Nothing declares them
// to us, so nothing keeps them right across a package update: bench use only.
extern "C" {
struct WebRtcVadInst;
WebRtcVadInst* WebRtcVad_Create(void);
void WebRtcVad_Free(WebRtcVadInst* handle);
int WebRtcVad_Init(WebRtcVadInst* handle);
int WebRtcVad_set_mode(WebRtcVadInst* handle, int mode);
int WebRtcVad_Process(WebRtcVadInst* handle, int fs, const int16_t* audio_frame,
                      size_t frame_length);
}

namespace callsim::vadbench {

namespace {

class WebRtcRawDetector final : public FrameDetector {
 public:
  explicit WebRtcRawDetector(int mode) : mode_(mode) {
    if (mode < 0 || mode > 3) throw std::invalid_argument("mode is 0..3");
    reset();
  }

  std::string name() const override { return "webrtc raw m" + std::to_string(mode_); }

  void reset() override {
    vad_.reset(WebRtcVad_Create());
    if (!vad_ || WebRtcVad_Init(vad_.get()) != 0 || WebRtcVad_set_mode(vad_.get(), mode_) != 0) {
      throw std::runtime_error("WebRtcVad setup failed");
    }
  }

  // The whole 20 ms frame in one call: the VAD takes 10, 20 or 30 ms.
  bool voiced(const uint8_t* ulaw, size_t bytes) override {
    int16_t pcm[kFrameSamples] = {};
    for (size_t i = 0; i < kFrameSamples && i < bytes; ++i) pcm[i] = media::ulaw_to_linear(ulaw[i]);
    const int result = WebRtcVad_Process(vad_.get(), kSampleRate, pcm, kFrameSamples);
    if (result < 0) throw std::runtime_error("WebRtcVad_Process failed");
    return result == 1;
  }

 private:
  struct Free {
    void operator()(WebRtcVadInst* p) const { WebRtcVad_Free(p); }
  };
  int mode_;
  std::unique_ptr<WebRtcVadInst, Free> vad_;
};

}  // namespace

std::unique_ptr<FrameDetector> make_webrtc_raw_detector(int mode) {
  return std::make_unique<WebRtcRawDetector>(mode);
}

}  // namespace callsim::vadbench
