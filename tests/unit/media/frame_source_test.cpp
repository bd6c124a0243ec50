#include "media/frame_source.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "child_process.h"
#include "media/base64.h"
#include "media/media_error.h"
#include "media/mulaw.h"
#include "signals.h"

namespace callsim::media {
namespace {

// 3.5 frames of a ramp, so every sample's encoding is distinct and checkable.
std::vector<int16_t> ramp(size_t samples) {
  std::vector<int16_t> pcm(samples);
  for (size_t i = 0; i < samples; ++i) pcm[i] = static_cast<int16_t>(i * 50 - 12000);
  return pcm;
}

TEST(FrameSource, EncodesEverySampleAndPadsTheLastFrameWithSilence) {
  auto pcm = ramp(560);
  auto source = FrameSource::from_pcm(pcm, "ramp");
  ASSERT_EQ(source->frame_count(), 4u);
  EXPECT_EQ(source->sample_count(), 560u);
  EXPECT_EQ(source->name(), "ramp");
  for (size_t i = 0; i < 560; ++i) {
    ASSERT_EQ(source->frame(i / 160)[i % 160], linear_to_ulaw(pcm[i])) << "sample " << i;
  }
  const uint8_t* last = source->frame(3);
  EXPECT_TRUE(std::all_of(last + 80, last + 160, [](uint8_t b) { return b == 0xFF; }));
  EXPECT_NE(last[79], 0xFF);
}

TEST(FrameSource, ExactMultipleOfAFrameHasNoPadding) {
  auto source = FrameSource::from_pcm(std::vector<int16_t>(320, 1000), "two");
  EXPECT_EQ(source->frame_count(), 2u);
  EXPECT_EQ(source->frame(1)[159], linear_to_ulaw(1000));
}

TEST(FrameSource, LoopsByWrappingFrameIndexes) {
  auto source = FrameSource::from_pcm(ramp(560), "ramp");
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(source->frame(i + 4), source->frame(i));
    EXPECT_EQ(source->frame(i + 4000), source->frame(i));
    EXPECT_EQ(source->frame_base64(i + 8).data(), source->frame_base64(i).data());
  }
  EXPECT_NE(source->frame(1), source->frame(0));
}

TEST(FrameSource, HoldsEachFramesBase64ComputedOnce) {
  auto source = FrameSource::from_pcm(ramp(560), "ramp");
  for (size_t i = 0; i < source->frame_count(); ++i) {
    std::string_view text = source->frame_base64(i);
    ASSERT_EQ(text.size(), 216u);
    EXPECT_EQ(text, base64_encode(source->frame(i), 160));
    auto decoded = base64_decode(text);
    ASSERT_TRUE(decoded);
    EXPECT_TRUE(std::equal(decoded->begin(), decoded->end(), source->frame(i)));
  }
  // The same bytes every time: a view into storage owned by the source, not a fresh string.
  EXPECT_EQ(source->frame_base64(2).data(), source->frame_base64(2).data());
  // Frame 3 ends in 80 padding bytes 0xFF: base64 "/" repeated, then "/w==" for the 160th byte.
  EXPECT_EQ(source->frame_base64(3).substr(160), std::string(52, '/') + "/w==");
}

TEST(FrameSource, DurationIsTwentyMillisecondsPerFrame) {
  auto source = FrameSource::from_pcm(ramp(8001), "ramp");
  EXPECT_EQ(source->frame_count(), 51u);
  EXPECT_EQ(source->duration(), std::chrono::milliseconds(1020));
}

TEST(FrameSource, RejectsAnEmptyClipNamingIt) {
  try {
    FrameSource::from_pcm({}, "nothing.wav");
    FAIL() << "no error";
  } catch (const MediaError& e) {
    EXPECT_STREQ(e.what(), "nothing.wav: no audio samples");
  }
}

TEST(FrameSource, StartOffsetsAreDeterministicAndInRange) {
  auto source = FrameSource::from_pcm(std::vector<int16_t>(295 * 160, 0), "clip");
  for (uint64_t call = 0; call < 1000; ++call) {
    size_t offset = source->start_offset(call, 42);
    ASSERT_LT(offset, 295u);
    ASSERT_EQ(offset, source->start_offset(call, 42));
  }
  // Another seed moves the whole pattern.
  EXPECT_NE(source->start_offset(0, 42), source->start_offset(0, 43));
}

// Gaps between the start frames of `calls` consecutive calls, around the loop.
std::vector<size_t> start_gaps(const FrameSource& source, uint64_t first_call, size_t calls,
                               uint64_t seed) {
  std::vector<size_t> offsets;
  for (uint64_t call = first_call; call < first_call + calls; ++call) {
    offsets.push_back(source.start_offset(call, seed));
  }
  std::sort(offsets.begin(), offsets.end());
  std::vector<size_t> gaps;
  for (size_t i = 0; i < offsets.size(); ++i) {
    size_t next = i + 1 < offsets.size() ? offsets[i + 1] : offsets[0] + source.frame_count();
    gaps.push_back(next - offsets[i]);
  }
  return gaps;
}

TEST(FrameSource, SixtyCallsStartAtDifferentEvenlySpreadFrames) {
  // The caller-question fixture is 295 frames: 60 calls average one start per 4.9 frames.
  // Random offsets would put two calls on the same frame with probability 1 - e^(-6) and leave
  // gaps of 20 frames; the golden-ratio sequence keeps every gap within 2 to 7 frames.
  auto source = FrameSource::from_pcm(std::vector<int16_t>(295 * 160, 0), "clip");
  for (uint64_t seed : {0ull, 7ull, 123456789ull}) {
    auto gaps = start_gaps(*source, 0, 60, seed);
    EXPECT_GE(*std::min_element(gaps.begin(), gaps.end()), 2u) << "seed " << seed;
    EXPECT_LE(*std::max_element(gaps.begin(), gaps.end()), 7u) << "seed " << seed;
  }
}

TEST(FrameSource, ReplacementCallsKeepTheSpread) {
  // Calls 1000..1059 (replacements in a long run) are spread as well as the first sixty.
  auto source = FrameSource::from_pcm(std::vector<int16_t>(496 * 160, 0), "clip");
  auto gaps = start_gaps(*source, 1000, 60, 5);
  EXPECT_GE(*std::min_element(gaps.begin(), gaps.end()), 3u);
  EXPECT_LE(*std::max_element(gaps.begin(), gaps.end()), 14u);
}

TEST(FrameSource, SingleFrameClipAlwaysStartsAtZero) {
  auto source = FrameSource::from_pcm({1, 2, 3}, "tiny");
  EXPECT_EQ(source->frame_count(), 1u);
  EXPECT_EQ(source->start_offset(17, 99), 0u);
  EXPECT_EQ(source->frame(5), source->frame(0));
}

TEST(FrameSource, FromFileNamesTheSourceByItsPath) {
  callsim::test::TempDir dir;
  std::string path = dir.path() + "/clip.ulaw";
  test::write_file(path, std::vector<uint8_t>(200, 0x80));
  auto source = FrameSource::from_file(path);
  EXPECT_EQ(source->name(), path);
  EXPECT_EQ(source->frame_count(), 2u);
  EXPECT_EQ(source->frame(1)[39], 0x80);
  EXPECT_EQ(source->frame(1)[40], 0xFF);
}

}  // namespace
}  // namespace callsim::media
