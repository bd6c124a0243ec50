#include "core/threshold.h"

#include <gtest/gtest.h>

#include "core/errors.h"
#include "core/options.h"

namespace callsim {
namespace {

using namespace std::chrono_literals;
using Statistic = Threshold::Statistic;
using Op = Threshold::Op;

std::string error_of(const std::string& text) {
  try {
    parse_threshold(text);
  } catch (const InputError& e) {
    return e.what();
  }
  return "(parsed)";
}

TEST(Threshold, ParsesEachFormTheIssueNames) {
  const Threshold reply = parse_threshold("reply_latency.p95<1200ms");
  EXPECT_EQ(reply.metric, "reply_latency");
  EXPECT_EQ(reply.statistic, Statistic::kPercentile);
  EXPECT_EQ(reply.percentile, 95);
  EXPECT_EQ(reply.op, Op::kLess);
  EXPECT_EQ(reply.limit_duration, 1200ms);
  EXPECT_EQ(reply.expression, "reply_latency.p95<1200ms");

  const Threshold ttfa = parse_threshold(" time_to_first_audio . p99.9 <= 2s ");
  EXPECT_EQ(ttfa.metric, "ttfa");  // the alias, canonical in the expression
  EXPECT_DOUBLE_EQ(ttfa.percentile, 99.9);
  EXPECT_EQ(ttfa.op, Op::kLessEqual);
  EXPECT_EQ(ttfa.limit_duration, 2s);
  EXPECT_EQ(ttfa.expression, "ttfa.p99.9<=2s");

  const Threshold rate = parse_threshold("no_reply_turns.rate<1%");
  EXPECT_EQ(rate.statistic, Statistic::kRate);
  EXPECT_DOUBLE_EQ(rate.limit_percent, 1.0);
  EXPECT_DOUBLE_EQ(parse_threshold("dead_air.rate<0.5%").limit_percent, 0.5);

  const Threshold count = parse_threshold("failed_calls.count>=3");
  EXPECT_EQ(count.statistic, Statistic::kCount);
  EXPECT_EQ(count.op, Op::kGreaterEqual);
  EXPECT_EQ(count.limit_count, 3u);
  EXPECT_EQ(parse_threshold("setup.max>0").op, Op::kGreater);
  EXPECT_EQ(parse_threshold("lateness.mean<1ms").statistic, Statistic::kMean);
}

TEST(Threshold, ComparesInTheLimitsUnit) {
  const Threshold below = parse_threshold("reply_latency.p95<1200ms");
  EXPECT_TRUE(below.met_by(1199.999e6));
  EXPECT_FALSE(below.met_by(1200e6));
  EXPECT_TRUE(parse_threshold("reply_latency.p95<=1200ms").met_by(1200e6));
  EXPECT_FALSE(parse_threshold("no_reply_turns.rate<1%").met_by(1.0));
  EXPECT_TRUE(parse_threshold("no_reply_turns.rate<1%").met_by(0.99));
  EXPECT_TRUE(parse_threshold("failed_calls.count>=3").met_by(3));
  EXPECT_FALSE(parse_threshold("failed_calls.count>3").met_by(3));
}

TEST(Threshold, BadExpressionsNameTheFlagTheTextAndTheProblem) {
  EXPECT_EQ(error_of("reply_latency.p95"),
            "--threshold 'reply_latency.p95': expected METRIC.STATISTIC<LIMIT, e.g. "
            "reply_latency.p95<1200ms (also <=, >, >=)");
  EXPECT_EQ(error_of("latency.p95<1s"),
            "--threshold 'latency.p95<1s': unknown metric 'latency' (known: reply_latency, ttfa, "
            "setup, first_message, lateness, dead_air, clear_latency, talk_over, mark_round_trip, "
            "no_reply_turns, failed_calls, rejected_calls, ungreeted_calls, uncleared_barge_ins)");
  EXPECT_EQ(error_of("reply_latency.p0<1s"),
            "--threshold 'reply_latency.p0<1s': unknown statistic 'p0' (expected pN with 0 < N "
            "<= 100, max, min, mean, rate or count)");
  EXPECT_EQ(error_of("reply_latency.p101<1s").find("unknown statistic 'p101'") != std::string::npos,
            true);
  EXPECT_EQ(error_of("reply_latency.rate<1%"),
            "--threshold 'reply_latency.rate<1%': reply_latency is a latency: it takes pN, max, "
            "min or mean, not rate");
  EXPECT_EQ(error_of("failed_calls.p95<1s"),
            "--threshold 'failed_calls.p95<1s': failed_calls is counted: it takes rate or count, "
            "not p95");
  EXPECT_EQ(error_of("no_reply_turns.rate<1"),
            "--threshold 'no_reply_turns.rate<1': a rate's limit is a percentage from 0% to 100%, "
            "e.g. 1% (got '1')");
  EXPECT_EQ(
      error_of("no_reply_turns.rate<101%").find("percentage from 0% to 100%") != std::string::npos,
      true);
  EXPECT_EQ(error_of("failed_calls.count<1.5"),
            "--threshold 'failed_calls.count<1.5': a count's limit is a whole number (got '1.5')");
  EXPECT_EQ(error_of("ttfa.p95<2"),
            "--threshold 'ttfa.p95<2': a latency's limit is a duration: invalid duration '2' "
            "(expected a unit: ns, us, ms, s, m, h)");
  EXPECT_EQ(error_of("ttfa.p95<"), "--threshold 'ttfa.p95<': no limit after the comparison");
  EXPECT_EQ(error_of(".p95<1s"),
            "--threshold '.p95<1s': expected METRIC.STATISTIC before the comparison, e.g. "
            "reply_latency.p95");
}

TEST(Threshold, TheVoicePresetParsesAndAThresholdOnTheSameStatisticReplacesItsDefault) {
  for (const auto& name : slo_preset_names()) {
    for (const auto& text : slo_preset(name)) EXPECT_NO_THROW(parse_threshold(text)) << text;
  }
  Options o;
  o.slo = "voice";
  const size_t preset = thresholds_of(o).size();
  EXPECT_EQ(preset, slo_preset("voice").size());
  o.thresholds = {"reply_latency.p95<800ms", "reply_latency.p99<2s"};
  const auto all = thresholds_of(o);
  ASSERT_EQ(all.size(), preset + 1);  // p95 replaced, p99 added
  size_t p95s = 0;
  for (const auto& t : all) {
    if (t.metric == "reply_latency" && t.statistic_name() == "p95") {
      ++p95s;
      EXPECT_EQ(t.limit_duration, 800ms);
    }
  }
  EXPECT_EQ(p95s, 1u);
  o.slo = "web";
  try {
    thresholds_of(o);
    FAIL() << "an unknown preset was accepted";
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "--slo 'web': unknown preset (known: voice)");
  }
}

}  // namespace
}  // namespace callsim
