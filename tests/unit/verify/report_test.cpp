#include "verify/verify_report.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "scenario.h"

namespace callsim {
namespace {

using test::check;
using test::ms;
using test::Scenario;
using test::us;
using ::testing::HasSubstr;

const auto kHold = std::chrono::seconds(20);

// Four bursts against a racy server that over-admits in the third only.
Scenario racy_bursts() {
  Scenario s;
  Nanos offset{0};
  for (int burst = 0; burst < 4; ++burst) {
    if (burst != 2) {
      offset = s.healthy_burst(burst, offset, 60, kHold, ms(0)) + ms(100);
      continue;
    }
    for (int i = 0; i < 60; ++i) {
      if (i < 52) {
        s.admit(burst, offset + us(100 * i), offset + ms(10) + us(100 * i), offset + kHold);
        s.event(offset + ms(9) + us(100 * i), i + 1);
      } else {
        s.reject(burst, offset + us(100 * i), offset + ms(20));
      }
    }
    s.event(offset + kHold + ms(1), 0);
    s.sample(offset + kHold + ms(20), 0);
    offset += kHold + ms(200);
  }
  return s;
}

TEST(Bursts, ResultsPerBurstAndFoldedTotals) {
  Scenario s = racy_bursts();
  Verification v = s.run();
  ASSERT_EQ(v.bursts.size(), 4u);
  const CheckResult& r = check(v, "admitted_within_cap");
  EXPECT_EQ(r.verdict, Verdict::kFail);
  EXPECT_EQ(r.value("bursts_failed"), 1);
  EXPECT_EQ(r.value("bursts"), 4);
  EXPECT_EQ(r.value("max_admitted_live"), 52);
  EXPECT_EQ(r.value("admitted"), 50 * 3 + 52);
  EXPECT_EQ(r.offense->burst, 2);
  EXPECT_THAT(r.summary, HasSubstr("1 of 4 bursts failed; first burst 3: 52 calls admitted"));
  const CheckResult& full = check(v, "full_admission");
  EXPECT_EQ(full.value("min_admitted"), 50);
  EXPECT_EQ(full.value("max_admitted"), 52);
  const CheckResult& gauge = check(v, "gauge_within_cap");
  EXPECT_EQ(gauge.verdict, Verdict::kFail);
  // Three healthy bursts warned about their back-off excursions.
  EXPECT_EQ(gauge.warnings.size(), 3u);
  EXPECT_THAT(gauge.warnings[0], HasSubstr("burst 1: the gauge went over the cap"));
  EXPECT_EQ(check(v, "no_leak").verdict, Verdict::kPass);
  EXPECT_EQ(check(v, "no_leak").value("bursts_passed"), 4);
}

TEST(Report, TextTableShowsVerdictsStripOffenceAndWarnings) {
  Scenario s = racy_bursts();
  Verification v = s.run();
  std::string text = render_verification_text(v);
  EXPECT_THAT(text, HasSubstr("Cap verification: cap 50, 4 bursts; gauge: exact MONITOR trace"));
  EXPECT_THAT(text, HasSubstr("CHECK                 RESULT  DETAIL\n"));
  EXPECT_THAT(text, HasSubstr("admitted_within_cap   FAIL    1 of 4 bursts failed"));
  EXPECT_THAT(text, HasSubstr("per burst: ..F.\n"));
  EXPECT_THAT(text, HasSubstr("first offence at +40.304800s (burst 3): 51 calls admitted at once"));
  EXPECT_THAT(text, HasSubstr("calls: " + s.calls[170].ids.call_sid + ", "));
  EXPECT_THAT(text, HasSubstr("(+31 more)"));
  EXPECT_THAT(text, HasSubstr("warning: burst 1: the gauge went over the cap 10 time(s)"));
  EXPECT_THAT(text, HasSubstr("no_leak               PASS    slowest return to baseline"));
  // The racy server's gauge did count its 52 calls: consistent, just over the cap.
  EXPECT_THAT(text, HasSubstr("gauge_consistent      PASS"));
  EXPECT_THAT(text, HasSubstr("VERDICT: FAIL (admitted_within_cap, full_admission, "
                              "gauge_within_cap)\n"));

  Scenario healthy;
  healthy.healthy_burst(0, ms(0), 60, kHold, ms(0));
  std::string pass = render_verification_text(healthy.run());
  EXPECT_THAT(pass, HasSubstr("cap 50, 1 burst;"));
  EXPECT_THAT(pass, HasSubstr("full_admission        PASS    50 of 60 arrivals admitted"));
  EXPECT_THAT(pass, ::testing::Not(HasSubstr("per burst")));
  EXPECT_THAT(pass, HasSubstr("VERDICT: PASS\n"));
}

TEST(Report, JsonHoldsEveryCheckWithMetricsOffenceAndPerBurstResults) {
  Scenario s = racy_bursts();
  Verification v = s.run();
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  write_verification_json(w, v);
  rapidjson::Document doc;
  doc.Parse(buffer.GetString());
  ASSERT_FALSE(doc.HasParseError());
  EXPECT_STREQ(doc["verdict"].GetString(), "FAIL");
  EXPECT_EQ(doc["cap"].GetInt(), 50);
  EXPECT_EQ(doc["bursts"].GetInt(), 4);
  const auto& checks = doc["checks"];
  ASSERT_EQ(checks.Size(), kCheckNames.size());
  const auto& first = checks[0];
  EXPECT_STREQ(first["name"].GetString(), "admitted_within_cap");
  EXPECT_STREQ(first["verdict"].GetString(), "FAIL");
  EXPECT_EQ(first["metrics"]["max_admitted_live"].GetInt(), 52);
  EXPECT_EQ(first["offense"]["burst"].GetInt(), 3);
  EXPECT_DOUBLE_EQ(first["offense"]["t_ms"].GetDouble(), 40304.8);
  EXPECT_EQ(first["offense"]["call_sids"].Size(), 20u);
  EXPECT_EQ(first["offense"]["more_sids"].GetInt(), 31);
  ASSERT_EQ(first["per_burst"].Size(), 4u);
  EXPECT_STREQ(first["per_burst"][0]["verdict"].GetString(), "PASS");
  EXPECT_TRUE(first["per_burst"][0]["offense"].IsNull());
  EXPECT_EQ(first["per_burst"][2]["burst"].GetInt(), 3);
  EXPECT_STREQ(first["per_burst"][2]["verdict"].GetString(), "FAIL");
  EXPECT_EQ(checks[3]["warnings"].Size(), 3u);
}

TEST(Report, AdmittedLiveSeriesAndTimelineTable) {
  Scenario s;
  s.admit(0, ms(0), ms(10), ms(30));
  s.admit(0, ms(0), ms(20), ms(40));
  s.event(ms(9), 1);
  s.event(ms(19), 2);
  s.event(ms(31), 1);
  s.event(ms(41), 0);
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  write_admitted_live_json(w, s.calls, s.t0);
  EXPECT_STREQ(buffer.GetString(), "[[10.0,1],[20.0,2],[30.0,1],[40.0,0]]");

  std::string table = render_gauge_timeline_text(s.calls, &s.trace, s.t0, 4);
  EXPECT_EQ(table,
            "        time  admitted live  gauge (traced)\n"
            "  +0.000000s              1  1\n"
            "  +0.010250s              2  1..2\n"
            "  +0.020500s              2  2\n"
            "  +0.030750s              1  0..2\n");
}

}  // namespace
}  // namespace callsim

namespace callsim {
namespace {

TEST(Report, JsonMetricsAreMillisecondsAndANeverSettledGaugeIsNullWithItsReason) {
  Verification v;
  v.cap = 50;
  CheckResult leak;
  leak.name = "no_leak";
  leak.verdict = Verdict::kFail;
  leak.set("settle_us", -1);  // how the check says "never settled"
  leak.set("settle_limit_us", 10'000'000);
  leak.set("leaked", 2);
  v.total.push_back(leak);
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  write_verification_json(w, v);
  rapidjson::Document doc;
  doc.Parse(buffer.GetString());
  ASSERT_FALSE(doc.HasParseError());
  const auto& check = doc["checks"][0];
  EXPECT_TRUE(check["metrics"]["settle_ms"].IsNull());
  EXPECT_FALSE(check["metrics"].HasMember("settle_us"));
  EXPECT_DOUBLE_EQ(check["metrics"]["settle_limit_ms"].GetDouble(), 10000.0);
  EXPECT_EQ(check["metrics"]["leaked"].GetInt(), 2);
  EXPECT_STREQ(check["null_reasons"]["settle_ms"].GetString(),
               "the gauge never returned to its baseline");
}

}  // namespace
}  // namespace callsim
