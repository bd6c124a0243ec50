#include "media/audio_file.h"

#include <algorithm>
#include <cctype>
#include <cstring>

#include <fmt/format.h>

#include "media/audio_limits.h"
#include "media/file_bytes.h"
#include "media/media_error.h"
#include "media/mono_audio.h"
#include "media/mulaw.h"
#include "media/ogg_opus_reader.h"
#include "media/resampler.h"
#include "media/riff_check.h"
#include "media/sndfile_reader.h"

namespace callsim::media {

namespace {

constexpr int kTargetRate = 8000;

std::string lowercase_extension(const std::string& path) {
  auto slash = path.find_last_of('/');
  auto dot = path.find_last_of('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return "";
  std::string extension = path.substr(dot + 1);
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return extension;
}

bool starts_with(const std::vector<uint8_t>& bytes, const char* magic, size_t length) {
  return bytes.size() >= length && std::memcmp(bytes.data(), magic, length) == 0;
}

// The name of a format libsndfile reads, by its magic bytes, or "". A file named .ulaw or .raw
// that starts with one of these is that format, not mu-law; libsndfile is not asked to guess
// about the rest, since headerless mu-law (0xFF is its silence) can look like an MPEG frame sync.
std::string known_format(const std::vector<uint8_t>& bytes) {
  static const struct {
    const char* magic;
    const char* format;
  } kKnown[] = {{"RIFF", "WAV"},      {"RIFX", "big-endian RIFX WAV"},
                {"RF64", "RF64 WAV"}, {"OggS", "Ogg"},
                {"fLaC", "FLAC"},     {"FORM", "AIFF"},
                {".snd", "Sun .au"},  {"caff", "CAF"},
                {"ID3", "MP3"}};
  for (const auto& known : kKnown) {
    if (starts_with(bytes, known.magic, std::strlen(known.magic))) return known.format;
  }
  return "";
}

// The codec of an Ogg stream by its first packet, for libsndfile's errors about it.
std::string ogg_codec(const std::vector<uint8_t>& bytes) {
  if (bytes.size() < 27) return "Ogg";
  size_t packet = 27 + size_t{bytes[26]};
  auto first_packet_is = [&](const char* magic, size_t length) {
    return bytes.size() >= packet + length &&
           std::memcmp(bytes.data() + packet, magic, length) == 0;
  };
  if (first_packet_is("\x01vorbis", 7)) return "Ogg Vorbis";
  if (first_packet_is("\177FLAC", 5)) return "Ogg FLAC";
  if (first_packet_is("Speex   ", 8)) return "Ogg Speex";
  return "Ogg";
}

// Ogg Opus stays with libopus (ogg_opus_reader.h): it decodes natively at 8 kHz, where
// libsndfile decodes at the rate the header merely reports and would resample again. A file too
// short to show its first packet goes there too, for its precise truncation messages.
bool is_ogg_opus(const std::vector<uint8_t>& bytes) {
  if (!starts_with(bytes, "OggS", 4)) return false;
  if (bytes.size() < 27) return true;
  size_t packet = 27 + size_t{bytes[26]};
  if (bytes.size() < packet + 8) return true;
  return std::memcmp(bytes.data() + packet, "OpusHead", 8) == 0;
}

MonoAudio decode_raw_ulaw(const std::vector<uint8_t>& bytes, const std::string& path) {
  if (bytes.size() > static_cast<size_t>(kMaxClipSeconds) * kTargetRate) {
    throw MediaError(fmt::format("{}: audio is longer than {} s; fixtures are short clips", path,
                                 kMaxClipSeconds));
  }
  MonoAudio audio;
  audio.sample_rate = kTargetRate;
  audio.samples.resize(bytes.size());
  for (size_t i = 0; i < bytes.size(); ++i) audio.samples[i] = ulaw_to_linear(bytes[i]) / 32768.0f;
  return audio;
}

MonoAudio decode_any(const std::vector<uint8_t>& bytes, const std::string& path) {
  if (bytes.empty()) throw MediaError(fmt::format("{}: file is empty", path));
  if (is_ogg_opus(bytes)) return decode_ogg_opus(bytes.data(), bytes.size(), path);

  std::string extension = lowercase_extension(path);
  bool raw_extension =
      extension == "ulaw" || extension == "raw" || extension == "mulaw" || extension == "ul";
  if (raw_extension && known_format(bytes).empty()) return decode_raw_ulaw(bytes, path);
  try {
    if (starts_with(bytes, "RIFF", 4)) {
      WavFormat format = check_riff_wave(bytes.data(), bytes.size(), path);
      return decode_sndfile(bytes.data(), bytes.size(), path, describe_wav_codec(format));
    }
    std::string known = known_format(bytes);
    if (known == "Ogg") known = ogg_codec(bytes);
    return decode_sndfile(bytes.data(), bytes.size(), path, known);
  } catch (const UnrecognisedAudio& e) {
    std::string known = known_format(bytes);
    if (!known.empty()) {
      throw MediaError(fmt::format("{}: looks like {} but libsndfile does not recognise it ({})",
                                   path, known, e.reason));
    }
    if (extension == "wav") {
      throw MediaError(fmt::format("{}: not a WAV file (no RIFF/WAVE header)", path));
    }
    if (extension == "opus" || extension == "ogg") {
      throw MediaError(fmt::format("{}: not an Ogg file (no OggS page header)", path));
    }
    throw MediaError(fmt::format(
        "{}: unrecognised audio format (expected WAV, FLAC, Ogg Opus or Vorbis, MP3, AIFF, or "
        "raw 8 kHz mu-law named .ulaw or .raw)",
        path));
  }
}

}  // namespace

std::vector<int16_t> load_audio_8k(const std::string& path) {
  MonoAudio audio = decode_any(read_file_bytes(path, kMaxAudioFileBytes), path);
  std::vector<int16_t> pcm = to_pcm16(resample(audio.samples, audio.sample_rate, kTargetRate));
  if (pcm.empty()) throw MediaError(fmt::format("{}: no audio samples", path));
  return pcm;
}

}  // namespace callsim::media
