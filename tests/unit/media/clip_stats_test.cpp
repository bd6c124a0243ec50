#include "media/clip_stats.h"

#include <gtest/gtest.h>

#include <cmath>

#include "signals.h"

namespace callsim::media {
namespace {

TEST(ClipStats, MeasuresLevelsAndSpeechOfTheFramesAsSent) {
  // 1 s of silence, 1 s of a tone 20 dB below full scale, 1 s of silence: 150 frames.
  std::vector<int16_t> pcm(8000, 0);
  auto tone = test::tone(500, 8000, 1.0, 3276.8 * std::sqrt(2.0));
  pcm.insert(pcm.end(), tone.begin(), tone.end());
  pcm.insert(pcm.end(), 8000, 0);
  auto source = FrameSource::from_pcm(pcm, "clip");
  ClipStats stats = measure_clip(*source);
  EXPECT_EQ(stats.frames, 150u);
  EXPECT_DOUBLE_EQ(stats.seconds, 3.0);
  EXPECT_NEAR(stats.peak_dbfs, -17.0, 0.3);  // a sine's peak is 3 dB above its RMS
  EXPECT_NEAR(stats.rms_dbfs, -20.0 - 10 * std::log10(3.0), 0.2);
  // Speaking from the tone's 2nd frame through 30 frames of hangover: 49 + 29 frames.
  EXPECT_EQ(stats.utterances, 1u);
  EXPECT_NEAR(stats.speech_ratio, (49.0 + 29.0) / 150.0, 1e-9);
}

TEST(ClipStats, DigitalSilenceIsMinusInfinity) {
  auto source = FrameSource::from_pcm(std::vector<int16_t>(160, 0), "silence");
  ClipStats stats = measure_clip(*source);
  EXPECT_TRUE(std::isinf(stats.peak_dbfs) && stats.peak_dbfs < 0);
  EXPECT_TRUE(std::isinf(stats.rms_dbfs) && stats.rms_dbfs < 0);
  EXPECT_EQ(stats.speech_ratio, 0.0);
  EXPECT_EQ(stats.utterances, 0u);
}

}  // namespace
}  // namespace callsim::media
