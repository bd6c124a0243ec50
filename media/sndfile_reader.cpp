#include "media/sndfile_reader.h"

#include <sndfile.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>
#include <vector>

#include <fmt/format.h>

#include "media/audio_limits.h"

namespace callsim::media {

namespace {

// libsndfile only ever sees the bytes file_bytes.cpp read under its size limit.
struct Memory {
  const uint8_t* data;
  sf_count_t size;
  sf_count_t position = 0;
};

sf_count_t memory_length(void* user) {
  return static_cast<Memory*>(user)->size;
}

sf_count_t memory_seek(sf_count_t offset, int whence, void* user) {
  auto* memory = static_cast<Memory*>(user);
  sf_count_t base = whence == SEEK_CUR ? memory->position : whence == SEEK_END ? memory->size : 0;
  sf_count_t target = base + offset;
  if (target < 0) return -1;
  memory->position = std::min(target, memory->size);
  return memory->position;
}

sf_count_t memory_read(void* out, sf_count_t count, void* user) {
  auto* memory = static_cast<Memory*>(user);
  sf_count_t available = std::max<sf_count_t>(0, memory->size - memory->position);
  sf_count_t n = std::clamp<sf_count_t>(count, 0, available);
  if (n > 0) std::memcpy(out, memory->data + memory->position, static_cast<size_t>(n));
  memory->position += n;
  return n;
}

sf_count_t memory_write(const void*, sf_count_t, void*) {
  return 0;
}

sf_count_t memory_tell(void* user) {
  return static_cast<Memory*>(user)->position;
}

struct SndfileCloser {
  void operator()(SNDFILE* file) const { sf_close(file); }
};

[[noreturn]] void fail(const std::string& name, const std::string& problem) {
  throw MediaError(fmt::format("{}: {}", name, problem));
}

// libsndfile's messages can end in a newline or a full stop; MediaError is one line.
std::string one_line(std::string message) {
  std::replace(message.begin(), message.end(), '\n', ' ');
  while (!message.empty() && (message.back() == ' ' || message.back() == '.')) message.pop_back();
  return message;
}

std::string format_name(int format) {
  SF_FORMAT_INFO info{};
  info.format = format & SF_FORMAT_TYPEMASK;
  if (sf_command(nullptr, SFC_GET_FORMAT_INFO, &info, sizeof info) != 0 || !info.name) {
    return "audio";
  }
  return info.name;
}

// Keeps memory bounded whatever the channel count: one block of interleaved samples at a time.
constexpr sf_count_t kBlockSamples = 1 << 16;

}  // namespace

MonoAudio decode_sndfile(const uint8_t* data, size_t size, const std::string& name,
                         const std::string& codec) {
  SF_VIRTUAL_IO io{memory_length, memory_seek, memory_read, memory_write, memory_tell};
  Memory memory{data, static_cast<sf_count_t>(size)};
  SF_INFO info{};
  std::unique_ptr<SNDFILE, SndfileCloser> file(sf_open_virtual(&io, SFM_READ, &info, &memory));
  if (!file) {
    int error = sf_error(nullptr);
    std::string message = one_line(sf_error_number(error));
    if (error == SF_ERR_UNRECOGNISED_FORMAT) throw UnrecognisedAudio(name, message);
    fail(name, fmt::format("cannot read {}: {}", codec.empty() ? "it" : codec, message));
  }
  const std::string format = codec.empty() ? format_name(info.format) : codec;
  if (info.channels < 1) fail(name, fmt::format("{} file declares 0 channels", format));
  // WAV stores the rate unsigned: a huge value read into SF_INFO's int is shown as written.
  const auto declared_rate = static_cast<uint32_t>(info.samplerate);
  if (info.samplerate < kMinSampleRate || info.samplerate > kMaxSampleRate) {
    fail(name, fmt::format("unsupported sample rate {} Hz (expected {} to {})", declared_rate,
                           kMinSampleRate, kMaxSampleRate));
  }
  const sf_count_t max_seconds_frames = static_cast<sf_count_t>(kMaxClipSeconds) * info.samplerate;
  const sf_count_t max_frames = std::min<sf_count_t>(max_seconds_frames, kMaxDecodedSamples);
  auto too_long = [&] {
    if (max_frames == max_seconds_frames) {
      fail(name,
           fmt::format("audio is longer than {} s; fixtures are short clips", kMaxClipSeconds));
    }
    fail(name, fmt::format("audio is longer than {} samples ({:.0f} s at {} Hz); fixtures are "
                           "short clips",
                           kMaxDecodedSamples, static_cast<double>(max_frames) / info.samplerate,
                           info.samplerate));
  };
  // The declared length is refused before anything is decoded; a stream of unknown length
  // (SF_COUNT_MAX) or one longer than it said is held to the limit while it decodes.
  if (info.frames > max_frames && info.frames != SF_COUNT_MAX) too_long();

  MonoAudio audio;
  audio.sample_rate = info.samplerate;
  if (info.frames != SF_COUNT_MAX) audio.samples.reserve(static_cast<size_t>(info.frames));
  const sf_count_t channels = info.channels;
  const sf_count_t block_frames = std::max<sf_count_t>(1, kBlockSamples / channels);
  std::vector<float> block(static_cast<size_t>(block_frames * channels));
  const float scale = 1.0f / static_cast<float>(channels);
  for (;;) {
    sf_count_t got = sf_readf_float(file.get(), block.data(), block_frames);
    if (got <= 0) break;
    if (static_cast<sf_count_t>(audio.samples.size()) + got > max_frames) too_long();
    const float* p = block.data();
    for (sf_count_t frame = 0; frame < got; ++frame) {
      float sum = 0.0f;
      for (sf_count_t channel = 0; channel < channels; ++channel, ++p) {
        // Float files can hold NaN and infinities, which have no place in a fixture.
        if (std::isfinite(*p)) sum += *p;
      }
      audio.samples.push_back(channels == 1 ? sum : sum * scale);
    }
  }
  int error = sf_error(file.get());
  if (error != SF_ERR_NO_ERROR) {
    fail(name, fmt::format("cannot decode {}: {}", format, one_line(sf_strerror(file.get()))));
  }
  if (audio.samples.empty()) fail(name, fmt::format("no audio samples in the {} file", format));
  return audio;
}

}  // namespace callsim::media
