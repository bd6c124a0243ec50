// Every kind of unusable file gives one line, "<path>: <problem>", and never a crash, a hang or a
// huge allocation.
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <condition_variable>
#include <mutex>
#include <thread>

#include "child_process.h"
#include "media/audio_file.h"
#include "media/media_error.h"
#include "ogg_opus_encoder.h"
#include "signals.h"
#include "wav_bytes.h"

namespace callsim::media {
namespace {

using test::WavBytes;
using ::testing::HasSubstr;
using ::testing::StartsWith;

class BadFiles : public ::testing::Test {
 protected:
  std::string write(const std::string& name, const std::vector<uint8_t>& bytes) {
    std::string path = dir_.path() + "/" + name;
    test::write_file(path, bytes);
    return path;
  }

  // load_audio_8k(path) must throw MediaError "<path>: ..." containing `problem`, on one line.
  void expect_error(const std::string& path, const std::string& problem) {
    try {
      load_audio_8k(path);
      ADD_FAILURE() << path << " loaded, expected: " << problem;
    } catch (const MediaError& e) {
      std::string message = e.what();
      EXPECT_THAT(message, StartsWith(path + ": "));
      EXPECT_THAT(message, HasSubstr(problem));
      EXPECT_EQ(message.find('\n'), std::string::npos) << message;
    }
  }

  static std::vector<uint8_t> valid_wav() {
    return WavBytes().fmt(1, 1, 8000, 16).data_pcm16(test::tone(440, 8000, 0.1, 1000)).bytes();
  }
  static std::vector<uint8_t> valid_opus() {
    return test::encode_ogg_opus(test::tone(440, 8000, 0.5, 8000), test::OggOpusSpec{});
  }

  callsim::test::TempDir dir_;
};

TEST_F(BadFiles, MissingFile) {
  expect_error(dir_.path() + "/nope.wav", "cannot open: No such file or directory");
}

TEST_F(BadFiles, Directory) {
  expect_error(dir_.path(), "is a directory");
}

TEST_F(BadFiles, FifoIsRefusedWithoutWaitingForAWriter) {
  const std::string fifo = dir_.path() + "/audio.fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  // A reader blocked in open() is released by a writer appearing: the watchdog opens the FIFO
  // only if the load has not returned long after it should have, so the test ends either way.
  std::mutex mutex;
  std::condition_variable returned;
  bool done = false, had_to_release = false;
  std::thread watchdog([&] {
    std::unique_lock<std::mutex> lock(mutex);
    if (returned.wait_for(lock, std::chrono::seconds(5), [&] { return done; })) return;
    int writer = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    had_to_release = writer >= 0;
    if (writer >= 0) ::close(writer);
  });
  expect_error(fifo, "not a regular file");
  {
    std::lock_guard<std::mutex> lock(mutex);
    done = true;
  }
  returned.notify_one();
  watchdog.join();
  EXPECT_FALSE(had_to_release) << "open() waited for a writer";
}

TEST_F(BadFiles, EmptyFile) {
  expect_error(write("empty.ulaw", {}), "file is empty");
}

TEST_F(BadFiles, WrongMagic) {
  std::vector<uint8_t> text = {'h', 'e', 'l', 'l', 'o', ' ', 'w', 'o', 'r', 'l', 'd', '\n'};
  expect_error(write("text.wav", text), "not a WAV file (no RIFF/WAVE header)");
  expect_error(write("text.opus", text), "not an Ogg file");
  expect_error(write("text.bin", text), "unrecognised audio format");
  auto avi = valid_wav();
  std::copy_n("AVI ", 4, avi.begin() + 8);
  expect_error(write("movie.wav", avi), "not a WAV file (no RIFF/WAVE header)");
}

TEST_F(BadFiles, UnreadableFilesOfKnownFormatsAreNamed) {
  expect_error(write("song.mp3", {'I', 'D', '3', 4, 0, 0, 0, 0, 0, 0}),
               "looks like MP3 but libsndfile does not recognise it (Format not recognised)");
  expect_error(write("song.flac", {'f', 'L', 'a', 'C', 0, 0, 0, 34}),
               "looks like FLAC but libsndfile does not recognise it");
  // A RIFX header on little-endian fields: libsndfile reads RIFX, and says what is wrong.
  auto rifx = valid_wav();
  std::copy_n("RIFX", 4, rifx.begin());
  expect_error(
      write("big.wav", rifx),
      "cannot read big-endian RIFX WAV: Error in WAV/W64/RF64 file. Malformed 'fmt ' chunk");
}

TEST_F(BadFiles, TruncatedWav) {
  auto wav = valid_wav();
  wav.resize(wav.size() - 100);
  expect_error(write("cut.wav", wav), "WAV data chunk claims 1600 bytes but only 1500 remain");
  wav.resize(30);  // inside the fmt chunk
  expect_error(write("header.wav", wav), "WAV chunk 'fmt ' at byte 12 claims 16 bytes");
  wav.resize(12);  // RIFF header only
  expect_error(write("riff.wav", wav), "WAV file has no fmt chunk");
}

TEST_F(BadFiles, TruncatedOpus) {
  auto opus = valid_opus();
  opus.resize(opus.size() * 2 / 3);
  expect_error(write("cut.opus", opus), "ends without its end-of-stream page (truncated?)");
  opus.resize(20);  // not even one whole page
  expect_error(write("stub.opus", opus), "no Ogg pages found");
}

TEST_F(BadFiles, CorruptOggPage) {
  auto opus = valid_opus();
  opus[opus.size() - 40] ^= 0x5A;  // inside the last page: its checksum no longer matches
  expect_error(write("flipped.opus", opus), "corrupt Ogg data");
}

TEST_F(BadFiles, CorruptOpusPacket) {
  // TOC code 3 promises a frame count byte that is not there.
  auto ogg = test::ogg_file(
      {test::opus_head(1, 312, 8000, 0, 0, 1, 0, {}), test::opus_tags(), {0x03}}, {0, 0, 1272});
  expect_error(write("packet.opus", ogg), "corrupt Opus packet 1");
}

TEST_F(BadFiles, UnsupportedWavCodecs) {
  // libsndfile reads real ADPCM; these fmt chunks are nonsense for their codecs.
  auto adpcm = WavBytes().fmt(2, 1, 8000, 4).chunk("data", {1, 2, 3, 4}).bytes();
  expect_error(write("adpcm.wav", adpcm),
               "cannot read WAV Microsoft ADPCM (format tag 0x0002): Error in WAV/W64/RF64 file. "
               "Malformed 'fmt ' chunk");
  auto mp3 = WavBytes().fmt(0x55, 1, 8000, 0).chunk("data", {1, 2}).bytes();
  expect_error(write("mp3.wav", mp3), "cannot read WAV MP3 (format tag 0x0055)");
  auto float16 = WavBytes().fmt(3, 1, 8000, 16).data_pcm16({1, 2}).bytes();
  expect_error(write("half.wav", float16),
               "unsupported WAV sample size: 16 bits for format tag 0x0003");
  auto guid = WavBytes().fmt_extensible(1, 1, 8000, 16, 16, 4).data_pcm16({1}).bytes();
  guid[12 + 8 + 24 + 5] ^= 0xFF;  // somewhere in the GUID tail
  expect_error(write("guid.wav", guid), "unsupported WAVE_FORMAT_EXTENSIBLE sub-format GUID");
}

TEST_F(BadFiles, UnsupportedOggCodecs) {
  std::vector<uint8_t> vorbis = {1, 'v', 'o', 'r', 'b', 'i', 's', 0, 0, 0, 0, 1};
  expect_error(write("music.ogg", test::ogg_file({vorbis}, {0})),
               "cannot read Ogg Vorbis: Supported file format but file is malformed");
  expect_error(write("mystery.ogg", test::ogg_file({{'x', 'y', 'z'}}, {0})),
               "Ogg stream is not Opus (no OpusHead packet)");
  auto ambisonic = test::opus_head(4, 312, 48000, 0, 2, 4, 0, {0, 1, 2, 3});
  expect_error(write("ambi.opus", test::ogg_file({ambisonic, test::opus_tags()}, {0, 0})),
               "unsupported Opus channel mapping family 2");
}

TEST_F(BadFiles, InvalidOpusHead) {
  auto no_channels = test::opus_head(0, 312, 8000, 0, 0, 1, 0, {});
  expect_error(write("zero.opus", test::ogg_file({no_channels, test::opus_tags()}, {0, 0})),
               "OpusHead declares 0 channels");
  auto bad_streams = test::opus_head(3, 312, 8000, 0, 1, 0, 0, {0, 1, 2});
  expect_error(write("streams.opus", test::ogg_file({bad_streams, test::opus_tags()}, {0, 0})),
               "invalid OpusHead (3 channels, 0 streams, 0 coupled)");
  auto short_table = test::opus_head(6, 312, 8000, 0, 1, 4, 2, {0, 1});
  expect_error(write("table.opus", test::ogg_file({short_table, test::opus_tags()}, {0, 0})),
               "OpusHead channel mapping table is truncated");
  auto no_tags =
      test::ogg_file({test::opus_head(1, 312, 8000, 0, 0, 1, 0, {}), {'n', 'o'}}, {0, 0});
  expect_error(write("tags.opus", no_tags), "second Ogg Opus packet is not OpusTags");
}

TEST_F(BadFiles, ZeroSamples) {
  expect_error(write("silent.wav", WavBytes().fmt(1, 1, 8000, 16).chunk("data", {}).bytes()),
               "no audio samples (the WAV data chunk is empty)");
  auto headers_only =
      test::ogg_file({test::opus_head(1, 312, 8000, 0, 0, 1, 0, {}), test::opus_tags()}, {0, 0});
  expect_error(write("headers.opus", headers_only), "no audio samples in the Ogg Opus stream");
  expect_error(write("nothing.raw", {}), "file is empty");
}

TEST_F(BadFiles, AbsurdChunkSizes) {
  auto list = WavBytes().chunk("LIST", {1, 2, 3, 4}, 0xFFFFFFF0).bytes();
  expect_error(write("list.wav", list),
               "WAV chunk 'LIST' at byte 12 claims 4294967280 bytes but only 4 remain");
  auto fmt = WavBytes().chunk("fmt ", std::vector<uint8_t>(16, 0), 0x7FFFFFFF).bytes();
  expect_error(write("fmt.wav", fmt), "WAV chunk 'fmt ' at byte 12 claims 2147483647 bytes");
  auto data = WavBytes().fmt(1, 1, 8000, 16).chunk("data", {1, 2}, 0xFFFFFFFE).bytes();
  expect_error(write("data.wav", data), "WAV data chunk claims 4294967294 bytes but only 2 remain");
  auto tiny_fmt = WavBytes().chunk("fmt ", {1, 0, 1, 0}).data_pcm16({1}).bytes();
  expect_error(write("tinyfmt.wav", tiny_fmt), "WAV fmt chunk is 4 bytes, expected at least 16");
  auto binary_tag = WavBytes().chunk(std::string("\x01\xFFzz", 4), {}, 1000).bytes();
  expect_error(write("tag.wav", binary_tag), "WAV chunk '??zz' at byte 12 claims 1000 bytes");
}

TEST_F(BadFiles, ImpossibleFormatFields) {
  expect_error(write("mono0.wav", WavBytes().fmt(1, 0, 8000, 16).data_pcm16({1}).bytes()),
               "WAV fmt chunk declares 0 channels");
  expect_error(write("rate0.wav", WavBytes().fmt(1, 1, 0, 16).data_pcm16({1}).bytes()),
               "unsupported sample rate 0 Hz (expected 1000 to 768000)");
  expect_error(write("rate4g.wav", WavBytes().fmt(1, 1, 4000000000u, 16).data_pcm16({1}).bytes()),
               "unsupported sample rate 4000000000 Hz");
  auto misaligned = WavBytes().fmt(1, 2, 8000, 16).data_pcm16({1, 2}).bytes();
  misaligned[12 + 8 + 12] = 3;  // block align 3 for two 16-bit channels
  expect_error(write("align.wav", misaligned),
               "WAV block align 3 does not match 2 channels of 16 bits");
  auto late_fmt = WavBytes().data_pcm16({1}).fmt(1, 1, 8000, 16).bytes();
  expect_error(write("order.wav", late_fmt), "WAV data chunk comes before the fmt chunk");
  auto no_data = WavBytes().fmt(1, 1, 8000, 16).bytes();
  expect_error(write("nodata.wav", no_data), "WAV file has no data chunk");
  auto inverted = test::ogg_file(
      {test::opus_head(1, 9000, 8000, 0, 0, 1, 0, {}), test::opus_tags(), {0xF8, 0xFF, 0xFE}},
      {0, 0, 960});
  expect_error(write("granule.opus", inverted), "end granule position lies before the pre-skip");
}

TEST_F(BadFiles, FileTooLargeIsRefusedBeforeReading) {
  std::string path = dir_.path() + "/huge.wav";
  test::write_file(path, valid_wav());
  ASSERT_EQ(::truncate(path.c_str(), (off_t{33} << 20)), 0);  // sparse: costs no disk
  expect_error(path, "file is 34603008 bytes; audio files are limited to 32 MiB");
}

TEST_F(BadFiles, AudioLongerThanAnHour) {
  // 3600.001 s of mu-law at 1 kHz is a 3.6 MB file; the same at 8 kHz would be 28.8 MB.
  std::vector<uint8_t> samples(3600 * 1000 + 1, 0xFF);
  auto wav = WavBytes().fmt(7, 1, 1000, 8).chunk("data", samples).bytes();
  expect_error(write("long.wav", wav), "audio is longer than 3600 s");
  expect_error(write("long.ulaw", std::vector<uint8_t>(3600 * 8000 + 1, 0xFF)),
               "audio is longer than 3600 s");
}

// Random damage: every result is either audio or a MediaError naming the file. Under the sanitizer
// build this is also a memory-safety check of the parsers and of libopus' use.
class RandomDamage : public BadFiles {
 protected:
  uint64_t next() {
    state_ += 0x9E3779B97F4A7C15ull;
    uint64_t z = state_;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Overwrites, flips or cuts a few bytes, mostly near the start where the headers are.
  void damage(std::vector<uint8_t>& bytes) {
    for (uint64_t hits = 1 + next() % 4; hits > 0 && !bytes.empty(); --hits) {
      size_t limit = next() % 2 ? std::min<size_t>(bytes.size(), 64) : bytes.size();
      size_t at = next() % limit;
      switch (next() % 4) {
        case 0:
          bytes[at] = static_cast<uint8_t>(next());
          break;
        case 1:
          bytes[at] ^= static_cast<uint8_t>(1u << (next() % 8));
          break;
        case 2:
          bytes[at] = next() % 2 ? 0xFF : 0x00;
          break;
        default:
          bytes.resize(at + 1);
          break;
      }
    }
  }
  // Returns whether the file loaded; fails the test on any error other than MediaError.
  bool load_or_reject(const std::string& path) {
    try {
      return !load_audio_8k(path).empty();
    } catch (const MediaError& e) {
      EXPECT_THAT(e.what(), StartsWith(path + ": "));
      return false;
    }
  }
  uint64_t state_ = 2024;
};

TEST_F(RandomDamage, DamagedWavFilesLoadOrFailCleanly) {
  auto original = WavBytes()
                      .fmt(1, 2, 16000, 16)
                      .chunk("LIST", {1, 2, 3})
                      .data_pcm16(test::tone(440, 16000, 0.05, 9000))
                      .bytes();
  int loaded = 0;
  for (int i = 0; i < 300; ++i) {
    auto bytes = original;
    damage(bytes);
    loaded += load_or_reject(write("damaged.wav", bytes));
  }
  // Both outcomes happen: damage to samples is still audio, damage to headers is not.
  EXPECT_GT(loaded, 0);
  EXPECT_LT(loaded, 300);
}

TEST_F(RandomDamage, DamagedOpusPacketsInValidPagesLoadOrFailCleanly) {
  // Damage inside packets, re-wrapped in pages with good checksums, reaches the OpusHead parser
  // and the Opus decoder instead of stopping at the Ogg checksum.
  auto original = test::split_ogg(valid_opus());
  ASSERT_GE(original.packets.size(), 4u);
  int loaded = 0;
  for (int i = 0; i < 200; ++i) {
    auto split = original;
    size_t victim = next() % split.packets.size();
    if (split.packets[victim].empty()) continue;
    damage(split.packets[victim]);
    loaded += load_or_reject(write("damaged.opus", test::ogg_file(split.packets, split.granules)));
  }
  EXPECT_GT(loaded, 0);
  EXPECT_LT(loaded, 200);
}

}  // namespace
}  // namespace callsim::media
