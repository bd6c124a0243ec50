// The caller's turns and what it heard, end to end through CallConversation on a manual
// timeline: every expected time below is exact, computed from the 20 ms frame ticks.
#include "core/call_conversation.h"

#include <gtest/gtest.h>

#include <vector>

#include "conversation_driver.h"
#include "core/caller_script.h"

namespace callsim::test {
namespace {

CallConversation::Config conversation_config(const std::vector<Utterance>& utterances) {
  CallConversation::Config c;
  c.caller.mode = CallerTurns::Mode::kConversation;
  c.caller.think = ThinkTime{600ms, 0ms};
  c.caller.reply_timeout = 5s;
  c.caller.utterances = &utterances;
  c.metrics.reply_timeout = 5s;
  return c;
}

bool silent_before(const ConversationDriver& d, TimePoint end) {
  for (const auto& s : d.sent()) {
    if (s.at < end && s.frame.audio != CallerFrame::Audio::kSilence) return false;
  }
  return true;
}

// The bot greets 1 s after start with 2 s of TTS that arrives within 100 ms: the caller hears it
// for 2 s and only then thinks, so it speaks at 1 s + 2 s + 600 ms, not 600 ms after arrival.
TEST(Conversation, WaitsForTheGreetingToPlayOutThenThinksThenSpeaks) {
  const auto utterances = two_utterances();
  AudioHistograms histograms;
  CallConversation conversation(conversation_config(utterances), CallRng(1, 0), &histograms);
  ConversationDriver d(conversation);
  d.bot_stream(t0 + 1s, 2s, 100ms, 100ms);
  d.run_until(t0 + 4s);
  EXPECT_TRUE(silent_before(d, t0 + 3600ms));
  EXPECT_EQ(d.when_said(0), t0 + 3600ms);
  EXPECT_TRUE(conversation.result().greeted);
  EXPECT_EQ(conversation.result().time_to_first_audio, 1s);
  EXPECT_EQ(histograms.time_to_first_audio.count(), 1u);
  EXPECT_EQ(histograms.time_to_first_audio.max(), 1s);
}

TEST(Conversation, ReplyLatencyIsMeasuredWhenTheCallerHearsTheReply) {
  const auto utterances = two_utterances();
  AudioHistograms histograms;
  CallConversation conversation(conversation_config(utterances), CallRng(1, 0), &histograms);
  ConversationDriver d(conversation);
  d.bot_stream(t0 + 1s, 2s, 100ms, 100ms);
  // The caller speaks 3.6 s .. 4.58 s (its last voiced frame). 300 ms later the bot answers with
  // 200 ms of silence and 1.8 s of speech, all within 100 ms: heard from 4.58 + 0.5 s.
  d.bot_stream(t0 + 4880ms, 200ms, 100ms, 5ms, false);
  d.bot_stream(t0 + 4890ms, 1800ms, 100ms, 90ms, true);
  d.run_until(t0 + 20s);
  EXPECT_EQ(d.when_voice_ended(0), t0 + 4580ms);
  // The reply plays until 6.88 s; 600 ms later the caller says its second utterance.
  EXPECT_EQ(d.when_said(1), t0 + 7480ms);
  EXPECT_EQ(d.when_voice_ended(1), t0 + 7960ms);
  // No answer to that one: after the 5 s reply timeout the turns have run out and it hangs up.
  ASSERT_TRUE(d.hung_up());
  EXPECT_EQ(d.sent().back().at, t0 + 12960ms);
  d.finish();
  const CallAudioResult& r = conversation.result();
  EXPECT_EQ(r.turns_total, 2u);
  EXPECT_EQ(r.replies, 1u);
  EXPECT_EQ(r.no_reply_turns, 1u);
  ASSERT_EQ(r.turns.size(), 2u);
  EXPECT_TRUE(r.turns[0].replied);
  EXPECT_EQ(r.turns[0].caller_end, t0 + 4580ms);
  EXPECT_EQ(r.turns[0].bot_start, t0 + 5080ms);
  EXPECT_EQ(r.turns[0].latency, 500ms);
  EXPECT_FALSE(r.turns[1].replied);
  EXPECT_EQ(histograms.reply_latency.count(), 1u);
  EXPECT_EQ(histograms.reply_latency.max(), 500ms);
  EXPECT_EQ(r.dead_air_count, 0u);
}

TEST(Conversation, AReplyAfterTheTimeoutIsANoReplyTurn) {
  const auto utterances = two_utterances();
  AudioHistograms histograms;
  auto config = conversation_config(utterances);
  config.metrics.reply_timeout = 1s;
  config.caller.reply_timeout = 10s;  // the caller is patient; the metric is not
  CallConversation conversation(config, CallRng(1, 0), &histograms);
  ConversationDriver d(conversation);
  d.bot_audio(t0 + 100ms, 1s, true);   // greeting 0.1 .. 1.1 s; caller speaks 1.7 .. 2.68 s
  d.bot_audio(t0 + 3680ms, 1s, true);  // exactly 1 s after: too late
  d.run_until(t0 + 5s);
  d.finish();
  EXPECT_EQ(d.when_voice_ended(0), t0 + 2680ms);
  EXPECT_EQ(conversation.result().no_reply_turns, 1u);
  EXPECT_EQ(conversation.result().replies, 0u);
  EXPECT_EQ(histograms.reply_latency.count(), 0u);
}

TEST(Conversation, ABotThatNeverGreetsIsGivenUpOnAfterTheReplyTimeout) {
  const auto utterances = two_utterances();
  AudioHistograms histograms;
  CallConversation conversation(conversation_config(utterances), CallRng(1, 0), &histograms);
  ConversationDriver d(conversation);
  d.run_until(t0 + 6s);
  EXPECT_TRUE(silent_before(d, t0 + 5s));
  EXPECT_EQ(d.when_said(0), t0 + 5s);
  d.finish();
  EXPECT_FALSE(conversation.result().greeted);
  EXPECT_EQ(histograms.time_to_first_audio.count(), 0u);
}

// The bot pauses 400 ms (its buffer ran dry) while the caller thinks: the caller goes back to
// listening, and the dry spell inside the utterance is dead air.
TEST(Conversation, ABotThatGoesOnWhileTheCallerThinksIsHeardOutAndItsDryPauseIsDeadAir) {
  const auto utterances = two_utterances();
  AudioHistograms histograms;
  CallConversation conversation(conversation_config(utterances), CallRng(1, 0), &histograms);
  ConversationDriver d(conversation);
  d.bot_audio(t0 + 500ms, 1s, true);   // plays 0.5 .. 1.5 s
  d.bot_audio(t0 + 1900ms, 1s, true);  // dry 1.5 .. 1.9 s, plays 1.9 .. 2.9 s
  d.run_until(t0 + 4s);
  EXPECT_TRUE(silent_before(d, t0 + 3500ms));
  EXPECT_EQ(d.when_said(0), t0 + 3500ms);
  const CallAudioResult& r = conversation.result();
  EXPECT_EQ(r.dead_air_count, 1u);
  EXPECT_EQ(r.dead_air_total, 400ms);
  EXPECT_EQ(r.dead_air_longest, 400ms);
  EXPECT_EQ(histograms.dead_air.count(), 1u);
  EXPECT_EQ(histograms.dead_air.max(), 400ms);
}

TEST(Conversation, ThinkTimesAreDrawnPerCallAndTheSameForTheSameSeed) {
  const auto utterances = two_utterances();
  auto speaks_at = [&](uint64_t seed, uint64_t call) {
    auto config = conversation_config(utterances);
    config.caller.think = ThinkTime::parse("600ms±200ms");
    AudioHistograms histograms;
    CallConversation conversation(config, CallRng(seed, call), &histograms);
    ConversationDriver d(conversation);
    d.bot_audio(t0, 1s, true);
    d.run_until(t0 + 3s);
    return d.when_said(0) - (t0 + 1s);
  };
  std::vector<Nanos> first, again, other_seed;
  for (uint64_t call = 0; call < 20; ++call) {
    first.push_back(speaks_at(42, call));
    again.push_back(speaks_at(42, call));
    other_seed.push_back(speaks_at(43, call));
  }
  EXPECT_EQ(first, again);
  EXPECT_NE(first, other_seed);
  bool calls_differ = false;
  for (Nanos t : first) {
    // The draw is continuous; the caller starts on the first frame at or after it.
    EXPECT_GE(t, 400ms);
    EXPECT_LE(t, 820ms);
    calls_differ = calls_differ || t != first[0];
  }
  EXPECT_TRUE(calls_differ);
}

TEST(Conversation, LoopModeStreamsTheFixtureWhateverTheBotDoes) {
  const auto utterances = two_utterances();
  auto config = conversation_config(utterances);
  config.caller.mode = CallerTurns::Mode::kLoop;
  AudioHistograms histograms;
  CallConversation conversation(config, CallRng(1, 0), &histograms);
  ConversationDriver d(conversation);
  d.bot_audio(t0 + 100ms, 1s, true);
  d.run_until(t0 + 10s);
  ASSERT_EQ(d.sent().size(), 501u);
  for (const auto& s : d.sent()) EXPECT_EQ(s.frame.audio, CallerFrame::Audio::kLoop);
  // The metrics still run: the greeting was heard 100 ms after start.
  EXPECT_EQ(conversation.result().time_to_first_audio, 100ms);
}

TEST(Conversation, TurnsCycleThroughTheUtterancesUpToTheLimit) {
  const auto utterances = two_utterances();
  auto config = conversation_config(utterances);
  config.caller.turns = 3;
  config.caller.reply_timeout = 1s;
  AudioHistograms histograms;
  CallConversation conversation(config, CallRng(1, 0), &histograms);
  ConversationDriver d(conversation);
  d.run_until(t0 + 30s);
  ASSERT_TRUE(d.hung_up());
  std::vector<size_t> said;
  for (const auto& s : d.sent()) {
    if (s.frame.audio == CallerFrame::Audio::kUtterance && s.frame.frame == 0) {
      said.push_back(s.frame.utterance);
    }
  }
  EXPECT_EQ(said, (std::vector<size_t>{0, 1, 0}));
  EXPECT_EQ(conversation.caller().turns_spoken(), 3u);
}

TEST(Conversation, MarksRoundTripAndThoseNeverEchoed) {
  const auto utterances = two_utterances();
  AudioHistograms histograms;
  CallConversation conversation(conversation_config(utterances), CallRng(1, 0), &histograms);
  conversation.on_start_sent(t0);
  for (int i = 0; i < 20; ++i) conversation.on_mark(t0 + 10ms * i);  // grows the ring
  conversation.on_marks_echoed(t0 + 500ms, 19);
  conversation.finish(t0 + 1s);
  EXPECT_EQ(conversation.result().marks_received, 20u);
  EXPECT_EQ(conversation.result().marks_echoed, 19u);
  EXPECT_EQ(conversation.result().marks_never_echoed, 1u);
  EXPECT_EQ(histograms.mark_round_trip.count(), 19u);
  EXPECT_EQ(histograms.mark_round_trip.max(), 500ms);
  EXPECT_EQ(histograms.mark_round_trip.min(), 320ms);
}

TEST(Conversation, HistogramsMergeAcrossWorkers) {
  AudioHistograms a, b;
  a.reply_latency.record(100ms);
  b.reply_latency.record(300ms);
  b.dead_air.record(40ms);
  a.merge(b);
  EXPECT_EQ(a.reply_latency.count(), 2u);
  EXPECT_EQ(a.reply_latency.max(), 300ms);
  EXPECT_EQ(a.dead_air.count(), 1u);
}

// --- scripts ---

CallConversation::Config script_config(const std::vector<Utterance>& utterances,
                                       const CallerScript& script) {
  auto c = conversation_config(utterances);
  c.caller.mode = CallerTurns::Mode::kScript;
  c.caller.script = &script;
  return c;
}

TEST(ConversationScript, BargeInSpeaksOverTheBotAndMeasuresTheClear) {
  const auto utterances = two_utterances();
  const CallerScript script = parse_caller_script(
      "- barge_in: {after: 300ms}\n- say: {utterance: 1}\n- listen: {timeout: 2s}\n", "s.yaml");
  AudioHistograms histograms;
  CallConversation conversation(script_config(utterances, script), CallRng(1, 0), &histograms);
  ConversationDriver d(conversation);
  d.bot_audio(t0 + 500ms, 3s, true);  // plays 0.5 .. 3.5 s
  d.bot_clear(t0 + 950ms);
  d.run_until(t0 + 5s);
  d.finish();
  EXPECT_TRUE(silent_before(d, t0 + 800ms));
  EXPECT_EQ(d.when_said(0), t0 + 800ms);
  const CallAudioResult& r = conversation.result();
  EXPECT_EQ(r.barge_ins, 1u);
  EXPECT_EQ(r.barge_ins_cleared, 1u);
  EXPECT_EQ(r.talk_over_total, 150ms);
  EXPECT_EQ(histograms.clear_latency.count(), 1u);
  EXPECT_EQ(histograms.clear_latency.max(), 150ms);
  EXPECT_EQ(histograms.talk_over.max(), 150ms);
}

// A bot streaming in real time has nothing queued in the pauses between its words. The caller
// starting in such a pause barged in if the bot's utterance goes on, or the bot clears it...
TEST(ConversationScript, BargingInWhereTheBotPausesCountsOnceItsUtteranceGoesOn) {
  const auto utterances = two_utterances();
  const CallerScript script = parse_caller_script(
      "- barge_in: {after: 300ms}\n- say: {utterance: 1}\n- listen: {timeout: 2s}\n", "s.yaml");
  AudioHistograms histograms;
  CallConversation conversation(script_config(utterances, script), CallRng(1, 0), &histograms);
  ConversationDriver d(conversation);
  d.bot_audio(t0 + 500ms, 300ms, true);  // a word, 0.5 .. 0.8 s; the caller starts at 0.8 s
  d.bot_audio(t0 + 1s, 1s, true);        // the next after a 200 ms pause, 1.0 .. 2.0 s
  d.run_until(t0 + 5s);
  d.finish();
  ASSERT_EQ(d.when_said(0), t0 + 800ms);
  const CallAudioResult& r = conversation.result();
  EXPECT_EQ(r.barge_ins, 1u);
  EXPECT_EQ(r.barge_ins_cleared, 0u);
  EXPECT_EQ(r.talk_over_total, 1200ms);
}

TEST(ConversationScript, BargingInWhereTheBotPausesCountsWhenTheBotClears) {
  const auto utterances = two_utterances();
  const CallerScript script = parse_caller_script(
      "- barge_in: {after: 300ms}\n- say: {utterance: 1}\n- listen: {timeout: 2s}\n", "s.yaml");
  AudioHistograms histograms;
  CallConversation conversation(script_config(utterances, script), CallRng(1, 0), &histograms);
  ConversationDriver d(conversation);
  d.bot_audio(t0 + 500ms, 300ms, true);
  d.bot_clear(t0 + 950ms);
  d.run_until(t0 + 5s);
  d.finish();
  const CallAudioResult& r = conversation.result();
  EXPECT_EQ(r.barge_ins, 1u);
  EXPECT_EQ(r.barge_ins_cleared, 1u);
  EXPECT_EQ(histograms.clear_latency.max(), 150ms);
  EXPECT_EQ(r.talk_over_total, 0ms);  // nothing of the bot played over the caller
}

// ...and did not when the bot's utterance turns out to have ended at that pause.
TEST(ConversationScript, SpeakingWhereTheBotsUtteranceEndedIsNoBargeIn) {
  const auto utterances = two_utterances();
  const CallerScript script = parse_caller_script(
      "- barge_in: {after: 300ms}\n- say: {utterance: 1}\n- listen: {timeout: 2s}\n", "s.yaml");
  AudioHistograms histograms;
  CallConversation conversation(script_config(utterances, script), CallRng(1, 0), &histograms);
  ConversationDriver d(conversation);
  d.bot_audio(t0 + 500ms, 300ms, true);
  d.run_until(t0 + 5s);
  d.finish();
  const CallAudioResult& r = conversation.result();
  EXPECT_EQ(r.barge_ins, 0u);
  EXPECT_EQ(histograms.talk_over.count(), 0u);
  EXPECT_EQ(histograms.clear_latency.count(), 0u);
}

// A bot streaming its reply in real time has nothing queued in the pause between two words: the
// caller, done with its turns, still thinks before hanging up and so hears the reply out.
TEST(Conversation, AfterTheLastTurnTheCallerHearsOutAReplyThatPauses) {
  const auto utterances = two_utterances();
  auto config = conversation_config(utterances);
  config.caller.turns = 1;
  AudioHistograms histograms;
  CallConversation conversation(config, CallRng(1, 0), &histograms);
  ConversationDriver d(conversation);
  d.bot_stream(t0 + 1s, 2s, 100ms, 100ms);
  d.run_until(t0 + 4700ms);
  ASSERT_EQ(d.when_voice_ended(0), t0 + 4580ms);
  d.bot_stream(t0 + 5000ms, 500ms, 20ms, 500ms);  // plays 5.0 .. 5.5 s
  d.bot_stream(t0 + 5800ms, 700ms, 20ms, 700ms);  // after 300 ms of nothing, 5.8 .. 6.5 s
  d.run_until(t0 + 10s);
  ASSERT_TRUE(d.hung_up());
  EXPECT_EQ(d.sent().back().at, t0 + 7100ms);  // 6.5 s + the 600 ms think
  d.finish();
  EXPECT_EQ(conversation.result().replies, 1u);
  // The 300 ms with nothing queued fell inside the bot's utterance (shorter than end_of_turn).
  EXPECT_EQ(conversation.result().dead_air_count, 1u);
  EXPECT_EQ(conversation.result().dead_air_total, 300ms);
}

TEST(ConversationScript, ABotThatNeverClearsTalksOverTheCallerToTheEndOfItsUtterance) {
  const auto utterances = two_utterances();
  const CallerScript script = parse_caller_script(
      "- barge_in: {after: 300ms}\n- say: {utterance: 1}\n- listen: {timeout: 3s}\n", "s.yaml");
  AudioHistograms histograms;
  CallConversation conversation(script_config(utterances, script), CallRng(1, 0), &histograms);
  ConversationDriver d(conversation);
  d.bot_audio(t0 + 500ms, 3s, true);
  d.run_until(t0 + 6s);
  d.finish();
  const CallAudioResult& r = conversation.result();
  EXPECT_EQ(r.barge_ins, 1u);
  EXPECT_EQ(r.barge_ins_cleared, 0u);
  EXPECT_EQ(r.talk_over_total, 2700ms);  // 0.8 s .. 3.5 s
  EXPECT_EQ(histograms.clear_latency.count(), 0u);
  // The caller finished (1.78 s) while the bot still talked: an overlapped turn, no latency.
  EXPECT_EQ(r.overlapped_turns, 1u);
  EXPECT_EQ(histograms.reply_latency.count(), 0u);
  // The listen step ended when the bot's turn was over (its audio played out at 3.5 s, then
  // 600 ms of silence); then the script ran out.
  ASSERT_TRUE(d.hung_up());
  EXPECT_EQ(d.sent().back().at, t0 + 4100ms);
}

TEST(ConversationScript, DtmfKeysGoOutTwoHundredMillisecondsApart) {
  const auto utterances = two_utterances();
  const CallerScript script = parse_caller_script("- dtmf: \"12#\"\n- hangup\n", "s.yaml");
  AudioHistograms histograms;
  CallConversation conversation(script_config(utterances, script), CallRng(1, 0), &histograms);
  ConversationDriver d(conversation);
  d.run_until(t0 + 2s);
  std::vector<std::pair<Nanos, char>> keys;
  for (const auto& s : d.sent()) {
    if (s.frame.dtmf) keys.emplace_back(s.at - t0, s.frame.dtmf);
    EXPECT_EQ(s.frame.audio, CallerFrame::Audio::kSilence);
  }
  EXPECT_EQ(keys, (std::vector<std::pair<Nanos, char>>{{0ms, '1'}, {200ms, '2'}, {400ms, '#'}}));
  ASSERT_TRUE(d.hung_up());
  EXPECT_EQ(d.sent().back().at, t0 + 600ms);
}

TEST(ConversationScript, ListenTimesOutPausesThenSaysAFileAndHangsUpAtTheEnd) {
  std::vector<Utterance> utterances = two_utterances();
  utterances.push_back(Utterance{1, 0, 10, 2, 7});  // the script's file: voiced frames 2..7
  const CallerScript script =
      parse_caller_script("- listen: {timeout: 1s}\n- pause: 500ms\n- say: hello.wav\n", "s.yaml");
  auto config = script_config(utterances, script);
  config.caller.file_utterance_base = 2;
  AudioHistograms histograms;
  CallConversation conversation(config, CallRng(1, 0), &histograms);
  ConversationDriver d(conversation);
  d.run_until(t0 + 3s);
  EXPECT_TRUE(silent_before(d, t0 + 1500ms));
  EXPECT_EQ(d.when_said(2), t0 + 1500ms);
  EXPECT_EQ(d.when_voice_ended(2), t0 + 1640ms);
  ASSERT_TRUE(d.hung_up());
  EXPECT_EQ(d.sent().back().at, t0 + 1700ms);
}

TEST(ConversationScript, ListenEndsWhenTheBotsAudioHasPlayedOut) {
  const auto utterances = two_utterances();
  const CallerScript script = parse_caller_script("- listen\n- say: {utterance: 2}\n", "s.yaml");
  AudioHistograms histograms;
  CallConversation conversation(script_config(utterances, script), CallRng(1, 0), &histograms);
  ConversationDriver d(conversation);
  d.bot_stream(t0 + 200ms, 1500ms, 300ms, 20ms);  // plays 0.2 .. 1.7 s
  d.run_until(t0 + 3s);
  // No think in a script (pause says how long), but the bot's turn is over only after 600 ms of
  // silence: a bot streaming in real time pauses between words with nothing queued.
  EXPECT_EQ(d.when_said(1), t0 + 2300ms);
}

TEST(ConversationScript, ListenHearsOutABotThatPausesBetweenWords) {
  const auto utterances = two_utterances();
  const CallerScript script = parse_caller_script("- listen\n- say: {utterance: 2}\n", "s.yaml");
  AudioHistograms histograms;
  CallConversation conversation(script_config(utterances, script), CallRng(1, 0), &histograms);
  ConversationDriver d(conversation);
  // Two words streamed in real time with 400 ms between them: 0.2 .. 0.7 s and 1.1 .. 1.7 s.
  d.bot_stream(t0 + 200ms, 500ms, 20ms, 500ms);
  d.bot_stream(t0 + 1100ms, 600ms, 20ms, 600ms);
  d.run_until(t0 + 3s);
  EXPECT_EQ(d.when_said(1), t0 + 2300ms);
}

TEST(ConversationScript, AnUtteranceTheTableDoesNotHoldIsSaidAsNothing) {
  const auto utterances = two_utterances();
  const CallerScript script = parse_caller_script("- say: {utterance: 5}\n", "s.yaml");
  CallConversation::Config config;
  config.caller.mode = CallerTurns::Mode::kScript;
  config.caller.utterances = &utterances;
  config.caller.script = &script;
  AudioHistograms histograms;
  CallConversation conversation(config, CallRng(1, 0), &histograms);
  ConversationDriver d(conversation);
  d.run_until(t0 + 1s);
  ASSERT_EQ(d.sent().size(), 1u);
  EXPECT_TRUE(d.sent()[0].frame.hang_up);
}

}  // namespace
}  // namespace callsim::test
