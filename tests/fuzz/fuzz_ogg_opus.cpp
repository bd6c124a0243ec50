// Ogg Opus files held in memory (media/ogg_opus_reader.h), page CRCs made valid first.
#include <cstdint>
#include <vector>

#include "media/media_error.h"
#include "media/ogg_opus_reader.h"
#include "ogg_crc.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<uint8_t> bytes(data, data + size);
  callsim::fuzz::fix_ogg_crcs(bytes);
  try {
    (void)callsim::media::decode_ogg_opus(bytes.data(), bytes.size(), "fuzz.opus");
  } catch (const callsim::media::MediaError&) {
  }
  return 0;
}
