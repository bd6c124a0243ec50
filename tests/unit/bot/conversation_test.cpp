#include "bot/conversation.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

namespace callsim::bot {
namespace {

using Clock = Conversation::Clock;
using std::chrono::milliseconds;

std::vector<int16_t> tone(int ms, double amplitude) {
  std::vector<int16_t> pcm(static_cast<size_t>(ms) * 8);
  for (size_t i = 0; i < pcm.size(); ++i) {
    pcm[i] = static_cast<int16_t>(amplitude * std::sin(2 * M_PI * 440.0 * i / 8000.0));
  }
  return pcm;
}

// What the conversation said, as "greeting#0", "mark:greeting", "clear".
class Recorder : public Outbox {
 public:
  explicit Recorder(const Voice& voice) : voice_(voice) {}
  void send_media(std::string_view payload) override {
    for (auto [clip, name] :
         {std::pair{voice_.greeting.get(), "greeting"}, std::pair{voice_.answer.get(), "answer"}}) {
      for (size_t i = 0; i < clip->frame_count(); ++i) {
        if (clip->frame_base64(i) == payload) {
          said.push_back(std::string(name) + "#" + std::to_string(i));
          return;
        }
      }
    }
    said.push_back("?");
  }
  void send_mark(std::string_view name) override { said.push_back("mark:" + std::string(name)); }
  void send_clear() override { said.push_back("clear"); }
  std::vector<std::string> take() { return std::exchange(said, {}); }

  std::vector<std::string> said;

 private:
  const Voice& voice_;
};

class ConversationTest : public ::testing::Test {
 protected:
  ConversationTest() {
    // Different amplitudes so greeting and answer frames never coincide.
    voice_.greeting = media::FrameSource::from_pcm(tone(60, 9000), "greeting");  // 3 frames
    voice_.answer = media::FrameSource::from_pcm(tone(40, 5000), "answer");      // 2 frames
    settings_.think = milliseconds(300);
    settings_.heartbeat_interval = std::chrono::seconds(10);
    loud_.assign(voice_.greeting->frame(1), voice_.greeting->frame(1) + 160);
  }
  void caller(Conversation& c, const std::vector<uint8_t>& frame, int frames) {
    for (int i = 0; i < frames; ++i) c.on_caller_audio(frame.data(), frame.size(), now_);
  }

  Voice voice_;
  Conversation::Settings settings_;
  Clock::time_point t0_ = Clock::time_point() + std::chrono::hours(1);
  Clock::time_point now_ = t0_;
  std::vector<uint8_t> loud_;
  std::vector<uint8_t> silence_ = std::vector<uint8_t>(160, 0xFF);
};

TEST_F(ConversationTest, GreetingFramesFollowAbsoluteDeadlinesThenAMark) {
  Recorder out(voice_);
  Conversation c(voice_, settings_, out);
  c.begin(t0_);
  c.on_tick(t0_);
  EXPECT_EQ(out.take(), (std::vector<std::string>{"greeting#0"}));
  c.on_tick(t0_ + milliseconds(19));
  EXPECT_TRUE(out.take().empty());
  c.on_tick(t0_ + milliseconds(20));
  EXPECT_EQ(out.take(), (std::vector<std::string>{"greeting#1"}));
  // A late tick catches up rather than drifting.
  c.on_tick(t0_ + milliseconds(75));
  EXPECT_EQ(out.take(), (std::vector<std::string>{"greeting#2", "mark:greeting"}));
  EXPECT_FALSE(c.speaking());
}

TEST_F(ConversationTest, AnswersThinkTimeAfterTheCallerStops) {
  Recorder out(voice_);
  Conversation c(voice_, settings_, out);
  c.begin(t0_);
  c.on_tick(t0_ + milliseconds(100));
  out.take();
  now_ = t0_ + milliseconds(200);
  caller(c, loud_, 10);
  caller(c, silence_, 30);  // the detector's hangover: the turn ends on the 30th silent frame
  c.on_tick(now_ + milliseconds(299));
  EXPECT_TRUE(out.take().empty());
  c.on_tick(now_ + milliseconds(300));
  EXPECT_EQ(out.take(), (std::vector<std::string>{"answer#0"}));
  c.on_tick(now_ + milliseconds(320));
  EXPECT_EQ(out.take(), (std::vector<std::string>{"answer#1", "mark:answer_1"}));
  EXPECT_EQ(c.answers(), 1u);
}

TEST_F(ConversationTest, CallerResumingBeforeTheAnswerCancelsIt) {
  Recorder out(voice_);
  Conversation c(voice_, settings_, out);
  c.begin(t0_);
  c.on_tick(t0_ + milliseconds(100));
  out.take();
  caller(c, loud_, 10);
  caller(c, silence_, 30);
  caller(c, loud_, 5);  // speaking again
  c.on_tick(t0_ + std::chrono::seconds(2));
  EXPECT_TRUE(out.take().empty());
  EXPECT_EQ(c.answers(), 0u);
}

TEST_F(ConversationTest, BargeInClearsAndStopsTheUtterance) {
  Recorder out(voice_);
  Conversation c(voice_, settings_, out);
  c.begin(t0_);
  c.on_tick(t0_);
  caller(c, loud_, 2);
  c.on_tick(t0_ + milliseconds(200));
  EXPECT_EQ(out.take(), (std::vector<std::string>{"greeting#0", "clear"}));
  EXPECT_EQ(c.barge_ins(), 1u);
}

TEST_F(ConversationTest, OneHeartbeatPerIntervalEvenAfterAStall) {
  Recorder out(voice_);
  settings_.heartbeat_interval = std::chrono::seconds(1);
  Conversation c(voice_, settings_, out);
  c.begin(t0_);
  c.on_tick(t0_ + milliseconds(100));
  out.take();
  c.on_tick(t0_ + milliseconds(999));
  EXPECT_TRUE(out.take().empty());
  c.on_tick(t0_ + milliseconds(1000));
  EXPECT_EQ(out.take(), (std::vector<std::string>{"mark:heartbeat_1"}));
  c.on_tick(t0_ + milliseconds(5500));
  EXPECT_EQ(out.take(), (std::vector<std::string>{"mark:heartbeat_2"}));
  c.on_tick(t0_ + milliseconds(6499));
  EXPECT_TRUE(out.take().empty());
  c.on_tick(t0_ + milliseconds(6500));
  EXPECT_EQ(out.take(), (std::vector<std::string>{"mark:heartbeat_3"}));
}

TEST_F(ConversationTest, NothingAfterTheEnd) {
  Recorder out(voice_);
  Conversation c(voice_, settings_, out);
  c.begin(t0_);
  c.end();
  caller(c, loud_, 5);
  c.on_tick(t0_ + std::chrono::seconds(30));
  EXPECT_TRUE(out.take().empty());
}

}  // namespace
}  // namespace callsim::bot
