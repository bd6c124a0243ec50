// Silent servers at --hold equal to --reject-window (the README's burst example): whether the
// window's end came microseconds before our hang-up must not decide a call's admission time.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/admission_confirmation.h"
#include "scenario.h"

namespace callsim::test {
namespace {

using ::testing::HasSubstr;

constexpr Nanos kWindow = std::chrono::seconds(2);
constexpr Nanos kHold = std::chrono::seconds(2);

using ConfirmationRule = TimePoint (*)(const CallRecord&, TimePoint planned_hang_up, Nanos);

// Before issue 11: the window confirmed any call whose hang-up came after it, by however little.
TimePoint old_confirmation(const CallRecord& call, TimePoint, Nanos window) {
  TimePoint confirmed = call.start_sent + window;
  return confirmed < call.released_at() ? confirmed : TimePoint{};
}

// A start-time server that never speaks admits `admitted` of 60 calls arriving within 6 ms and
// closes the rest 1013 3 ms after their start; we hang up each admitted call at start + hold,
// a few microseconds late as a real timer is.
Scenario silent_burst(int admitted, ConfirmationRule rule) {
  Scenario s;
  s.options.cap = 50;
  int64_t gauge = 0;
  s.event(ms(0), 0, EventOrigin::kSnapshot);
  for (int i = 0; i < 60; ++i) {
    Nanos start = us(100 * i);
    Nanos upgraded = start + ms(5);
    Nanos start_sent = upgraded + us(50);
    if (i < admitted) {
      Nanos planned = start_sent + kHold;
      Nanos hung_up = planned + us(20 + i % 7);
      s.event(start_sent + us(500), ++gauge, EventOrigin::kScript);
      CallRecord& c = s.admit(0, start, upgraded, hung_up + ms(1));
      c.start_sent = s.t0 + start_sent;
      c.hung_up = s.t0 + hung_up;
      c.admission_confirmed = rule(c, s.t0 + planned, kWindow);
    } else {
      s.event(start_sent + us(500), gauge + 1, EventOrigin::kScript);
      s.event(start_sent + us(501), gauge, EventOrigin::kScript);
      CallRecord& c = s.reject(0, start, start_sent + ms(3), RejectKind::kClosedAfterStart);
      c.upgraded = s.t0 + upgraded;
      c.start_sent = s.t0 + start_sent;
      c.hung_up = c.ended;
      c.closed_by_server = true;
      c.close_code = 1013;
      c.admission_confirmed = rule(c, TimePoint{}, kWindow);
    }
  }
  for (const CallRecord& c : s.calls) {
    if (c.admitted()) s.event(c.hung_up - s.t0 + ms(2), --gauge, EventOrigin::kClient);
  }
  s.sample(ms(2200), gauge);
  return s;
}

TEST(SilentWindow, CallsHeldToOurHangUpInsideTheWindowCountFromTheirUpgrade) {
  Scenario s = silent_burst(50, admission_confirmation);
  for (const CallRecord& c : s.calls) EXPECT_EQ(c.admitted_at(), c.upgraded) << c.index;
  Verification v = s.run();
  const CheckResult& r = check(v, "full_admission");
  EXPECT_EQ(r.verdict, Verdict::kPass) << r.summary;
  EXPECT_EQ(r.value("arrived"), 60);
  EXPECT_EQ(r.value("admitted"), 50);
  EXPECT_EQ(check(v, "admitted_within_cap").verdict, Verdict::kPass);
}

TEST(SilentWindow, OldRuleFailedACorrectServer) {
  // The witness that the test above fails on the old behaviour.
  Verification v = silent_burst(50, old_confirmation).run();
  EXPECT_NE(check(v, "full_admission").verdict, Verdict::kPass);
}

TEST(SilentWindow, RacyServerAdmittingOneTooManyFails) {
  Verification v = silent_burst(51, admission_confirmation).run();
  const CheckResult& r = check(v, "full_admission");
  EXPECT_EQ(r.verdict, Verdict::kFail);
  EXPECT_EQ(r.value("arrived"), 60);
  EXPECT_EQ(r.value("admitted"), 51);
  EXPECT_THAT(r.summary, HasSubstr("1 admitted beyond the free slots"));
}

TEST(SilentWindow, WindowStillConfirmsCallsHeldLongerThanIt) {
  CallRecord c;
  c.upgraded = TimePoint(std::chrono::seconds(10));
  c.start_sent = c.upgraded + ms(1);
  c.hung_up = c.start_sent + std::chrono::seconds(5);
  EXPECT_EQ(admission_confirmation(c, c.hung_up, kWindow), c.start_sent + kWindow);
  // The server closed it itself: only our hang-up proves it let the call run.
  c.closed_by_server = true;
  c.hung_up = c.start_sent + kWindow + us(30);
  EXPECT_EQ(admission_confirmation(c, c.start_sent + kWindow, kWindow), c.start_sent + kWindow);
}

}  // namespace
}  // namespace callsim::test
