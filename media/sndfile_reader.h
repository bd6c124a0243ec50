#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "media/media_error.h"
#include "media/mono_audio.h"

namespace callsim::media {

// Decodes, with libsndfile reading from memory, any file it recognises by content: WAV (PCM 8 to
// 32 bit, float, mu-law, A-law, ADPCM, GSM 6.10; RIFF, RIFX, RF64, WAVE_FORMAT_EXTENSIBLE), FLAC,
// Ogg Vorbis, MP3, AIFF, Sun .au and the rest of libsndfile's list, downmixing all channels to
// their mean at the file's own sample rate. The channel count, sample rate and declared length
// are checked against audio_limits.h before anything is decoded. `name` (the path) starts every
// MediaError message; `codec`, when the caller knows it, names what libsndfile failed to read.
// A file libsndfile does not recognise throws UnrecognisedAudio.
MonoAudio decode_sndfile(const uint8_t* data, size_t size, const std::string& name,
                         const std::string& codec = "");

// Lets the caller say what it expected (by extension) instead of libsndfile's generic message.
struct UnrecognisedAudio : MediaError {
  UnrecognisedAudio(const std::string& name, const std::string& why)
      : MediaError(name + ": " + why), reason(why) {}
  std::string reason;  // libsndfile's words
};

}  // namespace callsim::media
