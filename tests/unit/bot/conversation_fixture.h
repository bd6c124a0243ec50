#pragma once

// What the Conversation tests share: short clips, a recorder of what the bot said, and a clock
// the test moves by hand.

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "bot/conversation.h"

namespace callsim::bot::test {

using Clock = Conversation::Clock;
using std::chrono::milliseconds;

inline std::vector<int16_t> tone(int ms, double amplitude) {
  std::vector<int16_t> pcm(static_cast<size_t>(ms) * 8);
  for (size_t i = 0; i < pcm.size(); ++i) {
    pcm[i] = static_cast<int16_t>(amplitude * std::sin(2 * M_PI * 440.0 * i / 8000.0));
  }
  return pcm;
}

// What the conversation said, as "greeting#0", "mark:greeting", "clear", and what it reported.
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
  void note_answer(Nanos pause) override { pauses.push_back(pause); }
  void note_barge_in() override { ++barge_ins; }
  void note_stall() override { ++stalls; }
  std::vector<std::string> take() { return std::exchange(said, {}); }

  std::vector<std::string> said;
  std::vector<Nanos> pauses;
  int barge_ins = 0;
  int stalls = 0;

 private:
  const Voice& voice_;
};

class ConversationTest : public ::testing::Test {
 protected:
  ConversationTest() {
    // Different amplitudes so greeting and answer frames never coincide.
    voice_.greeting = media::FrameSource::from_pcm(tone(60, 9000), "greeting");  // 3 frames
    voice_.answer = media::FrameSource::from_pcm(tone(40, 5000), "answer");      // 2 frames
    settings_.think = ThinkTime{milliseconds(300), Nanos(0)};
    settings_.heartbeat_interval = std::chrono::seconds(10);
    loud_.assign(voice_.greeting->frame(1), voice_.greeting->frame(1) + 160);
  }
  Clock::time_point at(int ms) const { return t0_ + milliseconds(ms); }
  void caller(Conversation& c, const std::vector<uint8_t>& frame, int frames) {
    for (int i = 0; i < frames; ++i) c.on_caller_audio(frame.data(), frame.size(), now_);
  }
  // A whole caller turn at `ms`: speech, then the detector's 30-frame hangover, so the turn
  // ends (and the answer's pause starts) at `ms`.
  void turn(Conversation& c, int ms) {
    now_ = at(ms);
    caller(c, loud_, 10);
    caller(c, silence_, 30);
  }
  // Ticks every millisecond of [from, to] and returns what was said, as "ms what".
  std::vector<std::string> ticks(Conversation& c, Recorder& out, int from, int to) {
    std::vector<std::string> timed;
    for (int ms = from; ms <= to; ++ms) {
      c.on_tick(at(ms));
      for (auto& item : out.take()) timed.push_back(std::to_string(ms) + " " + item);
    }
    return timed;
  }

  Voice voice_;
  SpeechSettings settings_;
  Clock::time_point t0_ = Clock::time_point() + std::chrono::hours(1);
  Clock::time_point now_ = t0_;
  std::vector<uint8_t> loud_;
  std::vector<uint8_t> silence_ = std::vector<uint8_t>(160, 0xFF);
};

}  // namespace callsim::bot::test
