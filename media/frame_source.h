#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace callsim::media {

// A clip as Twilio sends it: 20 ms frames of 8 kHz mu-law, 160 bytes each, with the last partial
// frame padded with mu-law silence (0xFF). Decoded and encoded once, then shared read-only by
// every call (all methods are const and safe to call from many threads). A call plays it as a
// loop, so every frame index wraps modulo frame_count(). Each frame's base64 text is computed up
// front so the send path only copies it.
class FrameSource {
 public:
  static constexpr size_t kFrameBytes = 160;
  static constexpr size_t kFrameBase64Chars = 216;
  static constexpr std::chrono::milliseconds kFrameDuration{20};

  // Reads any file load_audio_8k() reads; named by its path. Throws MediaError.
  static std::shared_ptr<const FrameSource> from_file(const std::string& path);
  // Throws MediaError("<name>: ...") for an empty clip.
  static std::shared_ptr<const FrameSource> from_pcm(const std::vector<int16_t>& pcm_8k,
                                                     std::string name);

  size_t frame_count() const { return frame_count_; }
  const uint8_t* frame(size_t index) const { return &ulaw_[(index % frame_count_) * kFrameBytes]; }
  std::string_view frame_base64(size_t index) const {
    return std::string_view(base64_).substr((index % frame_count_) * kFrameBase64Chars,
                                            kFrameBase64Chars);
  }
  std::chrono::nanoseconds duration() const { return frame_count_ * kFrameDuration; }
  // Samples of real audio before padding.
  size_t sample_count() const { return sample_count_; }
  // All frames back to back: frame_count() * kFrameBytes bytes.
  const std::vector<uint8_t>& ulaw() const { return ulaw_; }
  const std::string& name() const { return name_; }

  // The frame a call starts at, so concurrent calls do not speak in lockstep. Deterministic in
  // (call_index, seed). Call i starts at the fractional part of (i * golden ratio + seed hash)
  // of the clip: a Weyl sequence, so any run of consecutive calls spreads evenly over the clip
  // (60 calls on a 6 s clip start 40 to 140 ms apart) where random offsets would bunch up.
  size_t start_offset(uint64_t call_index, uint64_t seed) const;

 private:
  FrameSource(const std::vector<int16_t>& pcm_8k, std::string name);

  std::string name_;
  size_t frame_count_ = 0;
  size_t sample_count_ = 0;
  std::vector<uint8_t> ulaw_;
  std::string base64_;
};

}  // namespace callsim::media
