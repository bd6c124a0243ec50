#include "media/ogg_opus_reader.h"

#include <gtest/gtest.h>

#include <cmath>

#include "media/mono_audio.h"
#include "ogg_opus_encoder.h"
#include "signals.h"

namespace callsim::media {
namespace {

using test::db;
using test::encode_ogg_opus;
using test::OggOpusSpec;

// A non-periodic test signal (three incommensurate tones under a slow envelope), so a shift of
// the decoded audio by a few samples shows as a drop in correlation.
std::vector<int16_t> speechlike(size_t samples, int rate) {
  std::vector<int16_t> out(samples);
  for (size_t n = 0; n < samples; ++n) {
    double t = static_cast<double>(n) / rate;
    double envelope = 0.6 + 0.4 * std::sin(2 * M_PI * 3.1 * t);
    double value = std::sin(2 * M_PI * 431 * t) + 0.7 * std::sin(2 * M_PI * 1187 * t) +
                   0.5 * std::sin(2 * M_PI * 2293 * t);
    out[n] = static_cast<int16_t>(std::lround(6000 * envelope * value));
  }
  return out;
}

MonoAudio decode(const std::vector<uint8_t>& bytes) {
  return decode_ogg_opus(bytes.data(), bytes.size(), "test.opus");
}

// Normalised cross-correlation of b shifted by `lag` samples against a.
double correlation(const std::vector<int16_t>& a, const std::vector<int16_t>& b, int lag) {
  double ab = 0, aa = 0, bb = 0;
  for (size_t n = 400; n + 400 < a.size(); ++n) {
    auto m = static_cast<int64_t>(n) + lag;
    if (m < 0 || static_cast<size_t>(m) >= b.size()) continue;
    ab += static_cast<double>(a[n]) * b[static_cast<size_t>(m)];
    aa += static_cast<double>(a[n]) * a[n];
    bb += static_cast<double>(b[static_cast<size_t>(m)]) * b[static_cast<size_t>(m)];
  }
  return ab / std::sqrt(aa * bb);
}

int best_lag(const std::vector<int16_t>& a, const std::vector<int16_t>& b) {
  int best = 0;
  for (int lag = -80; lag <= 80; ++lag) {
    if (correlation(a, b, lag) > correlation(a, b, best)) best = lag;
  }
  return best;
}

TEST(OggOpusReader, HonoursPreSkipAndEndTrimmingSampleExactly) {
  // 8037 samples is not a whole number of 20 ms packets; the encoder's pre-skip is 6.5 ms.
  auto input = speechlike(8037, 8000);
  auto audio = decode(encode_ogg_opus(input, OggOpusSpec{}));
  EXPECT_EQ(audio.sample_rate, 8000);
  auto decoded = to_pcm16(audio.samples);
  ASSERT_EQ(decoded.size(), input.size());
  EXPECT_EQ(best_lag(input, decoded), 0);
  EXPECT_GT(correlation(input, decoded, 0), 0.9);
}

TEST(OggOpusReader, WithoutEndTrimmingKeepsEveryDecodedSample) {
  OggOpusSpec spec;
  spec.trim_end = false;
  auto decoded = decode(encode_ogg_opus(speechlike(8037, 8000), spec)).samples;
  // 8037 + 52 samples of lookahead, rounded up to 160-sample packets (8160), minus the 52
  // pre-skipped.
  EXPECT_EQ(decoded.size(), 8160u - 52u);
}

TEST(OggOpusReader, Decodes48kHzInputNativelyAt8kHz) {
  OggOpusSpec spec;
  spec.sample_rate = 48000;
  auto input48 = test::tone(1000, 48000, 1.0, 12000);
  auto decoded = to_pcm16(decode(encode_ogg_opus(input48, spec)).samples);
  ASSERT_EQ(decoded.size(), 8000u);
  EXPECT_NEAR(db(test::tone_amplitude(decoded, 1000, 8000, 800, 7200) / 12000), 0.0, 1.0);
}

TEST(OggOpusReader, AppliesTheOutputGain) {
  OggOpusSpec spec;
  spec.output_gain_q8 = -6 * 256;  // -6 dB
  auto input = test::tone(1000, 8000, 1.0, 12000);
  auto plain = to_pcm16(decode(encode_ogg_opus(input, OggOpusSpec{})).samples);
  auto quieter = to_pcm16(decode(encode_ogg_opus(input, spec)).samples);
  double gain = db(test::tone_amplitude(quieter, 1000, 8000, 800, 7200) /
                   test::tone_amplitude(plain, 1000, 8000, 800, 7200));
  EXPECT_NEAR(gain, -6.0, 0.1);
}

TEST(OggOpusReader, DownmixesStereoToTheMeanOfItsChannels) {
  OggOpusSpec spec;
  spec.channels = 2;
  auto left = test::tone(1000, 8000, 1.0, 12000);
  std::vector<int16_t> right(left.size(), 0);
  auto decoded = to_pcm16(decode(encode_ogg_opus(test::interleave({left, right}), spec)).samples);
  ASSERT_EQ(decoded.size(), 8000u);
  EXPECT_NEAR(db(test::tone_amplitude(decoded, 1000, 8000, 800, 7200) / 6000), 0.0, 1.0);
}

TEST(OggOpusReader, DownmixesSurroundMappingFamily1) {
  // 6 channels (5.1) as 4 streams, 2 of them coupled; a different tone on each channel.
  OggOpusSpec spec;
  spec.channels = 6;
  std::vector<std::vector<int16_t>> channels;
  const double frequencies[] = {300, 500, 700, 900, 1100, 1300};
  for (double f : frequencies) channels.push_back(test::tone(f, 8000, 1.0, 12000));
  auto decoded = to_pcm16(decode(encode_ogg_opus(test::interleave(channels), spec)).samples);
  ASSERT_EQ(decoded.size(), 8000u);
  // Channels are in Vorbis order; the encoder low-passes the last one (LFE). The others arrive
  // at 1/6 of their level each.
  for (int c : {0, 1, 2, 3, 4}) {
    EXPECT_NEAR(db(test::tone_amplitude(decoded, frequencies[c], 8000, 800, 7200) / 2000), 0.0, 1.5)
        << "channel " << c;
  }
}

}  // namespace
}  // namespace callsim::media
