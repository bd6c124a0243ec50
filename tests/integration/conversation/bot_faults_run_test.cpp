// callsim's voice metrics against callsim-bot's injected faults: each metric moves by the amount
// the bot was told to inject. Every comparison is between two runs of the same shape, one with
// the fault and one without, so what the bot's speech detector and clips add to every turn (the
// same in both) cancels and only the injected amount is left.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <fstream>
#include <string>
#include <vector>

#include "child_process.h"
#include "heard_run.h"

namespace callsim::test {
namespace {

uint64_t audio_count(const Heard& heard, const char* name) {
  return heard.doc["audio"][name].GetUint64();
}

// A bot that stops streaming for 200 ms after every second of audio leaves the caller's buffer
// dry mid-utterance: dead air of the stall's length on every answered call.
// Judged on each call's longest gap, not on the p50 of all gaps: a CPU-starved bot really does
// leave extra 20-60 ms gaps where one of its 20 ms ticks came late (in the sanitized suite,
// beside the heaviest tests, they outnumbered the stalls and the p50 fell to 91 ms). The stalls
// stay the longest gaps, and a measurement that split or merged them would still move these.
TEST(InjectedSpeechFaults, StallsAreDeadAirOfTheStallsLength) {
  const Heard heard = run_and_read({"--stall", "1s:200ms"}, {"--concurrent", "10"});
  ASSERT_TRUE(heard.ok);
  std::vector<double> longest_ms;
  std::string per_call;  // "gaps/total/longest" of every call, for a failure's message
  for (const auto& call : heard.doc["calls"].GetArray()) {
    if (!call["audio"].IsObject()) continue;
    const auto& audio = call["audio"];
    longest_ms.push_back(audio["dead_air_longest_ms"].GetDouble());
    per_call += " " + std::to_string(audio["dead_air_count"].GetUint64()) + "/" +
                std::to_string(audio["dead_air_total_ms"].GetDouble()) + "/" +
                std::to_string(longest_ms.back());
  }
  SCOPED_TRACE("each call's dead-air gaps/total ms/longest ms:" + per_call);
  EXPECT_EQ(audio_count(heard, "calls_with_dead_air"), 10u);
  EXPECT_GE(histogram(heard, "dead_air")["count"].GetUint64(), 10u);
  ASSERT_EQ(longest_ms.size(), 10u);
  for (double longest : longest_ms) EXPECT_GE(longest, 180.0) << "a call never heard a whole stall";
  EXPECT_NEAR(percentile(longest_ms, 50), 200.0, 20.0);
}

// TTS sent all at once is heard in real time: measured at playout time, the caller hears the
// greeting and the answer when a real-time bot's would be heard, and never a gap.
// The calls start 100 ms apart: ten whole greetings sent at the same instant would make the
// two programs' processing of them, not the measurement, the difference (17-27 ms under ASan).
TEST(InjectedSpeechFaults, BurstTtsIsHeardWhenRealTimeTtsIsHeard) {
  const std::vector<std::string> calls = {"--concurrent", "10", "--ramp", "1s"};
  const Heard real_time = run_and_read({}, calls);
  const Heard burst = run_and_read({"--tts-burst"}, calls);
  ASSERT_TRUE(real_time.ok && burst.ok);
  EXPECT_EQ(audio_count(burst, "dead_air_count"), 0u);
  EXPECT_NEAR(percentile(burst.reply_latencies_ms, 50),
              percentile(real_time.reply_latencies_ms, 50), 20.0);
  EXPECT_NEAR(histogram(burst, "time_to_first_audio")["p50_ms"].GetDouble(),
              histogram(real_time, "time_to_first_audio")["p50_ms"].GetDouble(), 20.0);
}

// A bot that never greets: no call hears anything before its caller speaks, so time to first
// audio is the time to the answer, which is after the caller's reply timeout and utterance.
TEST(InjectedSpeechFaults, NoGreetingMeansTheFirstAudioIsTheAnswer) {
  const Heard greets = run_and_read({}, {"--concurrent", "5", "--reply-timeout", "2s"});
  const Heard silent =
      run_and_read({"--no-greeting"}, {"--concurrent", "5", "--reply-timeout", "2s"});
  ASSERT_TRUE(greets.ok && silent.ok);
  const double greeted_ms = histogram(greets, "time_to_first_audio")["p50_ms"].GetDouble();
  const double answered_ms = histogram(silent, "time_to_first_audio")["p50_ms"].GetDouble();
  // The caller waits its 2 s reply timeout for a greeting before it speaks its utterance, then
  // the bot thinks. The timeout must outlast the bot's answer, or no turn gets a reply.
  EXPECT_GT(answered_ms, greeted_ms + 2000.0);
  EXPECT_EQ(audio_count(silent, "replies"), 5u);
}

// The caller barges in 1.8 s into the greeting, where bot-greeting.opus is voiced for another
// 440 ms: a bot clearing 250 ms late talks on over the caller for all of the delay (earlier, the
// greeting pauses between words within 250 ms, and a late clear would cut a pause).
std::string barge_in_script(const TempDir& dir) {
  const std::string script = dir.path() + "/barge.yaml";
  std::ofstream(script) << "- barge_in: {after: 1800ms}\n"
                           "- say: {utterance: 1}\n"
                           "- listen: {timeout: 3s}\n";
  return script;
}

// A bot told to stop 250 ms late: its clear comes 250 ms later after the caller barges in, and
// the caller hears 250 ms more of it over its own voice. The bot acts on its 20 ms ticks, so the
// delay lands up to one tick late (measured 273 ms with two test suites sharing the machine):
// 30 ms of slack, far from a clear that is not delayed at all or delayed twice.
TEST(InjectedSpeechFaults, LateClearMovesClearLatencyAndTalkOverByTheDelay) {
  TempDir dir;
  const std::string script = barge_in_script(dir);
  const Heard prompt = run_and_read({}, {"--concurrent", "5", "--script", script});
  const Heard late =
      run_and_read({"--clear-delay", "250ms"}, {"--concurrent", "5", "--script", script});
  ASSERT_TRUE(prompt.ok && late.ok);
  EXPECT_EQ(audio_count(prompt, "barge_ins"), 5u);
  EXPECT_EQ(audio_count(late, "barge_ins_cleared"), 5u);
  EXPECT_NEAR(histogram(late, "clear_latency")["p50_ms"].GetDouble() -
                  histogram(prompt, "clear_latency")["p50_ms"].GetDouble(),
              250.0, 30.0);
  EXPECT_NEAR(histogram(late, "talk_over")["p50_ms"].GetDouble() -
                  histogram(prompt, "talk_over")["p50_ms"].GetDouble(),
              250.0, 30.0);
}

// A bot that never clears talks on over the caller: barge-ins without a clear.
TEST(InjectedSpeechFaults, NeverClearingIsBargeInsWithoutAClear) {
  TempDir dir;
  const Heard heard = run_and_read({"--clear-delay", "never"},
                                   {"--concurrent", "5", "--script", barge_in_script(dir)});
  ASSERT_TRUE(heard.ok);
  EXPECT_EQ(audio_count(heard, "barge_ins"), 5u);
  EXPECT_EQ(audio_count(heard, "barge_ins_cleared"), 0u);
  EXPECT_EQ(histogram(heard, "clear_latency")["count"].GetUint64(), 0u);
}

}  // namespace
}  // namespace callsim::test
