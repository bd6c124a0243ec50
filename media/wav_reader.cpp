#include "media/wav_reader.h"

#include <cmath>
#include <cstring>

#include <fmt/format.h>

#include "media/alaw.h"
#include "media/audio_limits.h"
#include "media/byte_reader.h"
#include "media/media_error.h"
#include "media/mulaw.h"

namespace callsim::media {

namespace {

constexpr uint16_t kFormatPcm = 0x0001;
constexpr uint16_t kFormatFloat = 0x0003;
constexpr uint16_t kFormatAlaw = 0x0006;
constexpr uint16_t kFormatMulaw = 0x0007;
constexpr uint16_t kFormatExtensible = 0xFFFE;
// Bytes 2..15 of every KSDATAFORMAT_SUBTYPE_* GUID built from a classic format tag.
constexpr uint8_t kSubtypeGuidTail[14] = {0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80,
                                          0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71};
// ffmpeg and others write this data size when they could not seek back: "until end of file".
constexpr uint32_t kUnknownDataSize = 0xFFFFFFFF;

struct WavFormat {
  uint16_t tag = 0;
  int channels = 0;
  int sample_rate = 0;
  int block_align = 0;
  int bits = 0;
};

[[noreturn]] void fail(const std::string& name, const std::string& problem) {
  throw MediaError(fmt::format("{}: {}", name, problem));
}

// Chunk ids of a corrupt file can be any bytes; keep the message printable.
std::string printable_tag(const uint8_t* p) {
  std::string tag(reinterpret_cast<const char*>(p), 4);
  for (char& c : tag) {
    if (c < 0x20 || c > 0x7E) c = '?';
  }
  return tag;
}

std::string codec_name(uint16_t tag) {
  switch (tag) {
    case 0x0002:
      return "Microsoft ADPCM";
    case 0x0011:
      return "IMA ADPCM";
    case 0x0031:
      return "GSM 6.10";
    case 0x0050:
      return "MPEG audio";
    case 0x0055:
      return "MP3";
    case 0x0064:
      return "G.721 ADPCM";
    default:
      return "codec";
  }
}

WavFormat parse_fmt(const uint8_t* p, uint32_t size, const std::string& name) {
  if (size < 16) fail(name, fmt::format("WAV fmt chunk is {} bytes, expected at least 16", size));
  WavFormat format;
  format.tag = read_le16(p);
  format.channels = read_le16(p + 2);
  format.sample_rate = static_cast<int>(read_le32(p + 4));
  format.block_align = read_le16(p + 12);
  format.bits = read_le16(p + 14);
  if (format.tag == kFormatExtensible) {
    if (size < 40 || read_le16(p + 16) < 22) {
      fail(name, "WAV fmt chunk is WAVE_FORMAT_EXTENSIBLE but too short for its sub-format");
    }
    const uint8_t* guid = p + 24;
    if (std::memcmp(guid + 2, kSubtypeGuidTail, sizeof kSubtypeGuidTail) != 0) {
      fail(name, "unsupported WAVE_FORMAT_EXTENSIBLE sub-format GUID");
    }
    format.tag = read_le16(guid);
  }

  if (format.channels < 1) fail(name, "WAV fmt chunk declares 0 channels");
  if (read_le32(p + 4) < static_cast<uint32_t>(kMinSampleRate) ||
      read_le32(p + 4) > static_cast<uint32_t>(kMaxSampleRate)) {
    fail(name, fmt::format("unsupported sample rate {} Hz (expected {} to {})", read_le32(p + 4),
                           kMinSampleRate, kMaxSampleRate));
  }
  bool supported = false;
  switch (format.tag) {
    case kFormatPcm:
      supported = format.bits == 8 || format.bits == 16 || format.bits == 24 || format.bits == 32;
      break;
    case kFormatFloat:
      supported = format.bits == 32 || format.bits == 64;
      break;
    case kFormatAlaw:
    case kFormatMulaw:
      supported = format.bits == 8;
      break;
    default:
      fail(name, fmt::format("unsupported WAV {} (format tag 0x{:04x}); use PCM, mu-law or A-law, "
                             "e.g. sox IN -e mu-law -r 8000 OUT.wav",
                             codec_name(format.tag), format.tag));
  }
  if (!supported) {
    fail(name, fmt::format("unsupported WAV sample size: {} bits for format tag 0x{:04x}",
                           format.bits, format.tag));
  }
  if (format.block_align != format.channels * (format.bits / 8)) {
    fail(name, fmt::format("WAV block align {} does not match {} channels of {} bits",
                           format.block_align, format.channels, format.bits));
  }
  return format;
}

// One sample, full scale = +-1.0.
float sample_at(const uint8_t* p, const WavFormat& format) {
  switch (format.tag) {
    case kFormatMulaw:
      return ulaw_to_linear(*p) / 32768.0f;
    case kFormatAlaw:
      return alaw_to_linear(*p) / 32768.0f;
    case kFormatFloat: {
      if (format.bits == 32) {
        float value;
        uint32_t raw = read_le32(p);
        std::memcpy(&value, &raw, sizeof value);
        return std::isfinite(value) ? value : 0.0f;
      }
      uint64_t raw = read_le32(p) | (static_cast<uint64_t>(read_le32(p + 4)) << 32);
      double value;
      std::memcpy(&value, &raw, sizeof value);
      return std::isfinite(value) ? static_cast<float>(value) : 0.0f;
    }
    default:
      break;
  }
  switch (format.bits) {
    case 8:
      return (static_cast<int>(*p) - 128) / 128.0f;  // 8-bit PCM is unsigned
    case 16:
      return static_cast<int16_t>(read_le16(p)) / 32768.0f;
    case 24: {
      int32_t value =
          static_cast<int32_t>((p[0] << 8) | (p[1] << 16) | (static_cast<uint32_t>(p[2]) << 24));
      return static_cast<float>(value / 2147483648.0);
    }
    default:
      return static_cast<float>(static_cast<int32_t>(read_le32(p)) / 2147483648.0);
  }
}

MonoAudio decode_samples(const uint8_t* data, size_t bytes, const WavFormat& format,
                         const std::string& name) {
  size_t frames = bytes / static_cast<size_t>(format.block_align);
  if (frames == 0) fail(name, "no audio samples (the WAV data chunk is empty)");
  if (frames > static_cast<size_t>(kMaxClipSeconds) * static_cast<size_t>(format.sample_rate)) {
    fail(name, fmt::format("audio is longer than {} s; fixtures are short clips", kMaxClipSeconds));
  }
  MonoAudio audio;
  audio.sample_rate = format.sample_rate;
  audio.samples.resize(frames);
  const size_t width = static_cast<size_t>(format.bits / 8);
  const float scale = 1.0f / static_cast<float>(format.channels);
  const uint8_t* p = data;
  for (size_t frame = 0; frame < frames; ++frame) {
    float sum = 0.0f;
    for (int channel = 0; channel < format.channels; ++channel, p += width) {
      sum += sample_at(p, format);
    }
    audio.samples[frame] = format.channels == 1 ? sum : sum * scale;
  }
  return audio;
}

}  // namespace

MonoAudio decode_wav(const uint8_t* data, size_t size, const std::string& name) {
  if (size < 12 || !has_tag(data, "RIFF") || !has_tag(data + 8, "WAVE")) {
    fail(name, "not a WAV file (no RIFF/WAVE header)");
  }
  bool have_format = false;
  WavFormat format;
  size_t offset = 12;
  while (offset + 8 <= size) {
    const uint8_t* header = data + offset;
    uint32_t chunk_size = read_le32(header + 4);
    size_t body = offset + 8;
    size_t remaining = size - body;
    if (has_tag(header, "data")) {
      if (!have_format) fail(name, "WAV data chunk comes before the fmt chunk");
      size_t data_bytes = chunk_size == kUnknownDataSize ? remaining : chunk_size;
      if (data_bytes > remaining) {
        fail(name, fmt::format("WAV data chunk claims {} bytes but only {} remain (truncated?)",
                               chunk_size, remaining));
      }
      return decode_samples(data + body, data_bytes, format, name);
    }
    if (chunk_size > remaining) {
      fail(name, fmt::format("WAV chunk '{}' at byte {} claims {} bytes but only {} remain "
                             "(truncated or corrupt)",
                             printable_tag(header), offset, chunk_size, remaining));
    }
    if (has_tag(header, "fmt ")) {
      format = parse_fmt(data + body, chunk_size, name);
      have_format = true;
    }
    offset = body + chunk_size + (chunk_size & 1);  // chunks are padded to even sizes
  }
  fail(name, have_format ? "WAV file has no data chunk (truncated?)"
                         : "WAV file has no fmt chunk (truncated?)");
}

}  // namespace callsim::media
