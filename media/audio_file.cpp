#include "media/audio_file.h"

#include <algorithm>
#include <cctype>
#include <cstring>

#include <fmt/format.h>

#include "media/audio_limits.h"
#include "media/byte_reader.h"
#include "media/file_bytes.h"
#include "media/media_error.h"
#include "media/mono_audio.h"
#include "media/mulaw.h"
#include "media/ogg_opus_reader.h"
#include "media/resampler.h"
#include "media/wav_reader.h"

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

// A recognisable format callsim does not read gets named, with the conversion that fixes it.
std::string foreign_format(const std::vector<uint8_t>& bytes) {
  if (starts_with(bytes, "RIFX", 4)) return "big-endian RIFX WAV";
  if (starts_with(bytes, "RF64", 4)) return "RF64 WAV";
  if (starts_with(bytes, "fLaC", 4)) return "FLAC";
  if (starts_with(bytes, "ID3", 3)) return "MP3";
  if (bytes.size() >= 2 && bytes[0] == 0xFF && (bytes[1] & 0xE0) == 0xE0 && bytes[1] != 0xFF) {
    return "MPEG audio";
  }
  if (starts_with(bytes, "FORM", 4)) return "AIFF";
  if (starts_with(bytes, ".snd", 4)) return "Sun .au";
  return "";
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
  if (starts_with(bytes, "RIFF", 4)) return decode_wav(bytes.data(), bytes.size(), path);
  if (starts_with(bytes, "OggS", 4)) return decode_ogg_opus(bytes.data(), bytes.size(), path);

  std::string extension = lowercase_extension(path);
  if (extension == "ulaw" || extension == "raw" || extension == "mulaw" || extension == "ul") {
    return decode_raw_ulaw(bytes, path);
  }
  std::string foreign = foreign_format(bytes);
  if (!foreign.empty()) {
    throw MediaError(fmt::format(
        "{}: {} is not supported; convert it, e.g. sox IN -r 8000 -c 1 -e mu-law OUT.wav", path,
        foreign));
  }
  if (extension == "wav") {
    throw MediaError(fmt::format("{}: not a WAV file (no RIFF/WAVE header)", path));
  }
  if (extension == "opus" || extension == "ogg") {
    throw MediaError(fmt::format("{}: not an Ogg file (no OggS page header)", path));
  }
  throw MediaError(fmt::format(
      "{}: unrecognised audio format (expected WAV, Ogg Opus, or raw 8 kHz mu-law named .ulaw or "
      ".raw)",
      path));
}

}  // namespace

std::vector<int16_t> load_audio_8k(const std::string& path) {
  MonoAudio audio = decode_any(read_file_bytes(path, kMaxAudioFileBytes), path);
  std::vector<int16_t> pcm = to_pcm16(resample(audio.samples, audio.sample_rate, kTargetRate));
  if (pcm.empty()) throw MediaError(fmt::format("{}: no audio samples", path));
  return pcm;
}

}  // namespace callsim::media
