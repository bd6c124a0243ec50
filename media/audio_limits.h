#pragma once

#include <cstddef>
#include <cstdint>

namespace callsim::media {

// Bounds that keep a hostile or mistaken file from exhausting memory. A fixture is a short clip
// that loops; an hour of it is already far more than any call needs.
constexpr size_t kMaxAudioFileBytes = size_t{32} << 20;
constexpr int64_t kMaxClipSeconds = 3600;
// A compressed file (FLAC of silence, a header claiming any length) can decode to far more than
// its size: the decoded mono samples are held to what the largest uncompressed 8-bit file could
// carry, 32 Mi (128 MB as floats; an hour at 8 kHz fits, at 44.1 kHz twelve minutes do).
constexpr int64_t kMaxDecodedSamples = static_cast<int64_t>(kMaxAudioFileBytes);
// Sample rates a WAV file may declare.
constexpr int kMinSampleRate = 1000;
constexpr int kMaxSampleRate = 768000;

}  // namespace callsim::media
