// Ogg Opus files held in memory (media/ogg_opus_reader.h).
#include <cstdint>

#include "media/media_error.h"
#include "media/ogg_opus_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    (void)callsim::media::decode_ogg_opus(data, size, "fuzz.opus");
  } catch (const callsim::media::MediaError&) {
  }
  return 0;
}
