#include "core/utterance_split.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "conversation_driver.h"
#include "media/frame_source.h"
#include "media/mulaw.h"
#include "media/voicing.h"

namespace callsim::test {
namespace {

std::string fixture(const std::string& name) {
  return std::string(CALLSIM_FIXTURES_DIR) + "/audio/" + name;
}

// 1 kHz at `dbfs` RMS, `frames` 20 ms frames long, as 8 kHz PCM.
std::vector<int16_t> tone(size_t frames, double dbfs) {
  std::vector<int16_t> pcm(frames * 160);
  const double amplitude = 32768.0 * std::pow(10.0, dbfs / 20.0) * std::sqrt(2.0);
  for (size_t i = 0; i < pcm.size(); ++i) {
    pcm[i] = static_cast<int16_t>(amplitude * std::sin(2 * M_PI * 1000.0 * i / 8000.0));
  }
  return pcm;
}
std::vector<int16_t> silence(size_t frames) { return std::vector<int16_t>(frames * 160, 0); }
std::vector<int16_t> join(std::vector<std::vector<int16_t>> parts) {
  std::vector<int16_t> out;
  for (auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

TEST(UtteranceSplit, SplitsAtPausesLongerThanTheHangover) {
  // 10 frames of tone, 20 of silence (inside one utterance), 15 of tone, 40 of silence, 5 of tone.
  auto clip = media::FrameSource::from_pcm(
      join({silence(3), tone(10, -20), silence(20), tone(15, -20), silence(40), tone(5, -20),
            silence(2)}),
      "test");
  const auto u = split_utterances(*clip, 0);
  ASSERT_EQ(u.size(), 2u);
  EXPECT_EQ(u[0].first_frame, 3u);
  EXPECT_EQ(u[0].frame_count, 45u);  // frames 3 .. 47
  EXPECT_EQ(u[0].last_voiced, 44u);
  EXPECT_EQ(u[1].first_frame, 88u);
  EXPECT_EQ(u[1].frame_count, 5u);
}

TEST(UtteranceSplit, AWholeFileKeepsItsSilenceAndKnowsWhereTheVoiceIs) {
  auto clip =
      media::FrameSource::from_pcm(join({silence(5), tone(10, -20), silence(7)}), "file");
  const Utterance u = whole_clip_utterance(*clip, 4);
  EXPECT_EQ(u.clip, 4u);
  EXPECT_EQ(u.frame_count, 22u);
  EXPECT_EQ(u.first_voiced, 5u);
  EXPECT_EQ(u.last_voiced, 14u);
}

TEST(UtteranceSplit, TheFixturesSplitAsTheirReadmeSays) {
  EXPECT_EQ(split_utterances(*media::FrameSource::from_file(fixture("caller-long.wav")), 0).size(),
            2u);
  EXPECT_EQ(
      split_utterances(*media::FrameSource::from_file(fixture("caller-question.wav")), 0).size(),
      1u);
}

TEST(FrameVoicing, JudgesEachFrameAndCoalescesRuns) {
  auto pcm = join({tone(3, -20), silence(2), tone(1, -45), tone(1, -30)});
  std::vector<uint8_t> ulaw;
  for (int16_t s : pcm) ulaw.push_back(media::linear_to_ulaw(s));
  ulaw.resize(ulaw.size() - 60);  // a short last frame, judged on what it has
  std::vector<std::pair<size_t, bool>> runs;
  media::FrameVoicing().for_each_run(ulaw.data(), ulaw.size(),
                                     [&](size_t bytes, bool voiced) { runs.emplace_back(bytes, voiced); });
  EXPECT_EQ(runs, (std::vector<std::pair<size_t, bool>>{{480, true}, {480, false}, {100, true}}));
}

TEST(FrameVoicing, BotMediaIsJudgedPerFrameOnThePlayoutTimeline) {
  // The bot's greeting fixture, sent in one message at t0 + 200 ms: the caller hears its first
  // voiced frame where the clip's speech starts, on the playout timeline.
  auto greeting = media::FrameSource::from_file(fixture("bot-greeting.wav"));
  const auto spells = split_utterances(*greeting, 0);
  ASSERT_FALSE(spells.empty());
  std::vector<Utterance> utterances = two_utterances();
  CallConversation::Config config;
  config.caller.utterances = &utterances;
  AudioHistograms histograms;
  CallConversation conversation(config, CallRng(1, 0), &histograms);
  conversation.on_start_sent(t0);
  conversation.on_bot_media(t0 + 200ms, greeting->ulaw().data(), greeting->ulaw().size());
  conversation.next_frame(t0 + 10s);
  EXPECT_EQ(conversation.result().time_to_first_audio, 200ms + 20ms * spells[0].first_frame);
  EXPECT_EQ(conversation.playout().drained_at(), t0 + 200ms + greeting->duration());
}

}  // namespace
}  // namespace callsim::test
