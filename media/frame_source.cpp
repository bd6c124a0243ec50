#include "media/frame_source.h"

#include <fmt/format.h>

#include "media/audio_file.h"
#include "media/base64.h"
#include "media/media_error.h"
#include "media/mulaw.h"

namespace callsim::media {

namespace {

// 2^64 / golden ratio: the most evenly spreading step for a sequence on a circle.
constexpr uint64_t kGoldenStep = 0x9E3779B97F4A7C15ull;

uint64_t splitmix64(uint64_t x) {
  x += kGoldenStep;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

}  // namespace

std::shared_ptr<const FrameSource> FrameSource::from_file(const std::string& path) {
  return from_pcm(load_audio_8k(path), path);
}

std::shared_ptr<const FrameSource> FrameSource::from_pcm(const std::vector<int16_t>& pcm_8k,
                                                         std::string name) {
  return std::shared_ptr<const FrameSource>(new FrameSource(pcm_8k, std::move(name)));
}

FrameSource::FrameSource(const std::vector<int16_t>& pcm_8k, std::string name)
    : name_(std::move(name)) {
  if (pcm_8k.empty()) throw MediaError(fmt::format("{}: no audio samples", name_));
  sample_count_ = pcm_8k.size();
  frame_count_ = (pcm_8k.size() + kFrameBytes - 1) / kFrameBytes;

  ulaw_.assign(frame_count_ * kFrameBytes, kUlawSilence);
  for (size_t i = 0; i < pcm_8k.size(); ++i) ulaw_[i] = linear_to_ulaw(pcm_8k[i]);

  base64_.reserve(frame_count_ * kFrameBase64Chars);
  for (size_t f = 0; f < frame_count_; ++f) {
    base64_ += base64_encode(&ulaw_[f * kFrameBytes], kFrameBytes);
  }
}

size_t FrameSource::start_offset(uint64_t call_index, uint64_t seed) const {
  // A fraction of the clip in 64-bit fixed point (wrapping is the "mod 1"), scaled to frames.
  uint64_t position = call_index * kGoldenStep + splitmix64(seed);
  return static_cast<size_t>((static_cast<unsigned __int128>(position) * frame_count_) >> 64);
}

}  // namespace callsim::media
