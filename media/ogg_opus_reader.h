#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "media/mono_audio.h"

namespace callsim::media {

// Decodes the first logical stream of an Ogg Opus file (RFC 7845) held in memory, with libogg
// for pages and libopus decoding natively at 8 kHz, so no resampling follows. Honours the
// header's pre-skip and output gain and the end trimming given by the last page's granule
// position; any channel count and mapping family 0, 1 or 255 is decoded and downmixed to the
// mean of the channels. `name` (the path) starts every MediaError message.
MonoAudio decode_ogg_opus(const uint8_t* data, size_t size, const std::string& name);

}  // namespace callsim::media
