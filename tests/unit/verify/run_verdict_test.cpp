// The run's one word and its exit code: every combination of what can go wrong at once, in the
// issue's precedence, and the undecided run that used to PASS.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/exit_codes.h"
#include "scenario.h"
#include "verify/run_verdict.h"

namespace callsim {
namespace {

using test::ms;
using test::Scenario;
using ::testing::HasSubstr;

Verification with_totals(std::initializer_list<std::pair<const char*, Verdict>> totals,
                         bool incomplete_skip = false) {
  Verification v;
  for (const auto& [name, verdict] : totals) {
    CheckResult r;
    r.name = name;
    r.verdict = verdict;
    r.summary = "the gauge went away";
    r.incomplete = verdict == Verdict::kSkip && incomplete_skip;
    v.total.push_back(r);
  }
  Scenario s;
  s.admit(0, ms(0), ms(10), ms(100));
  conclude(v, &s.calls);
  return v;
}

RunDecision decide(const Verification& v, bool invalid, bool interrupted) {
  RunVerdictInput in;
  in.verification = &v;
  in.invalid = invalid;
  in.invalid_reason = "p99 frame send lateness 9.00 ms exceeds --lateness-budget 5.00 ms";
  in.interrupted = interrupted;
  return decide_run_verdict(in);
}

TEST(RunVerdict, EveryCheckJudgedAndPassedIsAPass) {
  Verification v = with_totals({{"no_leak", Verdict::kPass}, {"gauge_consistent", Verdict::kPass}});
  RunDecision d = decide(v, false, false);
  EXPECT_EQ(d.verdict, RunVerdict::kPass);
  EXPECT_EQ(d.exit_code, kExitPass);
  EXPECT_EQ(d.line(), "VERDICT: PASS");
  EXPECT_EQ(v.verdict, "PASS");
}

TEST(RunVerdict, AConfiguredSkipIsNoIncompleteness) {
  // --gauge none: the gauge checks SKIP because the user asked for no gauge.
  Verification v = with_totals({{"no_leak", Verdict::kSkip}, {"full_admission", Verdict::kPass}});
  EXPECT_EQ(decide(v, false, false).verdict, RunVerdict::kPass);
}

TEST(RunVerdict, AnUnjudgedCheckMakesTheRunIncomplete) {
  Verification v =
      with_totals({{"no_leak", Verdict::kSkip}, {"full_admission", Verdict::kPass}}, true);
  RunDecision d = decide(v, false, false);
  EXPECT_EQ(d.verdict, RunVerdict::kIncomplete);
  EXPECT_EQ(d.exit_code, kExitIncomplete);
  EXPECT_EQ(d.exit_code, 5);
  EXPECT_EQ(d.line(), "VERDICT: INCOMPLETE: no_leak could not be judged: the gauge went away");
  EXPECT_EQ(v.verdict, "INCOMPLETE");
}

TEST(RunVerdict, ARealFailureOutranksIncompleteness) {
  Verification v = with_totals({{"no_leak", Verdict::kSkip},
                                {"admitted_within_cap", Verdict::kFail},
                                {"gauge_within_cap", Verdict::kFail}},
                               true);
  RunDecision d = decide(v, false, false);
  EXPECT_EQ(d.verdict, RunVerdict::kFail);
  EXPECT_EQ(d.exit_code, kExitCheckFailed);
  EXPECT_EQ(d.line(), "VERDICT: FAIL (admitted_within_cap, gauge_within_cap)");
}

TEST(RunVerdict, InterruptedOutranksFailure) {
  Verification v = with_totals({{"admitted_within_cap", Verdict::kFail}});
  RunDecision d = decide(v, false, true);
  EXPECT_EQ(d.verdict, RunVerdict::kInterrupted);
  EXPECT_EQ(d.exit_code, kExitInterrupted);
  EXPECT_THAT(d.line(), HasSubstr("VERDICT: INTERRUPTED: "));
}

TEST(RunVerdict, InvalidOutranksEverything) {
  // The old ending printed "VERDICT: PASS" and exited 4 here.
  Verification v = with_totals({{"admitted_within_cap", Verdict::kPass}});
  RunDecision d = decide(v, true, true);
  EXPECT_EQ(d.verdict, RunVerdict::kInvalid);
  EXPECT_EQ(d.exit_code, kExitInvalidRun);
  EXPECT_EQ(d.line(),
            "VERDICT: INVALID: p99 frame send lateness 9.00 ms exceeds --lateness-budget 5.00 ms");
}

TEST(RunVerdict, ARunWithNoDecidedCallIsIncompleteNotAPass) {
  // --duration 1s against a server that never answers the upgrade: every call interrupted.
  Scenario s;
  for (int i = 0; i < 10; ++i) {
    CallRecord& c = s.add(0, ms(i));
    c.ended = s.t0 + ms(1000);
    c.outcome = Outcome::kInterrupted;
  }
  s.event(ms(0), 0, EventOrigin::kSnapshot);
  s.sample(ms(1100), 0);
  Verification v = s.run();
  EXPECT_FALSE(v.failed());
  RunDecision d = decide(v, false, false);
  EXPECT_EQ(d.verdict, RunVerdict::kIncomplete);
  EXPECT_EQ(d.exit_code, 5);
  EXPECT_THAT(d.reason, HasSubstr("no call was decided (10 calls: 10 interrupted"));
  EXPECT_EQ(v.verdict, "INCOMPLETE");
}

}  // namespace
}  // namespace callsim
