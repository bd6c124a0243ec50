// The bot's voice: greeting, answer after the caller pauses, clear on barge-in, heartbeats,
// all as Twilio expects them (media with the stream's streamSid, then a mark).
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "bot_under_test.h"
#include "calls.h"
#include "child_process.h"
#include "media/frame_source.h"
#include "media/wav_writer.h"

namespace callsim::bot::test {
namespace {

using Clock = std::chrono::steady_clock;
using media::FrameSource;

std::vector<int16_t> tone(int milliseconds, double amplitude = 12000) {
  std::vector<int16_t> pcm(static_cast<size_t>(milliseconds) * 8);
  for (size_t i = 0; i < pcm.size(); ++i) {
    pcm[i] = static_cast<int16_t>(amplitude * std::sin(2 * M_PI * 440.0 * i / 8000.0));
  }
  return pcm;
}

std::string media_out(const std::string& stream, std::string_view payload) {
  return fmt::format(R"({{"event":"media","streamSid":"{}","media":{{"payload":"{}"}}}})", stream,
                     payload);
}

std::string mark_out(const std::string& stream, const std::string& name) {
  return fmt::format(R"({{"event":"mark","streamSid":"{}","mark":{{"name":"{}"}}}})", stream, name);
}

bool has_message(const TwilioCalls::Call& c, const std::string& text) {
  return std::find(c.received.begin(), c.received.end(), text) != c.received.end();
}

size_t count_media(const TwilioCalls::Call& c) {
  size_t n = 0;
  for (const auto& m : c.received) n += m.rfind(R"({"event":"media")", 0) == 0;
  return n;
}

// A caller that speaks: numbered media messages after connected/start (sequence from 2).
class Caller {
 public:
  Caller(TwilioCalls& calls, size_t call, uint64_t n) : calls_(calls), call_(call), n_(n) {}
  void speak(const FrameSource& clip, size_t frames) {
    std::vector<std::string> batch;
    for (size_t i = 0; i < frames; ++i) batch.push_back(frame(std::string(clip.frame_base64(i))));
    calls_.send_all(call_, std::move(batch));
  }
  void pause(size_t frames) {
    std::vector<std::string> batch;
    for (size_t i = 0; i < frames; ++i) batch.push_back(frame(silence_payload()));
    calls_.send_all(call_, std::move(batch));
  }
  void echo_mark(const std::string& name) {
    calls_.send(call_, mark_json(stream_sid(n_), sequence_++, name));
  }

 private:
  std::string frame(const std::string& payload) {
    ++chunk_;
    return media_json(stream_sid(n_), sequence_++, chunk_, 100 + 20 * (chunk_ - 1), payload);
  }
  TwilioCalls& calls_;
  size_t call_;
  uint64_t n_;
  uint64_t sequence_ = 2;
  uint64_t chunk_ = 0;
};

class Speech : public ::testing::Test {
 protected:
  void SetUp() override {
    greeting_path_ = dir_.path() + "/greeting.wav";
    answer_path_ = dir_.path() + "/answer.wav";
    media::write_wav(greeting_path_, tone(200), media::WavWriter::Encoding::kPcm16);
    media::write_wav(answer_path_, tone(300, 8000), media::WavWriter::Encoding::kPcm16);
    greeting_ = FrameSource::from_file(greeting_path_);
    answer_ = FrameSource::from_file(answer_path_);
    loud_ = FrameSource::from_pcm(tone(1000), "caller");
  }
  std::function<void(BotConfig&)> voiced(std::function<void(BotConfig&)> more = {}) {
    return [this, more](BotConfig& c) {
      c.silent = false;
      c.greeting_path = greeting_path_;
      c.answer_path = answer_path_;
      c.speech.think = ThinkTime{std::chrono::milliseconds(100), Nanos(0)};
      c.speech.heartbeat_interval = std::chrono::seconds(600);
      if (more) more(c);
    };
  }

  callsim::test::TempDir dir_;
  std::string greeting_path_, answer_path_;
  std::shared_ptr<const FrameSource> greeting_, answer_, loud_;
};

TEST_F(Speech, GreetsWithTheBundledFixtureAsPaced20msFramesThenAMark) {
  auto fixture = FrameSource::from_file(default_greeting_path());
  BotUnderTest bot([](BotConfig& c) { c.silent = false; });
  TwilioCalls callers(bot.port());
  auto started = Clock::now();
  size_t call = place_call(callers, 1);
  const std::string stream = stream_sid(1);
  ASSERT_TRUE(callers.wait_for(
      call,
      [&](const TwilioCalls::Call& c) { return has_message(c, mark_out(stream, "greeting")); },
      std::chrono::seconds(30)));
  auto elapsed = Clock::now() - started;
  auto received = callers.snapshot(call).received;
  ASSERT_EQ(received.size(), fixture->frame_count() + 1);
  for (size_t i = 0; i < fixture->frame_count(); ++i) {
    ASSERT_EQ(received[i], media_out(stream, fixture->frame_base64(i))) << "frame " << i;
  }
  EXPECT_EQ(received.back(), mark_out(stream, "greeting"));
  // Paced in real time, not dumped at once: the last frame was due (count - 1) × 20 ms in.
  EXPECT_GE(elapsed, (fixture->frame_count() - 1) * FrameSource::kFrameDuration);
}

TEST_F(Speech, AnswersAfterTheCallerPauses) {
  BotUnderTest bot(voiced());
  TwilioCalls callers(bot.port());
  size_t call = place_call(callers, 1);
  const std::string stream = stream_sid(1);
  ASSERT_TRUE(callers.wait_for(call, [&](const TwilioCalls::Call& c) {
    return has_message(c, mark_out(stream, "greeting"));
  }));
  Caller caller(callers, call, 1);
  caller.echo_mark("greeting");
  caller.speak(*loud_, 25);
  caller.pause(40);  // longer than the detector's hangover: the turn is over
  ASSERT_TRUE(callers.wait_for(call, [&](const TwilioCalls::Call& c) {
    return has_message(c, mark_out(stream, "answer_1"));
  }));
  auto received = callers.snapshot(call).received;
  size_t first = greeting_->frame_count() + 1;
  ASSERT_EQ(received.size(), first + answer_->frame_count() + 1);
  for (size_t i = 0; i < answer_->frame_count(); ++i) {
    ASSERT_EQ(received[first + i], media_out(stream, answer_->frame_base64(i))) << "frame " << i;
  }
  caller.echo_mark("answer_1");
  ASSERT_TRUE(bot.eventually([](const Counters& c) { return c.messages_received == 69; }));
  EXPECT_EQ(bot.counters().answers, 1u);
  EXPECT_EQ(bot.counters().clears_sent, 0u);
  for (size_t i = 0; i < kDeviationKinds; ++i) {
    EXPECT_EQ(bot.counters().deviation(static_cast<Deviation>(i)), 0u)
        << to_string(static_cast<Deviation>(i));
  }
}

TEST_F(Speech, CallerTalkingOverTheGreetingGetsAClear) {
  auto long_greeting = dir_.path() + "/long.wav";
  media::write_wav(long_greeting, tone(4000), media::WavWriter::Encoding::kPcm16);
  BotUnderTest bot(voiced([&](BotConfig& c) { c.greeting_path = long_greeting; }));
  TwilioCalls callers(bot.port());
  size_t call = place_call(callers, 1);
  const std::string stream = stream_sid(1);
  ASSERT_TRUE(
      callers.wait_for(call, [](const TwilioCalls::Call& c) { return count_media(c) >= 5; }));
  Caller caller(callers, call, 1);
  caller.speak(*loud_, 10);
  const std::string clear = fmt::format(R"({{"event":"clear","streamSid":"{}"}})", stream);
  ASSERT_TRUE(
      callers.wait_for(call, [&](const TwilioCalls::Call& c) { return has_message(c, clear); }));
  size_t spoken = count_media(callers.snapshot(call));
  EXPECT_LT(spoken, 200u);  // the 4 s greeting was cut short
  caller.pause(40);
  ASSERT_TRUE(callers.wait_for(call, [&](const TwilioCalls::Call& c) {
    return has_message(c, mark_out(stream, "answer_1"));
  }));
  auto received = callers.snapshot(call).received;
  EXPECT_FALSE(has_message(callers.snapshot(call), mark_out(stream, "greeting")));
  EXPECT_EQ(count_media(callers.snapshot(call)), spoken + answer_->frame_count());
  EXPECT_EQ(bot.counters().clears_sent, 1u);
}

TEST_F(Speech, HeartbeatMarksKeepCounting) {
  BotUnderTest bot(
      voiced([](BotConfig& c) { c.speech.heartbeat_interval = std::chrono::milliseconds(100); }));
  TwilioCalls callers(bot.port());
  size_t call = place_call(callers, 1);
  const std::string stream = stream_sid(1);
  ASSERT_TRUE(callers.wait_for(call, [&](const TwilioCalls::Call& c) {
    return has_message(c, mark_out(stream, "heartbeat_3"));
  }));
  std::vector<std::string> marks;
  for (const auto& m : callers.snapshot(call).received) {
    if (m.find(R"("name":"heartbeat_)") != std::string::npos) marks.push_back(m);
  }
  ASSERT_GE(marks.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(marks[i], mark_out(stream, fmt::format("heartbeat_{}", i + 1)));
  }
}

TEST_F(Speech, SilentBotSendsNothing) {
  BotUnderTest bot(voiced([](BotConfig& c) {
    c.silent = true;
    c.speech.heartbeat_interval = std::chrono::milliseconds(50);
  }));
  TwilioCalls callers(bot.port());
  size_t call = place_call(callers, 1);
  ASSERT_TRUE(bot.eventually([](const Counters& c) { return c.admitted == 1; }));
  Caller caller(callers, call, 1);
  caller.speak(*loud_, 25);
  caller.pause(40);
  ASSERT_TRUE(bot.eventually([](const Counters& c) { return c.frames_received == 65; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  EXPECT_TRUE(callers.snapshot(call).received.empty());
  EXPECT_EQ(bot.counters().frames_sent + bot.counters().marks_sent + bot.counters().clears_sent,
            0u);
}

}  // namespace
}  // namespace callsim::bot::test
