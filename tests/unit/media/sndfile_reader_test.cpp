#include "media/sndfile_reader.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "media/mulaw.h"
#include "signals.h"
#include "wav_bytes.h"

namespace callsim::media {
namespace {

using test::WavBytes;

constexpr uint16_t kPcm = 1;
constexpr uint16_t kFloat = 3;
constexpr uint16_t kAlaw = 6;
constexpr uint16_t kMulaw = 7;

MonoAudio decode(const WavBytes& wav) {
  auto bytes = wav.bytes();
  return decode_sndfile(bytes.data(), bytes.size(), "test.wav");
}

std::vector<float> scaled(const std::vector<int>& samples) {
  std::vector<float> out;
  for (int s : samples) out.push_back(static_cast<float>(s) / 32768.0f);
  return out;
}

TEST(WavReader, ReadsMonoPcm16Exactly) {
  auto audio = decode(WavBytes().fmt(kPcm, 1, 8000, 16).data_pcm16({0, 1, -1, 32767, -32768}));
  EXPECT_EQ(audio.sample_rate, 8000);
  EXPECT_EQ(audio.samples, scaled({0, 1, -1, 32767, -32768}));
}

TEST(WavReader, AveragesChannels) {
  // Three channels: the mean of 300, 600 and -300 is 200.
  auto audio = decode(WavBytes().fmt(kPcm, 3, 22050, 16).data_pcm16({300, 600, -300, 3, 3, 3}));
  EXPECT_EQ(audio.sample_rate, 22050);
  ASSERT_EQ(audio.samples.size(), 2u);
  EXPECT_FLOAT_EQ(audio.samples[0], 200.0f / 32768.0f);
  EXPECT_FLOAT_EQ(audio.samples[1], 3.0f / 32768.0f);
}

TEST(WavReader, ReadsMulawAndAlaw) {
  auto mulaw = decode(WavBytes()
                          .fmt(kMulaw, 1, 8000, 8, true)
                          .chunk("fact", {3, 0, 0, 0})
                          .chunk("data", {0xFF, 0x80, 0x00}));
  EXPECT_EQ(mulaw.samples, scaled({0, 32124, -32124}));
  auto alaw = decode(WavBytes().fmt(kAlaw, 1, 8000, 8, true).chunk("data", {0xD5, 0xAA, 0x2A}));
  EXPECT_EQ(alaw.samples, scaled({8, 32256, -32256}));
}

TEST(WavReader, ReadsPcm8Pcm24Pcm32AndFloat) {
  auto pcm8 = decode(WavBytes().fmt(kPcm, 1, 8000, 8).chunk("data", {128, 255, 0}));
  EXPECT_EQ(pcm8.samples, (std::vector<float>{0.0f, 127.0f / 128.0f, -1.0f}));

  auto pcm24 = decode(WavBytes()
                          .fmt(kPcm, 1, 8000, 24)
                          .chunk("data", test::pcm24_bytes({0x400000, -0x800000, 0x100})));
  EXPECT_EQ(pcm24.samples, (std::vector<float>{0.5f, -1.0f, 1.0f / 32768.0f}));

  auto pcm32 = decode(WavBytes()
                          .fmt(kPcm, 1, 8000, 32)
                          .chunk("data", {0x00, 0x00, 0x00, 0xC0, 0x00, 0x00, 0x00, 0x20}));
  EXPECT_EQ(pcm32.samples, (std::vector<float>{-0.5f, 0.25f}));

  auto f32 = decode(WavBytes()
                        .fmt(kFloat, 2, 8000, 32)
                        .chunk("data", test::float32_bytes({0.5f, 0.25f, -1.0f, 0.0f})));
  EXPECT_EQ(f32.samples, (std::vector<float>{0.375f, -0.5f}));
}

TEST(WavReader, ReadsWaveFormatExtensible) {
  auto pcm = decode(WavBytes()
                        .fmt_extensible(kPcm, 2, 16000, 16, 16, 0x3)
                        .data_pcm16({1000, 3000, -2000, -4000}));
  EXPECT_EQ(pcm.sample_rate, 16000);
  EXPECT_EQ(pcm.samples, scaled({2000, -3000}));

  // 20 valid bits in a 24-bit container: samples are left-justified, so read as 24-bit.
  auto pcm24 = decode(WavBytes()
                          .fmt_extensible(kPcm, 1, 8000, 24, 20, 0x4)
                          .chunk("data", test::pcm24_bytes({0x200000})));
  EXPECT_EQ(pcm24.samples, (std::vector<float>{0.25f}));

  auto mulaw = decode(WavBytes().fmt_extensible(kMulaw, 1, 8000, 8, 8, 0x4).chunk("data", {0x80}));
  EXPECT_EQ(mulaw.samples, scaled({32124}));
}

TEST(WavReader, SkipsUnknownChunksIncludingOddSizedOnes) {
  auto audio = decode(WavBytes()
                          .chunk("JUNK", std::vector<uint8_t>(27, 0xAB))
                          .fmt(kPcm, 1, 8000, 16)
                          .chunk("LIST", {'I', 'N', 'F', 'O', 'x'})
                          .chunk("bext", {})
                          .data_pcm16({42, -42})
                          .chunk("id3 ", {1, 2, 3}));
  EXPECT_EQ(audio.samples, scaled({42, -42}));
}

TEST(WavReader, ReadsToEndOfFileWhenTheDataSizeIsUnknown) {
  // Writers that cannot seek back (ffmpeg to a pipe) leave 0xFFFFFFFF in the data size.
  auto audio = decode(
      WavBytes().fmt(kPcm, 1, 8000, 16).chunk("data", test::pcm16_bytes({5, 6, 7}), 0xFFFFFFFF));
  EXPECT_EQ(audio.samples, scaled({5, 6, 7}));
}

TEST(WavReader, IgnoresATrailingPartialSampleFrame) {
  auto audio = decode(WavBytes().fmt(kPcm, 2, 8000, 16).chunk("data", {1, 0, 3, 0, 9}));
  EXPECT_EQ(audio.samples, scaled({2}));
}

TEST(WavReader, ReplacesNonFiniteFloatSamplesWithSilence) {
  float nan = std::numeric_limits<float>::quiet_NaN();
  float inf = std::numeric_limits<float>::infinity();
  auto audio = decode(
      WavBytes().fmt(kFloat, 1, 8000, 32).chunk("data", test::float32_bytes({nan, inf, 0.5f})));
  EXPECT_EQ(audio.samples, (std::vector<float>{0.0f, 0.0f, 0.5f}));
}

}  // namespace
}  // namespace callsim::media
