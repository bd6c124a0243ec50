#include "media/wav_writer.h"

#include <gtest/gtest.h>

#include "child_process.h"
#include "media/audio_file.h"
#include "media/media_error.h"
#include "media/mulaw.h"
#include "media/sndfile_reader.h"
#include "signals.h"

namespace callsim::media {
namespace {

uint32_t le32(const std::vector<uint8_t>& b, size_t at) {
  return b.at(at) | (b.at(at + 1) << 8) | (b.at(at + 2) << 16) |
         (static_cast<uint32_t>(b.at(at + 3)) << 24);
}
uint16_t le16(const std::vector<uint8_t>& b, size_t at) {
  return static_cast<uint16_t>(b.at(at) | (b.at(at + 1) << 8));
}

// Offset of a chunk's body, walking the RIFF chunk list independently of the reader.
size_t find_chunk(const std::vector<uint8_t>& b, const std::string& tag) {
  for (size_t at = 12; at + 8 <= b.size(); at += 8 + le32(b, at + 4) + (le32(b, at + 4) & 1)) {
    if (std::string(b.begin() + static_cast<std::ptrdiff_t>(at),
                    b.begin() + static_cast<std::ptrdiff_t>(at) + 4) == tag)
      return at + 8;
  }
  return 0;
}

class WavWriterTest : public ::testing::Test {
 protected:
  std::string path(const std::string& name) { return dir_.path() + "/" + name; }
  callsim::test::TempDir dir_;
};

TEST_F(WavWriterTest, MonoMulawRoundTripsBitExactly) {
  std::vector<uint8_t> codes(256);
  for (int i = 0; i < 256; ++i) codes[static_cast<size_t>(i)] = static_cast<uint8_t>(i);
  {
    WavWriter writer(path("codes.wav"), WavWriter::Encoding::kMulaw);
    writer.write_ulaw(codes.data(), 100);
    writer.write_ulaw(codes.data() + 100, 156);
    EXPECT_EQ(writer.sample_frames_written(), 256u);
    writer.finish();
  }
  auto bytes = test::read_file(path("codes.wav"));
  size_t fmt = find_chunk(bytes, "fmt ");
  ASSERT_NE(fmt, 0u);
  EXPECT_EQ(le16(bytes, fmt), 7);      // mu-law
  EXPECT_EQ(le16(bytes, fmt + 2), 1);  // channels
  EXPECT_EQ(le32(bytes, fmt + 4), 8000u);
  EXPECT_EQ(le32(bytes, fmt + 8), 8000u);  // bytes per second
  EXPECT_EQ(le16(bytes, fmt + 14), 8);
  EXPECT_EQ(le32(bytes, find_chunk(bytes, "fact")), 256u);
  size_t data = find_chunk(bytes, "data");
  ASSERT_NE(data, 0u);
  EXPECT_EQ(le32(bytes, data - 4), 256u);
  EXPECT_EQ(std::vector<uint8_t>(bytes.begin() + static_cast<std::ptrdiff_t>(data), bytes.end()),
            codes);
  EXPECT_EQ(le32(bytes, 4), bytes.size() - 8);

  auto pcm = load_audio_8k(path("codes.wav"));
  ASSERT_EQ(pcm.size(), 256u);
  for (int i = 0; i < 256; ++i)
    EXPECT_EQ(pcm[static_cast<size_t>(i)], ulaw_to_linear(static_cast<uint8_t>(i)));
}

TEST_F(WavWriterTest, Pcm16RoundTripsExactly) {
  auto input = test::tone(440, 8000, 0.5, 20000);
  write_wav(path("tone.wav"), input, WavWriter::Encoding::kPcm16);
  auto bytes = test::read_file(path("tone.wav"));
  EXPECT_EQ(bytes.size(), 44u + 2 * input.size());
  EXPECT_EQ(load_audio_8k(path("tone.wav")), input);
}

TEST_F(WavWriterTest, EncodesPcmInputAsMulaw) {
  std::vector<int16_t> input = {0, 1000, -1000, 32767};
  write_wav(path("enc.wav"), input, WavWriter::Encoding::kMulaw);
  auto bytes = test::read_file(path("enc.wav"));
  size_t data = find_chunk(bytes, "data");
  for (size_t i = 0; i < input.size(); ++i) EXPECT_EQ(bytes.at(data + i), linear_to_ulaw(input[i]));
  EXPECT_EQ(bytes.size() % 2, 0u);  // 4 data bytes, no pad needed; header stays even
}

TEST_F(WavWriterTest, StereoCallRecordingPutsTheCallerLeftAndTheBotRight) {
  std::vector<uint8_t> caller(320), bot(320);
  for (size_t i = 0; i < 320; ++i) {
    caller[i] = static_cast<uint8_t>(i);
    bot[i] = static_cast<uint8_t>(255 - i % 256);
  }
  {
    WavWriter writer(path("call.wav"), WavWriter::Encoding::kMulaw, 2);
    writer.write_stereo_ulaw(caller.data(), bot.data(), 160);
    writer.write_stereo_ulaw(caller.data() + 160, bot.data() + 160, 160);
  }  // the destructor finishes the file
  auto bytes = test::read_file(path("call.wav"));
  size_t fmt = find_chunk(bytes, "fmt ");
  EXPECT_EQ(le16(bytes, fmt + 2), 2);
  EXPECT_EQ(le32(bytes, fmt + 8), 16000u);
  EXPECT_EQ(le16(bytes, fmt + 12), 2);
  size_t data = find_chunk(bytes, "data");
  ASSERT_EQ(le32(bytes, data - 4), 640u);
  for (size_t i = 0; i < 320; ++i) {
    ASSERT_EQ(bytes.at(data + 2 * i), caller[i]) << i;
    ASSERT_EQ(bytes.at(data + 2 * i + 1), bot[i]) << i;
  }
}

TEST_F(WavWriterTest, StereoPcm16FromMulawDecodesEachChannel) {
  std::vector<uint8_t> left(10, 0x80), right(10, 0x00);
  {
    WavWriter writer(path("pcm.wav"), WavWriter::Encoding::kPcm16, 2);
    writer.write_stereo_ulaw(left.data(), right.data(), 10);
  }
  auto bytes = test::read_file(path("pcm.wav"));
  size_t data = find_chunk(bytes, "data");
  EXPECT_EQ(static_cast<int16_t>(le16(bytes, data)), 32124);
  EXPECT_EQ(static_cast<int16_t>(le16(bytes, data + 2)), -32124);
  // Both channels averaged by the reader: silence.
  auto mono = load_audio_8k(path("pcm.wav"));
  EXPECT_EQ(mono, std::vector<int16_t>(10, 0));
}

TEST_F(WavWriterTest, OddDataLengthGetsThePadByte) {
  std::vector<uint8_t> three = {1, 2, 3};
  {
    WavWriter writer(path("odd.wav"), WavWriter::Encoding::kMulaw);
    writer.write_ulaw(three.data(), 3);
  }
  auto bytes = test::read_file(path("odd.wav"));
  size_t data = find_chunk(bytes, "data");
  EXPECT_EQ(le32(bytes, data - 4), 3u);
  EXPECT_EQ(bytes.size(), data + 4);
  EXPECT_EQ(le32(bytes, 4), bytes.size() - 8);
  auto reread = decode_sndfile(bytes.data(), bytes.size(), "odd.wav");
  EXPECT_EQ(reread.samples.size(), 3u);
}

TEST_F(WavWriterTest, UnwritablePathThrowsNamingIt) {
  std::string bad = dir_.path() + "/missing-dir/out.wav";
  try {
    WavWriter writer(bad, WavWriter::Encoding::kMulaw);
    FAIL() << "no error";
  } catch (const MediaError& e) {
    EXPECT_EQ(std::string(e.what()), bad + ": cannot create: No such file or directory");
  }
}

TEST_F(WavWriterTest, FinishIsIdempotentAndLaterWritesFail) {
  WavWriter writer(path("done.wav"), WavWriter::Encoding::kMulaw);
  uint8_t byte = 0xFF;
  writer.write_ulaw(&byte, 1);
  writer.finish();
  writer.finish();
  EXPECT_THROW(writer.write_ulaw(&byte, 1), MediaError);
}

}  // namespace
}  // namespace callsim::media
