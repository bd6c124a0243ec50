// WAV files held in memory, checked (media/riff_check.h) and decoded (media/sndfile_reader.h).
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_input.h"
#include "media/media_error.h"
#include "media/riff_check.h"
#include "media/sndfile_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    // As audio_file.cpp reads RIFF: the chunk check first, then libsndfile.
    std::string codec =
        callsim::media::describe_wav_codec(callsim::media::check_riff_wave(data, size, "fuzz.wav"));
    callsim::media::MonoAudio audio = callsim::media::decode_sndfile(data, size, "fuzz.wav", codec);
    FUZZ_CHECK(audio.sample_rate > 0, std::string_view(reinterpret_cast<const char*>(data), size));
  } catch (const callsim::media::MediaError&) {
  }
  return 0;
}
