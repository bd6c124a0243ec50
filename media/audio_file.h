#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace callsim::media {

// Mono 8 kHz 16-bit PCM from an audio file, the form every fixture takes before it becomes
// mu-law frames. Reads Ogg Opus with libopus (ogg_opus_reader.h), whatever libsndfile recognises
// (WAV in any encoding, FLAC, Ogg Vorbis, MP3, AIFF...; sndfile_reader.h) and headerless 8 kHz
// mu-law (.ulaw/.raw). The format is recognised by its content; only a file without known magic
// is taken as raw mu-law, and only when its extension says so. Channels are averaged and other
// rates resampled with a real anti-aliasing filter (resampler.h).
// Throws MediaError, one line naming the file and the problem, for anything it cannot read.
std::vector<int16_t> load_audio_8k(const std::string& path);

}  // namespace callsim::media
