#include "media/riff_check.h"

#include <cstring>

#include <fmt/format.h>

#include "media/audio_limits.h"
#include "media/byte_reader.h"
#include "media/media_error.h"

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
    case kFormatPcm:
      return "PCM";
    case kFormatFloat:
      return "IEEE float";
    case kFormatAlaw:
      return "A-law";
    case kFormatMulaw:
      return "mu-law";
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
  // libsndfile decodes the other codecs (ADPCM, GSM 6.10...) and checks their own fields.
  bool classic = format.tag == kFormatPcm || format.tag == kFormatFloat ||
                 format.tag == kFormatAlaw || format.tag == kFormatMulaw;
  if (!classic) return format;
  bool supported = false;
  switch (format.tag) {
    case kFormatPcm:
      supported = format.bits == 8 || format.bits == 16 || format.bits == 24 || format.bits == 32;
      break;
    case kFormatFloat:
      supported = format.bits == 32 || format.bits == 64;
      break;
    default:
      supported = format.bits == 8;
      break;
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

}  // namespace

std::string describe_wav_codec(const WavFormat& format) {
  return fmt::format("WAV {} (format tag 0x{:04x})", codec_name(format.tag), format.tag);
}

WavFormat check_riff_wave(const uint8_t* data, size_t size, const std::string& name) {
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
      if (data_bytes == 0) fail(name, "no audio samples (the WAV data chunk is empty)");
      return format;
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
