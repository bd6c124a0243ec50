#include "run/threshold_checks.h"

#include <gtest/gtest.h>

#include "verify/verifier.h"

namespace callsim {
namespace {

using namespace std::chrono_literals;

const TimePoint t0 = TimePoint{} + 1h;

// A run of `calls` admitted, streamed calls, each with one caller turn.
RunStats streamed_calls(int calls) {
  RunStats s;
  for (int i = 0; i < calls; ++i) {
    CallRecord c;
    c.outcome = Outcome::kCompleted;
    c.upgraded = t0;
    c.start_sent = t0;
    c.audio.greeted = true;
    c.audio.turns_total = 1;
    s.calls.push_back(c);
  }
  return s;
}

// `answered` of the calls' turns got a reply after `latency`; the rest went unanswered.
RunStats replies(int calls, int answered, Nanos latency) {
  RunStats s = streamed_calls(calls);
  for (int i = 0; i < calls; ++i) {
    if (i < answered) {
      s.calls[i].audio.replies = 1;
      s.audio.reply_latency.record(latency);
    } else {
      s.calls[i].audio.no_reply_turns = 1;
    }
  }
  return s;
}

CheckResult judge_one(const std::string& text, const RunStats& stats, bool conversing = true) {
  ThresholdEvidence e;
  e.stats = &stats;
  e.conversing = conversing;
  e.origin = t0;
  e.end = t0 + 20s;
  auto results = judge_thresholds({parse_threshold(text)}, e);
  EXPECT_EQ(results.size(), 1u);
  return results.front();
}

TEST(ThresholdChecks, APercentileOverAnsweredTurnsPassesWithItsValueBesideTheLimit) {
  const CheckResult r = judge_one("reply_latency.p95<1200ms", replies(20, 19, 800ms));
  EXPECT_EQ(r.name, "reply_latency.p95<1200ms");
  EXPECT_EQ(r.verdict, Verdict::kPass);
  ASSERT_TRUE(r.threshold);
  EXPECT_EQ(r.threshold->unit, "ms");
  EXPECT_DOUBLE_EQ(r.threshold->limit, 1200.0);
  ASSERT_TRUE(r.threshold->value);
  EXPECT_NEAR(*r.threshold->value, 800.0, 800.0 * 0.0079);  // the histogram's bucket precision
  EXPECT_EQ(r.threshold->samples, 20u);  // 19 answered, 1 unanswered: p95 is the 19th
  EXPECT_FALSE(r.offense);
}

// Unanswered turns rank above every reply: with 2 of 20 unanswered, p95 (the 19th of 20) is a
// turn that never got a reply, whatever the 18 answered ones measured.
TEST(ThresholdChecks, UnansweredTurnsMakeAPercentileNeverAndBreachIt) {
  const CheckResult r = judge_one("reply_latency.p95<1200ms", replies(20, 18, 100ms));
  EXPECT_EQ(r.verdict, Verdict::kFail);
  ASSERT_TRUE(r.threshold);
  EXPECT_TRUE(r.threshold->never);
  EXPECT_FALSE(r.threshold->value);
  EXPECT_EQ(r.summary, "p95 never over 20 turns (2 unanswered); limit <1200ms");
  ASSERT_TRUE(r.offense);
  EXPECT_EQ(r.offense->at, t0 + 20s);
  // The median of the same run is still an answered turn.
  EXPECT_EQ(judge_one("reply_latency.p50<1200ms", replies(20, 18, 100ms)).verdict, Verdict::kPass);
  // And never is above any limit the other way round.
  EXPECT_EQ(judge_one("reply_latency.max>10s", replies(20, 18, 100ms)).verdict, Verdict::kPass);
}

TEST(ThresholdChecks, ACallNeverGreetedCountsAsNeverInTimeToFirstAudio) {
  RunStats s = streamed_calls(10);
  for (int i = 0; i < 10; ++i) {
    s.calls[i].audio.greeted = i != 0;
    if (i != 0) s.audio.time_to_first_audio.record(300ms);
  }
  EXPECT_EQ(judge_one("ttfa.p90<2s", s).verdict, Verdict::kPass);
  EXPECT_EQ(judge_one("ttfa.p95<2s", s).verdict, Verdict::kFail);  // the 10th of 10
  const CheckResult rate = judge_one("ungreeted_calls.rate<5%", s);
  EXPECT_EQ(rate.verdict, Verdict::kFail);
  EXPECT_EQ(rate.summary, "10% (1 of 10 admitted calls; limit <5%)");
  // A call the cap turned away after `start` was never meant to be greeted.
  CallRecord rejected;
  rejected.outcome = Outcome::kRejected;
  rejected.start_sent = t0;
  s.calls.push_back(rejected);
  EXPECT_EQ(judge_one("ungreeted_calls.rate<=10%", s).verdict, Verdict::kPass);
}

TEST(ThresholdChecks, RatesAndCountsOverTheirPopulations) {
  RunStats s = replies(200, 198, 500ms);
  const CheckResult rate = judge_one("no_reply_turns.rate<1%", s);
  EXPECT_EQ(rate.verdict, Verdict::kFail);  // exactly 1 %: not below it
  EXPECT_DOUBLE_EQ(*rate.threshold->value, 1.0);
  EXPECT_EQ(rate.threshold->samples, 200u);
  EXPECT_EQ(judge_one("no_reply_turns.rate<=1%", s).verdict, Verdict::kPass);
  EXPECT_EQ(judge_one("no_reply_turns.count<2", s).verdict, Verdict::kFail);
  EXPECT_EQ(judge_one("no_reply_turns.count<3", s).verdict, Verdict::kPass);

  s.calls[0].outcome = Outcome::kProtocolError;
  s.calls[1].outcome = Outcome::kRejected;  // turned away: not a failure
  const CheckResult failed = judge_one("failed_calls.rate<0.5%", s);
  EXPECT_DOUBLE_EQ(*failed.threshold->value, 0.5);
  EXPECT_EQ(failed.verdict, Verdict::kFail);
  EXPECT_EQ(judge_one("rejected_calls.count<=1", s).verdict, Verdict::kPass);
}

TEST(ThresholdChecks, DeadAirIsAShareOfTheBotsSpeechTime) {
  RunStats s = streamed_calls(2);
  s.calls[0].audio.bot_speech_total = 10s;
  s.calls[1].audio.bot_speech_total = 10s;
  s.calls[1].audio.dead_air_count = 2;
  s.calls[1].audio.dead_air_total = 300ms;
  const CheckResult r = judge_one("dead_air.rate<1%", s);
  EXPECT_EQ(r.verdict, Verdict::kFail);
  EXPECT_DOUBLE_EQ(*r.threshold->value, 1.5);
  EXPECT_EQ(judge_one("dead_air.rate<2%", s).verdict, Verdict::kPass);
  EXPECT_EQ(judge_one("dead_air.count<=2", s).verdict, Verdict::kPass);
}

// Nothing to measure is not a pass: the check is unjudged, and a run with it is INCOMPLETE.
TEST(ThresholdChecks, NothingToMeasureLeavesTheRunIncompleteNotPassed) {
  const RunStats none = streamed_calls(0);
  const CheckResult r = judge_one("reply_latency.p95<1200ms", none);
  EXPECT_EQ(r.verdict, Verdict::kSkip);
  EXPECT_TRUE(r.incomplete);
  EXPECT_EQ(r.summary, "cannot be judged: no turns were measured");
  EXPECT_TRUE(judge_one("no_reply_turns.rate<1%", none).incomplete);
  EXPECT_EQ(judge_one("talk_over.max<1s", replies(5, 5, 1s)).summary,
            "cannot be judged: no barge-ins were measured");
  const CheckResult loop = judge_one("ttfa.p95<2s", replies(5, 5, 1s), false);
  EXPECT_TRUE(loop.incomplete);
  EXPECT_EQ(loop.summary, "cannot be judged: --caller loop measures nothing the caller hears");

  Verification v;
  v.total.push_back(r);
  conclude(v, nullptr);
  EXPECT_EQ(v.verdict, "INCOMPLETE");
  v.total.push_back(judge_one("reply_latency.p95<1s", replies(20, 18, 100ms)));
  conclude(v, nullptr);
  EXPECT_EQ(v.verdict, "FAIL");
  EXPECT_EQ(v.verdict_line, "VERDICT: FAIL (reply_latency.p95<1s)");
}

}  // namespace
}  // namespace callsim
