// `callsim audio FILE [--wav OUT]` (simulator/run/audio_command.cpp, built into this test on its
// own: it depends only on media/ and CLI11).
#include "run/audio_command.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <CLI/CLI.hpp>
#include <algorithm>

#include "child_process.h"
#include "core/errors.h"
#include "core/exit_codes.h"
#include "media/audio_file.h"
#include "media/frame_source.h"
#include "signals.h"

namespace callsim {
namespace {

using ::testing::HasSubstr;

std::string fixture(const std::string& name) {
  return std::string(CALLSIM_FIXTURES_DIR) + "/audio/" + name;
}

AudioCommandArgs parse(std::vector<std::string> argv) {
  CLI::App app{"callsim"};
  AudioCommandArgs args;
  CLI::App* audio = add_audio_subcommand(app, args);
  std::reverse(argv.begin(), argv.end());  // CLI11 takes the arguments last-first
  app.parse(argv);
  EXPECT_TRUE(audio->parsed());
  return args;
}

TEST(AudioCommand, ParsesFileAndWavOption) {
  auto args = parse({"audio", "clip.opus", "--wav", "out.wav"});
  EXPECT_EQ(args.file, "clip.opus");
  EXPECT_EQ(args.wav_out, "out.wav");
  EXPECT_TRUE(parse({"audio", "clip.opus"}).wav_out.empty());
  EXPECT_THROW(parse({"audio"}), CLI::RequiredError);
}

TEST(AudioCommand, PrintsDurationFramesLevelsAndSpeech) {
  AudioCommandArgs args;
  args.file = fixture("caller-question.wav");
  ::testing::internal::CaptureStdout();
  int code = audio_command(args);
  std::string out = ::testing::internal::GetCapturedStdout();
  EXPECT_EQ(code, kExitPass);
  // 47167 samples: 295 frames, the last padded.
  EXPECT_THAT(out, HasSubstr("file      " + args.file + "\n"));
  EXPECT_THAT(out, HasSubstr("duration  5.90 s (audio 5.896 s, padded to whole frames)\n"));
  EXPECT_THAT(out, HasSubstr("frames    295 of 20 ms (160 bytes of 8 kHz mu-law each)\n"));
  EXPECT_THAT(out, HasSubstr("peak      -3.1 dBFS\n"));
  EXPECT_THAT(out, HasSubstr("rms       -25.4 dBFS\n"));
  EXPECT_THAT(
      out,
      HasSubstr("speech    84% of frames, 1 utterance (threshold -40 dBFS, hangover 600 ms)\n"));
}

TEST(AudioCommand, WritesTheFramesAsSentToAWav) {
  callsim::test::TempDir dir;
  AudioCommandArgs args;
  args.file = fixture("caller-greeting.opus");
  args.wav_out = dir.path() + "/as-sent.wav";
  ::testing::internal::CaptureStdout();
  EXPECT_EQ(audio_command(args), kExitPass);
  EXPECT_THAT(::testing::internal::GetCapturedStdout(),
              HasSubstr("wrote     " + args.wav_out + " (8 kHz mono mu-law WAV)\n"));
  // The WAV's data is exactly the bytes callsim sends, padding included. (Decoding it again would
  // turn mu-law -0, 0x7F, into +0, 0xFF.)
  auto sent = media::FrameSource::from_file(args.file);
  auto bytes = media::test::read_file(args.wav_out);
  const size_t header = 12 + 26 + 12 + 8;  // RIFF, fmt with cbSize, fact, data header
  ASSERT_EQ(bytes.size(), header + sent->ulaw().size());
  EXPECT_TRUE(std::equal(sent->ulaw().begin(), sent->ulaw().end(), bytes.begin() + header));
  EXPECT_EQ(media::load_audio_8k(args.wav_out).size(), sent->frame_count() * 160);
}

TEST(AudioCommand, AnUnusableFileIsAUsageErrorNamingIt) {
  AudioCommandArgs args;
  args.file = "/no/such/fixture.opus";
  try {
    audio_command(args);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "/no/such/fixture.opus: cannot open: No such file or directory");
  }
}

}  // namespace
}  // namespace callsim
