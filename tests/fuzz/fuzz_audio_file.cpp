// Audio fixtures as --audio names them: load_audio_8k takes a path, so each input is written to
// a file whose extension the first byte picks (.wav, .opus, .ulaw, .raw); magic-byte detection,
// raw mu-law, downmixing and resampling to 8 kHz all run on it.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "media/audio_file.h"
#include "media/media_error.h"
#include "ogg_crc.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static const char* extensions[] = {".wav", ".opus", ".ulaw", ".raw"};
  static const std::string stem = "/tmp/callsim-fuzz-audio-" + std::to_string(getpid());
  std::string path = stem + extensions[data[0] % 4];
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return 0;
  std::vector<uint8_t> bytes(data + 1, data + size);
  callsim::fuzz::fix_ogg_crcs(bytes);  // Ogg input, whatever its extension, gets past libogg
  std::fwrite(bytes.data(), 1, bytes.size(), f);
  std::fclose(f);
  try {
    (void)callsim::media::load_audio_8k(path);
  } catch (const callsim::media::MediaError&) {
  }
  unlink(path.c_str());
  return 0;
}
