#include "run/conversation_settings.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <string>
#include <vector>

#include "child_process.h"
#include "core/errors.h"

namespace callsim {
namespace {

using namespace std::chrono_literals;

std::string fixture(const std::string& name) {
  return std::string(CALLSIM_FIXTURES_DIR) + "/audio/" + name;
}

std::string error_of(const Options& o, std::shared_ptr<const media::FrameSource> clip) {
  try {
    make_conversation_settings(o, std::move(clip));
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

std::shared_ptr<const media::FrameSource> silent_clip() {
  return media::FrameSource::from_pcm(std::vector<int16_t>(8000, 0), "quiet.wav");
}

TEST(ConversationSettings, LoopHasNone) {
  Options o;
  o.caller = Options::Caller::kLoop;
  EXPECT_EQ(make_conversation_settings(o, silent_clip()), nullptr);
}

TEST(ConversationSettings, SilenceIsOneFrameOfMulawSilenceInBase64) {
  Options o;
  auto settings =
      make_conversation_settings(o, media::FrameSource::from_file(fixture("caller-question.wav")));
  ASSERT_NE(settings, nullptr);
  std::string expected;
  for (int i = 0; i < 53; ++i) expected += "////";
  expected += "/w==";  // 160 bytes of 0xFF
  EXPECT_EQ(settings->silence_base64, expected);
  EXPECT_EQ(settings->frame_base64(CallerFrame{}), expected);
  // An utterance frame is the fixture's own frame, counted from the utterance's start.
  ASSERT_EQ(settings->utterances.size(), 1u);
  CallerFrame speaking;
  speaking.audio = CallerFrame::Audio::kUtterance;
  speaking.frame = 7;
  EXPECT_EQ(settings->frame_base64(speaking),
            settings->clips[0]->frame_base64(settings->utterances[0].first_frame + 7));
}

// The default hold: the greeting's wait and one reply's allowance, then per turn the longest
// think, the utterance and another reply timeout and allowance.
TEST(ConversationSettings, LongestCallAddsUpTheTurns) {
  Options o;
  o.think = "600ms±200ms";
  o.reply_timeout = 2s;
  o.turns = 3;
  auto settings =
      make_conversation_settings(o, media::FrameSource::from_file(fixture("caller-long.wav")));
  ASSERT_EQ(settings->utterances.size(), 2u);
  const Nanos u0 = settings->utterances[0].frame_count * 20ms;
  const Nanos u1 = settings->utterances[1].frame_count * 20ms;
  const Nanos allowance = 6s;
  EXPECT_EQ(settings->longest_call(), 2s + allowance + 3 * (800ms + 2s + allowance) + u0 + u1 + u0);
}

TEST(ConversationSettings, AFixtureWithoutSpeechNeedsUtterancesOrLoop) {
  Options o;
  EXPECT_EQ(error_of(o, silent_clip()),
            "--fixture quiet.wav: the speech detector hears no speech in it, so the caller has "
            "nothing to say; give --utterances FILE, or --caller loop to stream it as it is");
  o.utterance_files = {fixture("caller-question.wav"), fixture("caller-long.wav")};
  auto settings = make_conversation_settings(o, silent_clip());
  ASSERT_EQ(settings->utterances.size(), 2u);
  // One utterance per file, each the whole file; clip 0 stays the fixture.
  EXPECT_EQ(settings->utterances[0].clip, 1u);
  EXPECT_EQ(settings->utterances[1].clip, 2u);
  EXPECT_EQ(settings->utterances[1].frame_count, settings->clips[2]->frame_count());
}

TEST(ConversationSettings, UnreadableUtteranceFileNamesTheFlag) {
  Options o;
  o.utterance_files = {"/nonexistent/hello.wav"};
  EXPECT_EQ(error_of(o, silent_clip()).rfind("--utterances /nonexistent/hello.wav", 0), 0u)
      << error_of(o, silent_clip());
}

TEST(ConversationSettings, ScriptSaysFilesAfterTheFixtureUtterances) {
  test::TempDir dir;
  const std::string script = dir.path() + "/s.yaml";
  std::ofstream(script) << "- say: {utterance: 1}\n- say: " << fixture("caller-long.wav")
                        << "\n- hangup\n";
  Options o;
  o.script_path = script;
  auto settings =
      make_conversation_settings(o, media::FrameSource::from_file(fixture("caller-question.wav")));
  EXPECT_EQ(settings->mode, CallerTurns::Mode::kScript);
  EXPECT_EQ(settings->config.caller.file_utterance_base, 1u);
  ASSERT_EQ(settings->utterances.size(), 2u);
  EXPECT_EQ(settings->utterances[1].clip, 1u);
  EXPECT_EQ(settings->config.caller.script, &*settings->script);
  EXPECT_EQ(settings->config.caller.utterances, &settings->utterances);

  std::ofstream(script) << "- say: {utterance: 2}\n";
  const std::string error =
      error_of(o, media::FrameSource::from_file(fixture("caller-question.wav")));
  EXPECT_NE(error.find(script + ":1:"), std::string::npos) << error;
}

}  // namespace
}  // namespace callsim
