#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "media/mono_audio.h"

namespace callsim::media {

// Decodes a RIFF/WAVE file held in memory, downmixing all channels to their mean, at the file's
// own sample rate. Reads PCM (8, 16, 24 or 32 bit), IEEE float (32 or 64 bit), G.711 mu-law
// (format 7) and A-law (format 6), plain or as WAVE_FORMAT_EXTENSIBLE; skips chunks it does not
// know. `name` (the path) starts every MediaError message.
MonoAudio decode_wav(const uint8_t* data, size_t size, const std::string& name);

}  // namespace callsim::media
