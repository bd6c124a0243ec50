#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace callsim::media {

struct WavFormat {
  uint16_t tag = 0;  // the sub-format's tag for WAVE_FORMAT_EXTENSIBLE
  int channels = 0;
  int sample_rate = 0;
  int block_align = 0;
  int bits = 0;
};

// Walks the chunks of a little-endian RIFF/WAVE file held in memory before libsndfile decodes it,
// which is lenient where a fixture should not be: a data chunk longer than the file, a chunk size
// past the end, data before fmt, an empty data chunk, a sample rate outside audio_limits.h or a
// block align that does not match PCM, float, mu-law or A-law samples all throw MediaError
// "<name>: <problem>" naming the chunk and byte offset. Other codecs (ADPCM, GSM 6.10...) are left
// to libsndfile. Returns the fmt chunk it found.
WavFormat check_riff_wave(const uint8_t* data, size_t size, const std::string& name);

// "WAV Microsoft ADPCM (format tag 0x0002)", for libsndfile's errors about that codec.
std::string describe_wav_codec(const WavFormat& format);

}  // namespace callsim::media
