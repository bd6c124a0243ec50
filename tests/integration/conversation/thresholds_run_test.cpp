// --threshold and --slo against callsim-bot, whose answer time is known from its settings: the
// bot pauses 400 ms after the caller's turn, after its speech detector's 600 ms, so every reply
// is heard 1.0-1.3 s after the caller stops.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <string>
#include <vector>

#include "child_process.h"
#include "verdict_run.h"

namespace callsim::test {
namespace {

using ::testing::HasSubstr;

struct Judged {
  VerdictRun run;
  rapidjson::Document doc;
  const rapidjson::Value* threshold(const std::string& expression) const {
    if (!doc.IsObject() || !doc.HasMember("verification")) return nullptr;
    for (const auto& c : doc["verification"]["checks"].GetArray()) {
      if (expression == c["name"].GetString()) return &c;
    }
    return nullptr;
  }
};

Judged judged(const std::vector<std::string>& bot_args,
              const std::vector<std::string>& callsim_args) {
  Judged j;
  j.run = run_callsim_against_bot(bot_args, callsim_args);
  j.doc.Parse(j.run.report.c_str());
  return j;
}

TEST(Thresholds, TheBotsAnswerTimeMeetsAGenerousLimitAndBreachesATightOne) {
  const Judged j = judged({}, {"--concurrent", "10", "--threshold", "reply_latency.p95<3s",
                               "--threshold", "reply_latency.p50<600ms"});
  ASSERT_EQ(j.run.exit_code, 1) << j.run.describe();
  EXPECT_EQ(j.run.verdict_text, "VERDICT: FAIL (reply_latency.p50<600ms)");
  // The cap was kept: the breach alone fails the run.
  for (const auto& name : kAllChecks) EXPECT_NE(j.run.check(name).total, "FAIL") << name;
  const rapidjson::Value* generous = j.threshold("reply_latency.p95<3s");
  const rapidjson::Value* tight = j.threshold("reply_latency.p50<600ms");
  ASSERT_TRUE(generous && tight) << j.run.report;
  EXPECT_STREQ((*generous)["verdict"].GetString(), "PASS");
  EXPECT_STREQ((*tight)["verdict"].GetString(), "FAIL");
  const double p50 = (*tight)["threshold"]["value"].GetDouble();
  EXPECT_GT(p50, 1000.0);
  EXPECT_LT(p50, 1300.0);
  EXPECT_EQ((*tight)["threshold"]["samples"].GetUint64(), 10u);
  EXPECT_STREQ((*tight)["offense"]["what"].GetString(),
               ("reply_latency breaches " + std::string((*tight)["summary"].GetString())).c_str());
  EXPECT_THAT(j.run.callsim_output, HasSubstr("THRESHOLD"));
}

// The same bot meets the voice preset; the same preset against a bot that never speaks is a
// failure on what the callers heard, not a pass for lack of evidence.
TEST(Thresholds, TheVoicePresetPassesTheReferenceBotAndFailsASilentOne) {
  const Judged good = judged({}, {"--concurrent", "10", "--slo", "voice"});
  EXPECT_EQ(good.run.exit_code, 0) << good.run.describe();
  EXPECT_EQ(good.run.verdict, "PASS");
  for (const char* name : {"ttfa.p95<2s", "reply_latency.p95<1500ms", "no_reply_turns.rate<1%",
                           "dead_air.rate<1%", "failed_calls.rate<1%", "ungreeted_calls.rate<1%"}) {
    const rapidjson::Value* t = good.threshold(name);
    ASSERT_TRUE(t) << name;
    EXPECT_STREQ((*t)["verdict"].GetString(), "PASS")
        << name << ": " << (*t)["summary"].GetString();
  }

  const Judged silent =
      judged({"--silent"}, {"--concurrent", "5", "--slo", "voice", "--reply-timeout", "1s"});
  ASSERT_EQ(silent.run.exit_code, 1) << silent.run.describe();
  for (const char* name : {"ttfa.p95<2s", "no_reply_turns.rate<1%", "ungreeted_calls.rate<1%"}) {
    const rapidjson::Value* t = silent.threshold(name);
    ASSERT_TRUE(t) << name;
    EXPECT_STREQ((*t)["verdict"].GetString(), "FAIL") << name;
  }
  // Every turn went unanswered: p95 falls on them.
  EXPECT_TRUE((*silent.threshold("reply_latency.p95<1500ms"))["threshold"]["never"].GetBool());
  // The bot never spoke: no speech time to take a dead-air share of.
  const rapidjson::Value* dead_air = silent.threshold("dead_air.rate<1%");
  EXPECT_STREQ((*dead_air)["verdict"].GetString(), "SKIP");
  EXPECT_STREQ((*dead_air)["summary"].GetString(), "cannot be judged: the bot never spoke");
}

// A caller that only streams its fixture hears nothing: thresholds on what it would have heard
// cannot be judged, and the run is INCOMPLETE, never PASS.
TEST(Thresholds, LoopCallersLeaveWhatTheCallerHeardUnjudged) {
  const Judged j = judged({}, {"--concurrent", "5", "--caller", "loop", "--hold", "2s",
                               "--threshold", "ttfa.p95<2s", "--threshold", "setup.p95<5s"});
  ASSERT_EQ(j.run.exit_code, 5) << j.run.describe();
  EXPECT_EQ(j.run.verdict, "INCOMPLETE");
  EXPECT_THAT(j.run.verdict_text, HasSubstr("ttfa.p95<2s could not be judged"));
  EXPECT_STREQ((*j.threshold("setup.p95<5s"))["verdict"].GetString(), "PASS");
}

// Exit 2 names the expression before any connection is tried (nothing listens at the URL).
TEST(Thresholds, ABadExpressionIsAUsageErrorBeforeAnyCall) {
  const auto usage_error = callsim_usage_error;
  EXPECT_EQ(usage_error({"--threshold", "reply.p95<1s"}).substr(0, 63),
            "callsim: --threshold 'reply.p95<1s': unknown metric 'reply' (kn");
  EXPECT_EQ(usage_error({"--slo", "web"}), "callsim: --slo 'web': unknown preset (known: voice)\n");
  EXPECT_THAT(usage_error({"--threshold", "ttfa.p95<1s", "--threshold", "ttfa.p95<"}),
              HasSubstr("--threshold 'ttfa.p95<': no limit after the comparison"));
}

}  // namespace
}  // namespace callsim::test
