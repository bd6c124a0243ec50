#include "media/resampler.h"

#include <gtest/gtest.h>

#include <cmath>

#include "child_process.h"
#include "media/audio_file.h"
#include "media/mono_audio.h"
#include "signals.h"
#include "wav_bytes.h"

namespace callsim::media {
namespace {

using test::db;
using test::rms;
using test::tone;
using test::tone_amplitude;

// Skips the filter's start-up and tail (a few ms) when measuring steady tones.
constexpr size_t kEdge = 400;

std::vector<int16_t> load_wav(const test::WavBytes& wav, const std::string& name) {
  callsim::test::TempDir dir;
  std::string path = dir.path() + "/" + name;
  test::write_file(path, wav.bytes());
  return load_audio_8k(path);
}

TEST(Resampler, KeepsA1kHzToneFromA48kHzFileWithinHalfADecibel) {
  auto input = tone(1000, 48000, 1.0, 16000);
  auto out = load_wav(test::WavBytes().fmt(1, 1, 48000, 16).data_pcm16(input), "tone.wav");
  ASSERT_EQ(out.size(), 8000u);
  double amplitude = tone_amplitude(out, 1000, 8000, kEdge, out.size() - kEdge);
  EXPECT_NEAR(db(amplitude / 16000), 0.0, 0.5);
}

TEST(Resampler, Attenuates6kHzInA48kHzFileBy40Decibels) {
  // Dropping 5 of every 6 samples would fold 6 kHz onto 2 kHz at full level.
  auto input = tone(6000, 48000, 1.0, 16000);
  auto out = load_wav(test::WavBytes().fmt(1, 1, 48000, 16).data_pcm16(input), "tone.wav");
  ASSERT_EQ(out.size(), 8000u);
  double attenuation = db(rms(out, kEdge, out.size() - kEdge) / rms(input, 0, input.size()));
  EXPECT_LE(attenuation, -40.0);
}

TEST(Resampler, PassesTheTelephoneBandAndStopsEverythingThatWouldAlias) {
  for (double frequency : {300.0, 2000.0, 3400.0}) {
    auto out = to_pcm16(resample(test::tone_float(frequency, 48000, 1.0, 16000), 48000, 8000));
    EXPECT_NEAR(db(tone_amplitude(out, frequency, 8000, kEdge, out.size() - kEdge) / 16000), 0.0,
                0.1)
        << frequency << " Hz";
  }
  for (double frequency : {4100.0, 5000.0, 9000.0, 20000.0}) {
    auto out = to_pcm16(resample(test::tone_float(frequency, 48000, 1.0, 16000), 48000, 8000));
    EXPECT_LE(db(rms(out, kEdge, out.size() - kEdge) / (16000 / std::sqrt(2.0))), -60.0)
        << frequency << " Hz";
  }
}

TEST(Resampler, HandlesCdRateWithItsExactRationalPhases) {
  // 44100 -> 8000 is 80/441: every output lands on one of 80 phases.
  auto out = to_pcm16(resample(test::tone_float(1000, 44100, 1.0, 16000), 44100, 8000));
  ASSERT_EQ(out.size(), 8000u);
  EXPECT_NEAR(db(tone_amplitude(out, 1000, 8000, kEdge, out.size() - kEdge) / 16000), 0.0, 0.1);
  auto alias = to_pcm16(resample(test::tone_float(7000, 44100, 1.0, 16000), 44100, 8000));
  EXPECT_LE(db(rms(alias, kEdge, alias.size() - kEdge) / (16000 / std::sqrt(2.0))), -60.0);
}

TEST(Resampler, HandlesRatesWithThousandsOfPhases) {
  // 8000/47999 needs 8000 phases; the kernel is interpolated between 1024 of them.
  auto out = to_pcm16(resample(test::tone_float(1000, 47999, 1.0, 16000), 47999, 8000));
  EXPECT_EQ(out.size(), 8000u);  // ceil(47999 * 8000 / 47999)
  EXPECT_NEAR(db(tone_amplitude(out, 1000, 8000, kEdge, out.size() - kEdge) / 16000), 0.0, 0.1);
}

TEST(Resampler, HandlesTheHighestOddRates) {
  // 767999 Hz: a 6400-tap kernel at 8000 phases would be 51 M coefficients; the table is held to
  // about a million and interpolated, still well within a tenth of a decibel.
  auto out = to_pcm16(resample(test::tone_float(1000, 767999, 0.25, 16000), 767999, 8000));
  EXPECT_EQ(out.size(), 2001u);  // ceil(192000 * 8000 / 767999)
  EXPECT_NEAR(db(tone_amplitude(out, 1000, 8000, kEdge, out.size() - kEdge) / 16000), 0.0, 0.1);
  auto alias = to_pcm16(resample(test::tone_float(12000, 767999, 0.25, 16000), 767999, 8000));
  EXPECT_LE(db(rms(alias, kEdge, alias.size() - kEdge) / (16000 / std::sqrt(2.0))), -60.0);
}

TEST(Resampler, UpsamplesWithoutImages) {
  // 4 kHz -> 8 kHz: a 1 kHz tone stays, its 3 kHz image must not appear.
  auto out = to_pcm16(resample(test::tone_float(1000, 4000, 1.0, 16000), 4000, 8000));
  ASSERT_EQ(out.size(), 8000u);
  EXPECT_NEAR(db(tone_amplitude(out, 1000, 8000, kEdge, out.size() - kEdge) / 16000), 0.0, 0.1);
  EXPECT_LE(db(tone_amplitude(out, 3000, 8000, kEdge, out.size() - kEdge) / 16000), -60.0);
}

TEST(Resampler, KeepsDcExactly) {
  std::vector<float> step(4800, 0.0f);
  std::fill(step.begin() + 2400, step.end(), 0.25f);
  auto out = resample(step, 48000, 8000);
  ASSERT_EQ(out.size(), 800u);
  EXPECT_NEAR(out[100], 0.0f, 1e-6);
  EXPECT_NEAR(out[700], 0.25f, 1e-6);
}

TEST(Resampler, AddsNoDelay) {
  // Output sample n must be the band-limited input at time n / 8000 s: compare with the tone
  // sampled directly at 8 kHz. A delay of one input sample (1/48 ms) would leave errors of 2000.
  auto out = to_pcm16(resample(test::tone_float(1000, 48000, 1.0, 16000), 48000, 8000));
  auto ideal = tone(1000, 8000, 1.0, 16000);
  ASSERT_EQ(out.size(), ideal.size());
  for (size_t n = kEdge; n < out.size() - kEdge; ++n) ASSERT_NEAR(out[n], ideal[n], 4) << n;
}

TEST(Resampler, LengthIsTheCeilingOfTheScaledInput) {
  EXPECT_EQ(resample(std::vector<float>(7, 0.0f), 48000, 8000).size(), 2u);
  EXPECT_EQ(resample(std::vector<float>(6, 0.0f), 48000, 8000).size(), 1u);
  EXPECT_EQ(resample(std::vector<float>(441, 0.0f), 44100, 8000).size(), 80u);
  EXPECT_EQ(resample(std::vector<float>(3, 0.0f), 4000, 8000).size(), 6u);
  EXPECT_TRUE(resample({}, 48000, 8000).empty());
}

TEST(Resampler, EqualRatesReturnTheInput) {
  std::vector<float> in = {0.5f, -0.25f, 0.125f};
  EXPECT_EQ(resample(in, 8000, 8000), in);
}

}  // namespace
}  // namespace callsim::media
