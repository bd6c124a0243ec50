#include "media/wav_writer.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>
#include <stdexcept>

#include <fmt/format.h>

#include "media/media_error.h"
#include "media/mulaw.h"

namespace callsim::media {

namespace {

constexpr uint16_t kFormatPcm = 0x0001;
constexpr uint16_t kFormatMulaw = 0x0007;
// Samples converted per write: bounds the scratch buffer.
constexpr size_t kChunkFrames = 4096;

void put_le16(std::vector<uint8_t>& out, uint32_t value) {
  out.push_back(static_cast<uint8_t>(value));
  out.push_back(static_cast<uint8_t>(value >> 8));
}
void put_le32(std::vector<uint8_t>& out, uint32_t value) {
  put_le16(out, value & 0xFFFF);
  put_le16(out, value >> 16);
}
void put_tag(std::vector<uint8_t>& out, const char* tag) {
  out.insert(out.end(), tag, tag + 4);
}

}  // namespace

WavWriter::WavWriter(std::string path, Encoding encoding, int channels, int sample_rate)
    : path_(std::move(path)), encoding_(encoding), channels_(channels), sample_rate_(sample_rate) {
  if (channels_ < 1 || channels_ > 0xFFFF || sample_rate_ < 1) {
    throw std::invalid_argument("WavWriter: channels and sample rate must be positive");
  }
  file_ = std::fopen(path_.c_str(), "wb");
  if (!file_) throw MediaError(fmt::format("{}: cannot create: {}", path_, std::strerror(errno)));
  try {
    write_header();
  } catch (...) {
    std::fclose(file_);
    throw;
  }
}

WavWriter::~WavWriter() {
  try {
    finish();
  } catch (const MediaError&) {
    // Destructors must not throw; finish() reports the error to callers who ask.
  }
}

void WavWriter::write_header() {
  const bool mulaw = encoding_ == Encoding::kMulaw;
  const uint32_t bytes_per_sample = mulaw ? 1 : 2;
  const uint32_t block_align = bytes_per_sample * static_cast<uint32_t>(channels_);
  const uint64_t data_bytes = frames_written_ * block_align;

  std::vector<uint8_t> header;
  const uint32_t fmt_size = mulaw ? 18 : 16;  // non-PCM formats carry cbSize
  const uint32_t fact_size = mulaw ? 12 : 0;  // and a fact chunk with the sample count
  put_tag(header, "RIFF");
  put_le32(header,
           static_cast<uint32_t>(4 + 8 + fmt_size + fact_size + 8 + data_bytes + (data_bytes & 1)));
  put_tag(header, "WAVE");
  put_tag(header, "fmt ");
  put_le32(header, fmt_size);
  put_le16(header, mulaw ? kFormatMulaw : kFormatPcm);
  put_le16(header, static_cast<uint32_t>(channels_));
  put_le32(header, static_cast<uint32_t>(sample_rate_));
  put_le32(header, static_cast<uint32_t>(sample_rate_) * block_align);
  put_le16(header, block_align);
  put_le16(header, bytes_per_sample * 8);
  if (mulaw) {
    put_le16(header, 0);
    put_tag(header, "fact");
    put_le32(header, 4);
    put_le32(header, static_cast<uint32_t>(frames_written_));
  }
  put_tag(header, "data");
  put_le32(header, static_cast<uint32_t>(data_bytes));
  write_bytes(header.data(), header.size());
}

void WavWriter::write_bytes(const void* data, size_t size) {
  if (!file_) throw MediaError(fmt::format("{}: write after the WAV file was finished", path_));
  if (size > 0 && std::fwrite(data, 1, size, file_) != size) {
    throw MediaError(fmt::format("{}: write failed: {}", path_, std::strerror(errno)));
  }
}

void WavWriter::add_frames(size_t sample_frames) {
  const uint64_t block_align =
      (encoding_ == Encoding::kMulaw ? 1 : 2) * static_cast<uint64_t>(channels_);
  // RIFF sizes are 32-bit; leave room for the header.
  const uint64_t max_frames = (std::numeric_limits<uint32_t>::max() - 64) / block_align;
  if (frames_written_ + sample_frames > max_frames) {
    throw MediaError(fmt::format("{}: WAV files cannot exceed 4 GiB", path_));
  }
  frames_written_ += sample_frames;
}

void WavWriter::write_pcm(const int16_t* interleaved, size_t sample_frames) {
  add_frames(sample_frames);
  const size_t total = sample_frames * static_cast<size_t>(channels_);
  for (size_t done = 0; done < total; done += kChunkFrames) {
    size_t count = std::min(kChunkFrames, total - done);
    scratch_.clear();
    for (size_t i = 0; i < count; ++i) {
      int16_t sample = interleaved[done + i];
      if (encoding_ == Encoding::kMulaw) {
        scratch_.push_back(linear_to_ulaw(sample));
      } else {
        put_le16(scratch_, static_cast<uint16_t>(sample));
      }
    }
    write_bytes(scratch_.data(), scratch_.size());
  }
}

void WavWriter::write_ulaw(const uint8_t* interleaved, size_t sample_frames) {
  const size_t total = sample_frames * static_cast<size_t>(channels_);
  if (encoding_ == Encoding::kMulaw) {
    add_frames(sample_frames);
    write_bytes(interleaved, total);
    return;
  }
  add_frames(sample_frames);
  for (size_t done = 0; done < total; done += kChunkFrames) {
    size_t count = std::min(kChunkFrames, total - done);
    scratch_.clear();
    for (size_t i = 0; i < count; ++i) {
      put_le16(scratch_, static_cast<uint16_t>(ulaw_to_linear(interleaved[done + i])));
    }
    write_bytes(scratch_.data(), scratch_.size());
  }
}

void WavWriter::write_stereo_ulaw(const uint8_t* left, const uint8_t* right, size_t samples) {
  if (channels_ != 2) {
    throw std::logic_error("WavWriter::write_stereo_ulaw needs a two-channel writer");
  }
  std::vector<uint8_t> block;
  for (size_t done = 0; done < samples; done += kChunkFrames) {
    size_t count = std::min(kChunkFrames, samples - done);
    block.resize(2 * count);
    for (size_t i = 0; i < count; ++i) {
      block[2 * i] = left[done + i];
      block[2 * i + 1] = right[done + i];
    }
    write_ulaw(block.data(), count);
  }
}

void WavWriter::finish() {
  if (!file_) return;
  std::FILE* file = file_;
  try {
    uint64_t data_bytes = frames_written_ * (encoding_ == Encoding::kMulaw ? 1 : 2) *
                          static_cast<uint64_t>(channels_);
    if (data_bytes & 1) write_bytes("", 1);  // RIFF chunks are padded to even sizes
    if (std::fseek(file_, 0, SEEK_SET) != 0) {
      throw MediaError(
          fmt::format("{}: cannot seek to patch the WAV header: {}", path_, std::strerror(errno)));
    }
    write_header();
  } catch (...) {
    file_ = nullptr;
    std::fclose(file);
    throw;
  }
  file_ = nullptr;
  if (std::fclose(file) != 0) {
    throw MediaError(fmt::format("{}: write failed: {}", path_, std::strerror(errno)));
  }
}

void write_wav(const std::string& path, const std::vector<int16_t>& pcm_8k,
               WavWriter::Encoding encoding) {
  WavWriter writer(path, encoding);
  writer.write_pcm(pcm_8k.data(), pcm_8k.size());
  writer.finish();
}

}  // namespace callsim::media
