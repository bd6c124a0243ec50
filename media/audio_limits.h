#pragma once

#include <cstddef>
#include <cstdint>

namespace callsim::media {

// Bounds that keep a hostile or mistaken file from exhausting memory. A fixture is a short clip
// that loops; an hour of it is already far more than any call needs.
constexpr size_t kMaxAudioFileBytes = size_t{32} << 20;
constexpr int64_t kMaxClipSeconds = 3600;
// Sample rates a WAV file may declare.
constexpr int kMinSampleRate = 1000;
constexpr int kMaxSampleRate = 768000;

}  // namespace callsim::media
