#include "bot/conversation.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "conversation_fixture.h"

namespace callsim::bot::test {
namespace {

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
  now_ = t0_ + milliseconds(200);  // the greeting has played out
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
}  // namespace callsim::bot::test
