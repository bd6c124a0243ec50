// callsim's callers take turns against the real callsim-bot: what they heard is in the summary
// and in the JSON report, with counts that follow from the two programs' settings.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <fstream>

#include "child_process.h"
#include "verdict_run.h"

namespace callsim::test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

rapidjson::Document parse_report(const VerdictRun& run) {
  rapidjson::Document doc;
  doc.Parse(run.report.c_str());
  EXPECT_FALSE(doc.HasParseError()) << run.describe();
  return doc;
}

uint64_t audio_count(const rapidjson::Document& doc, const char* name) {
  if (!doc.HasMember("audio") || !doc["audio"].IsObject()) {
    ADD_FAILURE() << "the report has no audio object";
    return UINT64_MAX;
  }
  return doc["audio"][name].GetUint64();
}

// The default caller against the default bot, as `callsim --concurrent 60` runs it: 50 calls are
// greeted and answered once each (the fixture holds one utterance), the 10 turned away hear
// nothing, and the cap verdict is unchanged.
TEST(ConversationRun, SixtyCallsReportWhatTheCallersHeard) {
  VerdictRun run = run_callsim_against_bot({}, {"--concurrent", "60"});
  ASSERT_EQ(run.exit_code, 0) << run.describe();
  EXPECT_EQ(run.verdict, "PASS") << run.describe();
  EXPECT_THAT(run.callsim_output, HasSubstr("what the callers heard (at playout time), over 60 "
                                            "streamed calls"))
      << run.callsim_output;
  EXPECT_THAT(run.callsim_output, HasSubstr("time to first audio: 50 calls greeted; p50 "))
      << run.callsim_output;
  EXPECT_THAT(run.callsim_output, HasSubstr("10 never heard the bot")) << run.callsim_output;
  EXPECT_THAT(run.callsim_output, HasSubstr("reply latency: 50 of 50 turns answered; p50 "))
      << run.callsim_output;
  EXPECT_THAT(run.callsim_output, HasSubstr("no-reply turns: 0 (0.0%)")) << run.callsim_output;
  // Dead air is not asserted: the reference bot streams in real time, so on a loaded machine its
  // late ticks are real underruns (measured: one 95 ms gap per call with the CPU saturated). The
  // unit tests pin the dead-air arithmetic; here only its line must be there.
  EXPECT_THAT(run.callsim_output, HasSubstr("dead air inside bot utterances: "))
      << run.callsim_output;

  rapidjson::Document doc = parse_report(run);
  EXPECT_EQ(audio_count(doc, "streamed_calls"), 60u);
  EXPECT_EQ(audio_count(doc, "greeted_calls"), 50u);
  EXPECT_EQ(audio_count(doc, "turns"), 50u);
  EXPECT_EQ(audio_count(doc, "replies"), 50u);
  EXPECT_EQ(audio_count(doc, "no_reply_turns"), 0u);
  EXPECT_STREQ(doc["config"]["caller"]["mode"].GetString(), "conversation");
  EXPECT_EQ(doc["audio"]["histograms"]["reply_latency"]["count"].GetUint64(), 50u);
  EXPECT_FALSE(doc["audio"].HasMember("by_burst")) << "one burst has no per-burst split";

  int answered = 0;
  for (const auto& call : doc["calls"].GetArray()) {
    if (!call["admitted"].GetBool()) continue;
    const auto& audio = call["audio"];
    ASSERT_TRUE(audio.IsObject());
    EXPECT_TRUE(audio["greeted"].GetBool());
    // The bot greets as soon as `start` arrives; on loopback its first voiced audio plays within
    // the greeting clip's lead-in.
    EXPECT_GT(audio["time_to_first_audio_ms"].GetDouble(), 0.0);
    EXPECT_LT(audio["time_to_first_audio_ms"].GetDouble(), 2000.0);
    ASSERT_EQ(audio["turn_records"].Size(), 1u);
    const auto& turn = audio["turn_records"][0];
    ASSERT_TRUE(turn["replied"].GetBool());
    // The bot thinks 400 ms after it hears the caller stop, so no reply can come sooner; it
    // must come before the 5 s reply timeout.
    EXPECT_GE(turn["latency_ms"].GetDouble(), 400.0);
    EXPECT_LT(turn["latency_ms"].GetDouble(), 5000.0);
    EXPECT_GT(turn["bot_start_ms"].GetDouble(), turn["caller_end_ms"].GetDouble());
    ++answered;
  }
  EXPECT_EQ(answered, 50);
}

// --bursts: what the callers heard in each burst, counted over that burst's calls and measured
// into that burst's histograms, which partition the run's.
TEST(ConversationRun, EachBurstReportsWhatItsCallersHeard) {
  VerdictRun run = run_callsim_against_bot({}, {"--concurrent", "3", "--bursts", "2"});
  ASSERT_EQ(run.exit_code, 0) << run.describe();
  EXPECT_EQ(run.verdict, "PASS") << run.describe();
  for (const char* burst : {"burst 1: 3 streamed, 3 greeted", "burst 2: 3 streamed, 3 greeted"}) {
    EXPECT_THAT(run.callsim_output, HasSubstr(burst)) << run.callsim_output;
  }
  EXPECT_THAT(run.callsim_output, HasSubstr("; 3 of 3 turns answered, reply latency p95 "))
      << run.callsim_output;
  rapidjson::Document doc = parse_report(run);
  EXPECT_EQ(audio_count(doc, "streamed_calls"), 6u);
  ASSERT_TRUE(doc["audio"].HasMember("by_burst"));
  const auto& bursts = doc["audio"]["by_burst"];
  ASSERT_EQ(bursts.Size(), 2u);
  uint64_t ttfa_counted = 0;
  for (rapidjson::SizeType b = 0; b < bursts.Size(); ++b) {
    const auto& burst = bursts[b];
    EXPECT_EQ(burst["burst"].GetUint64(), b + 1);
    EXPECT_EQ(burst["streamed_calls"].GetUint64(), 3u);
    EXPECT_EQ(burst["greeted_calls"].GetUint64(), 3u);
    EXPECT_EQ(burst["turns"].GetUint64(), 3u);
    EXPECT_EQ(burst["replies"].GetUint64(), 3u);
    EXPECT_EQ(burst["histograms"]["reply_latency"]["count"].GetUint64(), 3u);
    ttfa_counted += burst["histograms"]["time_to_first_audio"]["count"].GetUint64();
  }
  EXPECT_EQ(ttfa_counted, doc["audio"]["histograms"]["time_to_first_audio"]["count"].GetUint64());
  EXPECT_EQ(ttfa_counted, 6u);
}

// A bot that never speaks: no call is greeted, and every turn the caller takes is a no-reply
// turn after --reply-timeout; still a correct server, so the cap verdict passes.
TEST(ConversationRun, SilentBotMakesEveryTurnANoReplyTurn) {
  VerdictRun run = run_callsim_against_bot(
      {"--silent"}, {"--concurrent", "5", "--reply-timeout", "300ms", "--turns", "2"});
  ASSERT_EQ(run.exit_code, 0) << run.describe();
  EXPECT_THAT(run.callsim_output, HasSubstr("time to first audio: 0 calls greeted; 5 never heard "
                                            "the bot"))
      << run.callsim_output;
  EXPECT_THAT(run.callsim_output, HasSubstr("reply latency: 0 of 10 turns answered\n"))
      << run.callsim_output;
  EXPECT_THAT(run.callsim_output, HasSubstr("no-reply turns: 10 (100.0%)")) << run.callsim_output;
  rapidjson::Document doc = parse_report(run);
  EXPECT_EQ(audio_count(doc, "greeted_calls"), 0u);
  EXPECT_EQ(audio_count(doc, "turns"), 10u);
  EXPECT_EQ(audio_count(doc, "no_reply_turns"), 10u);
  for (const auto& call : doc["calls"].GetArray()) {
    EXPECT_TRUE(call["audio"]["time_to_first_audio_ms"].IsNull());
    // The caller hung up by itself once its two turns had gone unanswered, long before the
    // default hold.
    EXPECT_STREQ(call["outcome"].GetString(), "completed");
  }
}

// --caller loop streams the fixture as before conversations: no turns, nothing judged as heard.
TEST(ConversationRun, LoopCallerJudgesNoAudio) {
  VerdictRun run =
      run_callsim_against_bot({}, {"--concurrent", "3", "--caller", "loop", "--hold", "1s"});
  ASSERT_EQ(run.exit_code, 0) << run.describe();
  EXPECT_THAT(run.callsim_output, Not(HasSubstr("what the callers heard")));
  rapidjson::Document doc = parse_report(run);
  EXPECT_TRUE(doc["audio"].IsNull());
  EXPECT_STREQ(doc["config"]["caller"]["mode"].GetString(), "loop");
  for (const auto& call : doc["calls"].GetArray()) EXPECT_TRUE(call["audio"].IsNull());
}

// A script presses keys, speaks and hangs up: one Twilio dtmf message per digit (their bytes are
// twilio_messages_test's), the bot answers the utterance, and the caller hangs up at the end.
TEST(ConversationRun, ScriptSendsDtmfSaysAndHangsUp) {
  TempDir dir;
  const std::string script = dir.path() + "/caller.yaml";
  std::ofstream(script) << "- listen: {timeout: 3s}\n"
                           "- dtmf: \"12#\"\n"
                           "- say: {utterance: 1}\n"
                           "- listen: {timeout: 5s}\n"
                           "- hangup\n";
  VerdictRun run = run_callsim_against_bot({}, {"--concurrent", "4", "--script", script});
  ASSERT_EQ(run.exit_code, 0) << run.describe();
  rapidjson::Document doc = parse_report(run);
  EXPECT_STREQ(doc["config"]["caller"]["mode"].GetString(), "script");
  EXPECT_EQ(audio_count(doc, "greeted_calls"), 4u);
  for (const auto& call : doc["calls"].GetArray()) {
    EXPECT_EQ(call["dtmf_sent"].GetUint64(), 3u);
    EXPECT_STREQ(call["outcome"].GetString(), "completed");
    EXPECT_EQ(call["audio"]["replies"].GetUint64(), 1u);
  }
}

}  // namespace
}  // namespace callsim::test
