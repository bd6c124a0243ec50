#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace callsim::media {

// Streams a WAV file: G.711 mu-law (format 7, what a call carries, 8 KB/s per channel) or 16-bit
// PCM, any channel count and rate. A call recording is stereo: left the caller, right the bot.
// The header's sizes are patched when the writer finishes, so a file is complete only after
// finish() (or the destructor) ran. I/O errors throw MediaError naming the file.
class WavWriter {
 public:
  enum class Encoding { kMulaw, kPcm16 };

  WavWriter(std::string path, Encoding encoding, int channels = 1, int sample_rate = 8000);
  // Finishes the file; errors are swallowed here, call finish() to see them.
  ~WavWriter();
  WavWriter(const WavWriter&) = delete;
  WavWriter& operator=(const WavWriter&) = delete;

  // Samples interleaved by channel; `sample_frames` counts one sample of every channel.
  void write_pcm(const int16_t* interleaved, size_t sample_frames);
  void write_ulaw(const uint8_t* interleaved, size_t sample_frames);
  // Two mono mu-law streams of `samples` bytes each, written as one stereo block. Needs a
  // two-channel writer.
  void write_stereo_ulaw(const uint8_t* left, const uint8_t* right, size_t samples);

  // Writes the final sizes and closes the file. Idempotent.
  void finish();
  uint64_t sample_frames_written() const { return frames_written_; }
  const std::string& path() const { return path_; }

 private:
  void write_header();
  void write_bytes(const void* data, size_t size);
  void add_frames(size_t sample_frames);

  std::string path_;
  Encoding encoding_;
  int channels_;
  int sample_rate_;
  std::FILE* file_ = nullptr;
  uint64_t frames_written_ = 0;
  std::vector<uint8_t> scratch_;
};

// One-shot helper: a mono 8 kHz clip to `path`.
void write_wav(const std::string& path, const std::vector<int16_t>& pcm_8k,
               WavWriter::Encoding encoding);

}  // namespace callsim::media
