// The committed speech clips: present, short, small, and decoded alike from both formats.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cmath>

#include "media/audio_file.h"
#include "media/clip_stats.h"
#include "media/frame_source.h"

namespace callsim::media {
namespace {

const char* const kClips[] = {"caller-greeting", "caller-question", "caller-long", "bot-greeting",
                              "bot-answer"};

std::string fixture(const std::string& name) {
  return std::string(CALLSIM_FIXTURES_DIR) + "/audio/" + name;
}

TEST(Fixtures, AllAudioTogetherStaysUnder500KB) {
  off_t total = 0;
  for (const char* clip : kClips) {
    for (const char* extension : {".wav", ".opus"}) {
      struct stat info {};
      ASSERT_EQ(::stat(fixture(std::string(clip) + extension).c_str(), &info), 0)
          << clip << extension;
      total += info.st_size;
    }
  }
  EXPECT_LT(total, 500 * 1024);
}

TEST(Fixtures, EachClipIsAtMostTenSecondsOfSpeechAtAPhoneLevel) {
  for (const char* clip : kClips) {
    auto source = FrameSource::from_file(fixture(std::string(clip) + ".wav"));
    ClipStats stats = measure_clip(*source);
    EXPECT_LE(stats.seconds, 10.0) << clip;
    EXPECT_GE(stats.seconds, 2.0) << clip;
    EXPECT_NEAR(stats.peak_dbfs, -3.0, 0.5) << clip;  // normalised by tools/make-fixtures
    EXPECT_GT(stats.speech_ratio, 0.6) << clip;
    EXPECT_LT(stats.speech_ratio, 0.98) << clip;
  }
}

TEST(Fixtures, OpusAndWavDecodeToTheSameLengthAndLevel) {
  for (const char* clip : kClips) {
    auto wav = load_audio_8k(fixture(std::string(clip) + ".wav"));
    auto opus = load_audio_8k(fixture(std::string(clip) + ".opus"));
    // Pre-skip and end trimming give back exactly the master's samples.
    ASSERT_EQ(opus.size(), wav.size()) << clip;
    double ab = 0, aa = 0, bb = 0;
    for (size_t i = 0; i < wav.size(); ++i) {
      ab += static_cast<double>(wav[i]) * opus[i];
      aa += static_cast<double>(wav[i]) * wav[i];
      bb += static_cast<double>(opus[i]) * opus[i];
    }
    // Aligned to the sample: 16 kbit/s Opus still tracks the waveform closely.
    EXPECT_GT(ab / std::sqrt(aa * bb), 0.8) << clip;
    EXPECT_NEAR(10 * std::log10(bb / aa), 0.0, 1.0) << clip;
  }
}

}  // namespace
}  // namespace callsim::media
