#include "media/audio_file.h"

#include <gtest/gtest.h>

#include <limits>

#include "child_process.h"
#include "media/mono_audio.h"
#include "media/mulaw.h"
#include "ogg_opus_encoder.h"
#include "signals.h"
#include "wav_bytes.h"

namespace callsim::media {
namespace {

class AudioFile : public ::testing::Test {
 protected:
  std::string write(const std::string& name, const std::vector<uint8_t>& bytes) {
    std::string path = dir_.path() + "/" + name;
    test::write_file(path, bytes);
    return path;
  }
  callsim::test::TempDir dir_;
};

TEST_F(AudioFile, ReadsRawMulawByExtension) {
  std::vector<uint8_t> codes = {0xFF, 0x80, 0x00, 0x7E};
  for (const char* name : {"clip.ulaw", "clip.raw", "CLIP.ULAW"}) {
    EXPECT_EQ(load_audio_8k(write(name, codes)), (std::vector<int16_t>{0, 32124, -32124, -8}))
        << name;
  }
}

TEST_F(AudioFile, MagicBytesWinOverTheExtension) {
  auto wav = test::WavBytes().fmt(1, 1, 8000, 16).data_pcm16({100, -100}).bytes();
  EXPECT_EQ(load_audio_8k(write("really-a-wav.raw", wav)), (std::vector<int16_t>{100, -100}));
  auto opus = test::encode_ogg_opus(test::tone(440, 8000, 0.2, 8000), test::OggOpusSpec{});
  EXPECT_EQ(load_audio_8k(write("really-opus.wav", opus)).size(), 1600u);
  EXPECT_EQ(load_audio_8k(write("no-extension", opus)).size(), 1600u);
}

TEST_F(AudioFile, DownmixesAndResamplesAStereo44kHzWav) {
  auto left = test::tone(1000, 44100, 1.0, 16000);
  std::vector<int16_t> right(left.size(), 0);
  auto wav =
      test::WavBytes().fmt(1, 2, 44100, 16).data_pcm16(test::interleave({left, right})).bytes();
  auto pcm = load_audio_8k(write("stereo.wav", wav));
  ASSERT_EQ(pcm.size(), 8000u);
  EXPECT_NEAR(test::db(test::tone_amplitude(pcm, 1000, 8000, 400, 7600) / 8000), 0.0, 0.1);
}

TEST_F(AudioFile, Mono8kHzPcmPassesThroughUntouched) {
  auto input = test::tone(1234, 8000, 0.3, 30000);
  auto wav = test::WavBytes().fmt(1, 1, 8000, 16).data_pcm16(input).bytes();
  EXPECT_EQ(load_audio_8k(write("plain.wav", wav)), input);
}

// NaN (which the resampler makes of near-FLT_MAX float WAV samples: inf - inf) had no int16
// value: UB that clang's UBSan stops on (tests/fuzz/corpus/audio_file/regression-nan-pcm16);
// g++ without sanitizers happened to give 0 too, so this pins the value rather than the crash.
TEST(MonoAudio, NaNSamplesBecomeSilenceAndInfinitiesClip) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  EXPECT_EQ(to_pcm16({nan, inf, -inf, 0.5f}), (std::vector<int16_t>{0, 32767, -32768, 16384}));
}

}  // namespace
}  // namespace callsim::media
