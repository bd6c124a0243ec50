// Files written by libsndfile itself in the formats callsim now reads through it: a known tone
// goes in, and load_audio_8k must give back its length and level (exactly, for lossless ones).
#include <gtest/gtest.h>
#include <sndfile.h>

#include <algorithm>
#include <cmath>

#include "child_process.h"
#include "media/audio_file.h"
#include "media/media_error.h"
#include "signals.h"

namespace callsim::media {
namespace {

using test::db;
using test::tone;
using test::tone_amplitude;

constexpr size_t kEdge = 400;  // the resampler's start-up and tail, at 8 kHz

class SndfileFormats : public ::testing::Test {
 protected:
  // Writes mono `samples` (16-bit units) as `format` at `rate`; false when this libsndfile cannot
  // write that format at all.
  bool write(const std::string& path, int format, int rate, const std::vector<int16_t>& samples) {
    SF_INFO info{};
    info.samplerate = rate;
    info.channels = 1;
    info.format = format;
    if (!sf_format_check(&info)) return false;
    SNDFILE* file = sf_open(path.c_str(), SFM_WRITE, &info);
    if (!file) {
      ADD_FAILURE() << path << ": " << sf_strerror(nullptr);
      return false;
    }
    std::vector<float> scaled(samples.size());
    for (size_t i = 0; i < samples.size(); ++i) scaled[i] = samples[i] / 32768.0f;
    EXPECT_EQ(sf_writef_float(file, scaled.data(), static_cast<sf_count_t>(scaled.size())),
              static_cast<sf_count_t>(scaled.size()));
    EXPECT_EQ(sf_close(file), 0);
    return true;
  }
  // Long files of digital silence, written a block at a time.
  void write_silence(const std::string& path, int format, int rate, sf_count_t frames) {
    SF_INFO info{};
    info.samplerate = rate;
    info.channels = 1;
    info.format = format;
    SNDFILE* file = sf_open(path.c_str(), SFM_WRITE, &info);
    ASSERT_NE(file, nullptr) << path << ": " << sf_strerror(nullptr);
    std::vector<short> block(1 << 16, 0);
    for (sf_count_t left = frames; left > 0;) {
      sf_count_t n = std::min<sf_count_t>(left, static_cast<sf_count_t>(block.size()));
      ASSERT_EQ(sf_writef_short(file, block.data(), n), n);
      left -= n;
    }
    ASSERT_EQ(sf_close(file), 0);
  }
  std::string path(const std::string& name) const { return dir_.path() + "/" + name; }

  callsim::test::TempDir dir_;
};

TEST_F(SndfileFormats, ReadsFlacLosslesslyAndResamplesIt) {
  auto input = tone(1000, 48000, 1.0, 16000);
  ASSERT_TRUE(write(path("tone.flac"), SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 48000, input));
  auto pcm = load_audio_8k(path("tone.flac"));
  ASSERT_EQ(pcm.size(), 8000u);
  EXPECT_NEAR(db(tone_amplitude(pcm, 1000, 8000, kEdge, pcm.size() - kEdge) / 16000), 0.0, 0.1);

  auto at_8k = tone(440, 8000, 0.5, 12000);
  ASSERT_TRUE(write(path("plain.flac"), SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 8000, at_8k));
  EXPECT_EQ(load_audio_8k(path("plain.flac")), at_8k);
}

TEST_F(SndfileFormats, ReadsOggVorbis) {
  auto input = tone(1000, 44100, 1.0, 16000);
  ASSERT_TRUE(write(path("tone.ogg"), SF_FORMAT_OGG | SF_FORMAT_VORBIS, 44100, input));
  auto pcm = load_audio_8k(path("tone.ogg"));
  ASSERT_EQ(pcm.size(), 8000u);  // Vorbis keeps the exact length in its granule positions
  EXPECT_NEAR(db(tone_amplitude(pcm, 1000, 8000, kEdge, pcm.size() - kEdge) / 16000), 0.0, 0.5);
}

TEST_F(SndfileFormats, ReadsFloatAnd24BitWavExactly) {
  auto input = tone(1234, 8000, 0.3, 30000);
  ASSERT_TRUE(write(path("float.wav"), SF_FORMAT_WAV | SF_FORMAT_FLOAT, 8000, input));
  EXPECT_EQ(load_audio_8k(path("float.wav")), input);
  ASSERT_TRUE(write(path("double.wav"), SF_FORMAT_WAV | SF_FORMAT_DOUBLE, 8000, input));
  EXPECT_EQ(load_audio_8k(path("double.wav")), input);
  ASSERT_TRUE(write(path("pcm24.wav"), SF_FORMAT_WAV | SF_FORMAT_PCM_24, 8000, input));
  EXPECT_EQ(load_audio_8k(path("pcm24.wav")), input);

  auto wide = tone(1000, 96000, 1.0, 16000);
  ASSERT_TRUE(write(path("hires.wav"), SF_FORMAT_WAV | SF_FORMAT_PCM_24, 96000, wide));
  auto pcm = load_audio_8k(path("hires.wav"));
  ASSERT_EQ(pcm.size(), 8000u);
  EXPECT_NEAR(db(tone_amplitude(pcm, 1000, 8000, kEdge, pcm.size() - kEdge) / 16000), 0.0, 0.1);
}

TEST_F(SndfileFormats, ReadsCodecsTheHandWrittenReaderRefused) {
  // IMA ADPCM and GSM 6.10 WAV, big-endian RIFX and AIFF: lossy or not, a 1 kHz tone survives.
  const struct {
    const char* name;
    int format;
    size_t samples;  // the codecs pad the last block with silence
    double tolerance_db;
  } kCases[] = {{"ima.wav", SF_FORMAT_WAV | SF_FORMAT_IMA_ADPCM, 16 * 505, 1.0},
                {"gsm.wav", SF_FORMAT_WAV | SF_FORMAT_GSM610, 26 * 320, 1.0},
                {"big.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16 | SF_ENDIAN_BIG, 8000, 0.01},
                {"tone.aiff", SF_FORMAT_AIFF | SF_FORMAT_PCM_16, 8000, 0.01}};
  auto input = tone(1000, 8000, 1.0, 16000);
  for (const auto& c : kCases) {
    ASSERT_TRUE(write(path(c.name), c.format, 8000, input)) << c.name;
    auto pcm = load_audio_8k(path(c.name));
    EXPECT_EQ(pcm.size(), c.samples) << c.name;
    EXPECT_NEAR(db(tone_amplitude(pcm, 1000, 8000, kEdge, 7000) / 16000), 0.0, c.tolerance_db)
        << c.name;
  }
}

TEST_F(SndfileFormats, ReadsMp3WhereLibsndfileSupportsIt) {
  // Debian 12's libsndfile 1.2 reads MPEG audio with mpg123 and writes it with LAME.
  auto input = tone(1000, 16000, 1.0, 16000);
  if (!write(path("tone.mp3"), SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III, 16000, input)) {
    GTEST_SKIP() << "this libsndfile has no MPEG support";
  }
  auto pcm = load_audio_8k(path("tone.mp3"));
  // LAME's header tells mpg123 the encoder delay and padding, which it trims: gapless.
  EXPECT_EQ(pcm.size(), 8000u);
  EXPECT_NEAR(db(tone_amplitude(pcm, 1000, 8000, 1600, 6400) / 16000), 0.0, 1.0);
}

TEST_F(SndfileFormats, LimitsHoldForEveryFormat) {
  ASSERT_TRUE(write(path("slow.flac"), SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 500, {1, 2, 3}));
  try {
    load_audio_8k(path("slow.flac"));
    ADD_FAILURE() << "a 500 Hz FLAC loaded";
  } catch (const MediaError& e) {
    EXPECT_EQ(std::string(e.what()),
              path("slow.flac") + ": unsupported sample rate 500 Hz (expected 1000 to 768000)");
  }
  // 3600.001 s at 1 kHz: FLAC declares its length, which is refused before decoding.
  ASSERT_NO_FATAL_FAILURE(
      write_silence(path("long.flac"), SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 1000, 3600 * 1000 + 1));
  try {
    load_audio_8k(path("long.flac"));
    ADD_FAILURE() << "an hour-long FLAC loaded";
  } catch (const MediaError& e) {
    EXPECT_EQ(std::string(e.what()),
              path("long.flac") + ": audio is longer than 3600 s; fixtures are short clips");
  }
  // Twelve minutes of silence at 48 kHz is a small FLAC but 138 MB of floats decoded.
  ASSERT_NO_FATAL_FAILURE(
      write_silence(path("big.flac"), SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 48000, 33554432 + 1));
  try {
    load_audio_8k(path("big.flac"));
    ADD_FAILURE() << "a FLAC decoding to 32 Mi samples loaded";
  } catch (const MediaError& e) {
    EXPECT_EQ(std::string(e.what()), path("big.flac") +
                                         ": audio is longer than 33554432 samples (699 s at "
                                         "48000 Hz); fixtures are short clips");
  }
}

}  // namespace
}  // namespace callsim::media
