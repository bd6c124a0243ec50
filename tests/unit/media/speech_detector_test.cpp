#include "media/speech_detector.h"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

#include "media/frame_source.h"
#include "media/mulaw.h"
#include "signals.h"

namespace callsim::media {
namespace {

using Frame = std::vector<uint8_t>;

// A 160-byte mu-law frame of a 500 Hz tone whose RMS is `dbfs`.
Frame tone_frame(double dbfs) {
  double amplitude = 32768.0 * std::pow(10.0, dbfs / 20.0) * std::sqrt(2.0);
  auto pcm = test::tone(500, 8000, 0.02, amplitude);
  Frame frame;
  for (int16_t s : pcm) frame.push_back(linear_to_ulaw(s));
  return frame;
}
const Frame kSilence(160, kUlawSilence);

std::vector<bool> run(SpeechDetector& detector, const std::vector<Frame>& frames) {
  std::vector<bool> states;
  for (const Frame& f : frames) states.push_back(detector.push_frame(f.data(), f.size()));
  return states;
}

TEST(SpeechDetector, StartsAfterTwoVoicedFramesAndEndsAfterThirtySilentOnes) {
  SpeechDetector detector;
  std::vector<Frame> frames(3, kSilence);
  for (int i = 0; i < 10; ++i) frames.push_back(tone_frame(-20));
  for (int i = 0; i < 40; ++i) frames.push_back(kSilence);
  auto states = run(detector, frames);
  for (size_t i = 0; i < frames.size(); ++i) {
    bool expected = i >= 4 && i < 13 + 29;  // voiced from frame 3; 30th silent frame is 42
    EXPECT_EQ(states[i], expected) << "frame " << i;
  }
}

TEST(SpeechDetector, IgnoresASingleClick) {
  SpeechDetector detector;
  auto states = run(detector, {kSilence, tone_frame(-10), kSilence, tone_frame(-10), kSilence});
  for (bool s : states) EXPECT_FALSE(s);
}

TEST(SpeechDetector, BridgesPausesShorterThanTheHangover) {
  SpeechDetector detector;
  std::vector<Frame> frames;
  for (int word = 0; word < 3; ++word) {
    for (int i = 0; i < 8; ++i) frames.push_back(tone_frame(-25));
    for (int i = 0; i < 29; ++i) frames.push_back(kSilence);
  }
  auto states = run(detector, frames);
  for (size_t i = 1; i < states.size(); ++i) EXPECT_TRUE(states[i]) << "frame " << i;
  EXPECT_FALSE(detector.push_frame(kSilence.data(), kSilence.size()));
}

TEST(SpeechDetector, ThresholdSeparatesLevels) {
  SpeechDetector::Config config;
  config.threshold_dbfs = -30;
  config.start_frames = 1;
  config.hangover_frames = 1;
  SpeechDetector detector(config);
  auto quiet = tone_frame(-33);
  auto loud = tone_frame(-27);
  EXPECT_FALSE(detector.push_frame(quiet.data(), quiet.size()));
  EXPECT_NEAR(detector.last_level_dbfs(), -33.0, 0.3);
  EXPECT_TRUE(detector.push_frame(loud.data(), loud.size()));
  EXPECT_TRUE(detector.speaking());
  EXPECT_FALSE(detector.push_frame(quiet.data(), quiet.size()));
}

TEST(SpeechDetector, ResetForgetsTheState) {
  SpeechDetector detector;
  run(detector, {tone_frame(-20), tone_frame(-20)});
  ASSERT_TRUE(detector.speaking());
  detector.reset();
  EXPECT_FALSE(detector.speaking());
  EXPECT_FALSE(detector.push_frame(tone_frame(-20).data(), 160));
}

TEST(SpeechDetector, RejectsConfigsThatCouldNeverChangeState) {
  SpeechDetector::Config no_start;
  no_start.start_frames = 0;
  EXPECT_THROW(SpeechDetector{no_start}, std::invalid_argument);
  SpeechDetector::Config no_hangover;
  no_hangover.hangover_frames = 0;
  EXPECT_THROW(SpeechDetector{no_hangover}, std::invalid_argument);
}

struct Utterance {
  size_t start;  // first frame the detector reports speaking
  size_t end;    // first frame it reports silence again
};

std::vector<Utterance> utterances(const FrameSource& source, size_t loops = 1) {
  SpeechDetector detector;
  std::vector<Utterance> found;
  bool was = false;
  for (size_t f = 0; f < source.frame_count() * loops; ++f) {
    bool now = detector.push_frame(source.frame(f), FrameSource::kFrameBytes);
    if (now && !was) found.push_back({f, 0});
    if (!now && was) found.back().end = f;
    was = now;
  }
  return found;
}

std::string fixture(const std::string& name) {
  return std::string(CALLSIM_FIXTURES_DIR) + "/audio/" + name;
}

// The fixtures are built with 0.3 s (15 frames) of silence before the speech, 0.7 s (35 frames)
// after, and pauses between sentences under 0.5 s except the 1 s break inside caller-long.
TEST(SpeechDetectorOnFixtures, FindsEachCallerClipsUtterances) {
  struct Expected {
    const char* name;
    size_t utterances;
  };
  for (const Expected& clip : {Expected{"caller-greeting", 1}, Expected{"caller-question", 1},
                               Expected{"caller-long", 2}}) {
    for (const char* extension : {".wav", ".opus"}) {
      std::string name = std::string(clip.name) + extension;
      auto source = FrameSource::from_file(fixture(name));
      auto found = utterances(*source);
      ASSERT_EQ(found.size(), clip.utterances) << name;
      EXPECT_GE(found.front().start, 15u) << name;
      EXPECT_LE(found.front().start, 25u) << name;
      // Speech ends before the clip does: the trailing silence outlasts the hangover.
      EXPECT_GT(found.back().end, 0u) << name;
      EXPECT_LE(found.back().end + 5, source->frame_count()) << name;
    }
  }
}

TEST(SpeechDetectorOnFixtures, SeesATurnEndEveryTimeACallerClipLoops) {
  // What the reference bot relies on: a looping caller pauses long enough to be answered.
  auto source = FrameSource::from_file(fixture("caller-question.opus"));
  EXPECT_EQ(utterances(*source, 3).size(), 3u);
}

TEST(SpeechDetectorOnFixtures, BotClipsAreOneUtteranceEach) {
  for (const char* name :
       {"bot-greeting.wav", "bot-answer.wav", "bot-greeting.opus", "bot-answer.opus"}) {
    auto source = FrameSource::from_file(fixture(name));
    EXPECT_EQ(utterances(*source).size(), 1u) << name;
  }
}

}  // namespace
}  // namespace callsim::media
