#include "bot/bot_config.h"

#include <gtest/gtest.h>

#include "bot/form.h"
#include "bot/twiml.h"
#include "core/errors.h"

namespace callsim::bot {
namespace {

using std::chrono::milliseconds;

TEST(BotConfig, DefaultsMatchProSaaS) {
  BotConfig c;
  EXPECT_EQ(c.cap, 50);
  EXPECT_EQ(c.admit_at, AdmitAt::kStart);
  EXPECT_EQ(c.strategy, Strategy::kLua);
  EXPECT_EQ(c.watch_retries, 5);
  EXPECT_EQ(c.admission_threads, 4);
  EXPECT_EQ(c.no_start_timeout, std::chrono::seconds(3));
}

TEST(BotConfig, FaultsParse) {
  BotConfig c;
  apply_fault(c, "leak-on-abrupt-close");
  apply_fault(c, "double-release");
  apply_fault(c, "clamp-reset");
  apply_fault(c, "release-delay=3s");
  apply_fault(c, "idle-release=120s");
  apply_fault(c, "no-start-timeout=250ms");
  EXPECT_TRUE(c.faults.leak_on_abrupt_close);
  EXPECT_TRUE(c.faults.double_release);
  EXPECT_TRUE(c.faults.clamp_reset);
  EXPECT_EQ(c.faults.release_delay, std::chrono::seconds(3));
  EXPECT_EQ(c.faults.idle_release, std::chrono::seconds(120));
  EXPECT_EQ(c.no_start_timeout, milliseconds(250));
}

TEST(BotConfig, BadFaultsNameTheProblem) {
  BotConfig c;
  auto message = [&](const char* spec) {
    try {
      apply_fault(c, spec);
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message("explode").find("unknown --fault 'explode'"), std::string::npos);
  EXPECT_NE(message("release-delay").find("needs a duration"), std::string::npos);
  EXPECT_NE(message("release-delay=").find("needs a duration"), std::string::npos);
  EXPECT_NE(message("idle-release=soon").find("idle-release"), std::string::npos);
  EXPECT_NE(message("double-release=2").find("takes no value"), std::string::npos);
}

TEST(BotConfig, ClampResetNeedsACounter) {
  BotConfig c;
  apply_fault(c, "clamp-reset");
  c.strategy = Strategy::kScardSadd;
  EXPECT_THROW(validate(c), InputError);
  c.strategy = Strategy::kGetIncr;
  EXPECT_NO_THROW(validate(c));
}

TEST(BotConfig, GaugeLagParsesAndNeedsAnExactCounterCopy) {
  BotConfig c;
  apply_fault(c, "gauge-lag=200ms");
  EXPECT_EQ(c.faults.gauge_lag, milliseconds(200));
  EXPECT_NO_THROW(validate(c));
  c.strategy = Strategy::kSetLua;
  EXPECT_THROW(validate(c), InputError);
  c.strategy = Strategy::kWatch;
  apply_fault(c, "clamp-reset");
  EXPECT_THROW(validate(c), InputError);
  BotConfig bad;
  EXPECT_THROW(apply_fault(bad, "gauge-lag"), InputError);
}

TEST(BotConfig, EarlyReleaseParses) {
  BotConfig c;
  apply_fault(c, "early-release=300ms");
  EXPECT_EQ(c.faults.early_release, milliseconds(300));
  EXPECT_THROW(apply_fault(c, "early-release=later"), InputError);
}

TEST(FormData, DecodesTwilioStyleBodies) {
  auto form = FormData::parse("CallSid=CA1&From=%2B14155550100&Caller=John+Doe&&Empty=");
  ASSERT_TRUE(form);
  EXPECT_EQ(form->get("CallSid"), "CA1");
  EXPECT_EQ(form->get("From"), "+14155550100");
  EXPECT_EQ(form->get("Caller"), "John Doe");
  EXPECT_EQ(form->get("Empty"), "");
  EXPECT_FALSE(form->get("To"));
  EXPECT_TRUE(FormData::parse(""));
}

TEST(FormData, RejectsMalformedBodies) {
  EXPECT_FALSE(FormData::parse("CallSid=%ZZ"));
  EXPECT_FALSE(FormData::parse("CallSid=%4"));
  EXPECT_FALSE(FormData::parse("novalue"));
  EXPECT_FALSE(FormData::parse("=value"));
  std::string many;
  for (size_t i = 0; i <= FormData::kMaxFields; ++i) many += "a=b&";
  EXPECT_FALSE(FormData::parse(many));
}

TEST(Twiml, EscapesCallerSuppliedValues) {
  EXPECT_EQ(connect_twiml("ws://h/ws/twilio-media", "http://h/a", "http://h/s?a=1&b=2",
                          {{"CallSid", "CA\"><Hangup/>"}}),
            R"(<?xml version="1.0" encoding="UTF-8"?><Response><Connect action="http://h/a">)"
            R"(<Stream url="ws://h/ws/twilio-media" statusCallback="http://h/s?a=1&amp;b=2">)"
            R"(<Parameter name="CallSid" value="CA&quot;&gt;&lt;Hangup/&gt;"/>)"
            R"(</Stream></Connect></Response>)");
}

}  // namespace
}  // namespace callsim::bot
