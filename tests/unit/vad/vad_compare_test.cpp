#include <gtest/gtest.h>

#include <vector>

#include "media/speech_detector.h"
#include "vad_compare.h"

namespace callsim::vadbench {
namespace {

class VadCompareTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    signals_ = new std::vector<LabelledSignal>(load_fixture_signals(CALLSIM_FIXTURES_DIR));
  }
  static void TearDownTestSuite() { delete signals_; }
  static const std::vector<LabelledSignal>& signals() { return *signals_; }

  static Condition named(const std::string& name) {
    for (const Condition& c : standard_conditions()) {
      if (c.name == name) return c;
    }
    ADD_FAILURE() << "no condition " << name;
    return {};
  }

 private:
  static std::vector<LabelledSignal>* signals_;
};

std::vector<LabelledSignal>* VadCompareTest::signals_ = nullptr;

TEST_F(VadCompareTest, TruthFindsTheFixturesUtterancesByTheirDigitalSilence) {
  ASSERT_EQ(signals().size(), 5u);
  std::vector<size_t> counts;
  for (const LabelledSignal& s : signals()) counts.push_back(s.utterances.size());
  // caller-long's 1000 ms break splits it in two; every other pause is shorter than 600 ms.
  EXPECT_EQ(counts, (std::vector<size_t>{1, 1, 2, 1, 1}));
  for (const LabelledSignal& s : signals()) {
    EXPECT_EQ(s.utterances.front().begin, 8000u) << s.name;  // the 1000 ms lead
    EXPECT_EQ(s.pcm.size() % kFrameSamples, 0u) << s.name;
  }
  const LabelledSignal& long_clip = signals()[2];
  EXPECT_GE(long_clip.utterances[1].begin - long_clip.utterances[0].end, 8000u);
}

TEST_F(VadCompareTest, PerfectDecisionsScorePerfectlyWithOneFrameOfOnsetDelayAtMost) {
  const LabelledSignal& s = signals()[0];
  std::vector<bool> voiced(s.frames());
  for (size_t f = 0; f < s.frames(); ++f) voiced[f] = !s.silence_frame[f];
  const Score score = score_decisions(s, voiced);
  EXPECT_EQ(score.missed, 0u);
  EXPECT_EQ(score.false_speech, 0u);
  EXPECT_DOUBLE_EQ(score.accuracy(), 1.0);
  ASSERT_EQ(score.utterances.size(), 1u);
  ASSERT_TRUE(score.utterances[0].onset_ms);
  // The lead is whole frames, so the first frame's decision comes exactly 20 ms after the onset.
  EXPECT_DOUBLE_EQ(*score.utterances[0].onset_ms, 20.0);
  ASSERT_TRUE(score.utterances[0].turn_onset_ms);
  EXPECT_DOUBLE_EQ(*score.utterances[0].turn_onset_ms, 40.0);
}

TEST_F(VadCompareTest, SmoothingMatchesCallsimsSpeechDetectorFrameForFrame) {
  // Noise and a low level make the energy decisions flicker, which exercises every transition.
  for (const char* condition : {"clean", "pink 20dB", "quiet -20dB"}) {
    for (const LabelledSignal& s : signals()) {
      const std::vector<uint8_t> ulaw = render_ulaw(s, named(condition));
      EnergyDetector energy;
      media::SpeechDetector detector;
      std::vector<bool> voiced(s.frames()), speaking(s.frames());
      for (size_t f = 0; f < s.frames(); ++f) {
        voiced[f] = energy.voiced(ulaw.data() + f * kFrameSamples, kFrameSamples);
        speaking[f] = detector.push_frame(ulaw.data() + f * kFrameSamples, kFrameSamples);
      }
      EXPECT_EQ(smooth_like_speech_detector(voiced), speaking) << condition << " " << s.name;
    }
  }
}

TEST_F(VadCompareTest, OnTheCleanSignalBothDetectorsFindEveryOnsetWithin100Ms) {
  EnergyDetector energy;
  auto webrtc = make_webrtc_detector();
  for (FrameDetector* d : {static_cast<FrameDetector*>(&energy), webrtc.get()}) {
    const Score score = run_condition(*d, signals(), named("clean"), 1);
    ASSERT_EQ(score.utterances.size(), 6u) << d->name();
    for (const UtteranceTiming& t : score.utterances) {
      EXPECT_FALSE(t.early) << d->name();
      ASSERT_TRUE(t.onset_ms) << d->name();
      EXPECT_GT(*t.onset_ms, 0.0) << d->name();
      EXPECT_LE(*t.onset_ms, 100.0) << d->name();
      ASSERT_TRUE(t.turn_end_ms) << d->name();
    }
  }
}

TEST_F(VadCompareTest, CleanNumbersAreTheOnesInTheReadme) {
  // Both detectors are deterministic on the clean signal (no noise, fixed-point WebRTC), so
  // these are exact: a change to either, or to the truth, shows here first.
  EnergyDetector energy;
  const Score e = run_condition(energy, signals(), named("clean"), 1);
  auto webrtc = make_webrtc_detector();
  const Score w = run_condition(*webrtc, signals(), named("clean"), 1);
  EXPECT_EQ(e.speech_frames, 1105u);
  EXPECT_EQ(e.silence_frames, 551u);
  EXPECT_EQ(e.missed, 194u);
  EXPECT_EQ(e.false_speech, 0u);
  EXPECT_EQ(w.missed, 1u);
  EXPECT_EQ(w.false_speech, 18u);  // its own hangover, 40-100 ms past each caller utterance
  std::vector<double> energy_onsets, webrtc_onsets;
  for (const UtteranceTiming& t : e.utterances) energy_onsets.push_back(t.onset_ms.value_or(-1));
  for (const UtteranceTiming& t : w.utterances) webrtc_onsets.push_back(t.onset_ms.value_or(-1));
  // caller-long's second utterance starts 4.125 ms into a frame.
  EXPECT_EQ(energy_onsets, (std::vector<double>{40, 60, 20, 15.875, 100, 20}));
  EXPECT_EQ(webrtc_onsets, (std::vector<double>{20, 20, 20, 15.875, 20, 20}));
}

TEST_F(VadCompareTest, InWhiteNoiseAt10DbEnergyVoicesEverySilentFrameAndWebRtcFew) {
  EnergyDetector energy;
  auto webrtc = make_webrtc_detector();
  const Score e = run_condition(energy, signals(), named("white 10dB"), 1);
  const Score w = run_condition(*webrtc, signals(), named("white 10dB"), 1);
  EXPECT_EQ(e.false_speech, e.silence_frames);
  EXPECT_LT(double(w.false_speech), 0.15 * double(w.silence_frames));
}

}  // namespace
}  // namespace callsim::vadbench
