// WAV files held in memory (media/wav_reader.h).
#include <cmath>
#include <cstdint>
#include <string_view>

#include "fuzz_input.h"
#include "media/media_error.h"
#include "media/wav_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    callsim::media::MonoAudio audio = callsim::media::decode_wav(data, size, "fuzz.wav");
    FUZZ_CHECK(audio.sample_rate > 0, std::string_view(reinterpret_cast<const char*>(data), size));
  } catch (const callsim::media::MediaError&) {
  }
  return 0;
}
