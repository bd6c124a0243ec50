#include "core/twilio_signature.h"

#include <gtest/gtest.h>

namespace callsim {
namespace {

// Fact sheet §2.3.
TEST(TwilioSignature, TwilioPythonWebhookVector) {
  const Parameters params = {{"CallSid", "CA1234567890ABCDE"},
                             {"Digits", "1234"},
                             {"From", "+14158675309"},
                             {"To", "+18005551212"},
                             {"Caller", "+14158675309"}};
  EXPECT_EQ(twilio_signature("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", params),
            "RSOYDt4T1cUTdK1PDd93/VVr8B8=");
}

TEST(TwilioSignature, WebSocketUpgradeVectors) {
  EXPECT_EQ(twilio_signature("12345", "wss://example.com/ws/twilio-media"),
            "WBxAF43rvp6g9F8Szu06yA8pv+8=");
  EXPECT_EQ(twilio_signature("12345", "wss://example.com:443/ws/twilio-media"),
            "+mH5bQL0XoC0DI5efLPGGYdJjUQ=");
}

TEST(TwilioSignature, ParameterOrderDoesNotMatter) {
  const Parameters sorted = {{"A", "1"}, {"B", "2"}, {"C", "3"}};
  const Parameters shuffled = {{"C", "3"}, {"A", "1"}, {"B", "2"}};
  EXPECT_EQ(twilio_signature("t", "https://x/", sorted),
            twilio_signature("t", "https://x/", shuffled));
  // The data is the URL followed by name+value pairs, no separators.
  EXPECT_EQ(twilio_signature("t", "https://x/", sorted), twilio_signature("t", "https://x/A1B2C3"));
}

TEST(TwilioSignature, RepeatedNamesAreOrderedByValue) {
  // As twilio-python's validator does: sorted(values) for each name.
  const Parameters repeated = {{"b", "z"}, {"a", "2"}, {"a", "10"}, {"a", "1"}};
  EXPECT_EQ(twilio_signature("t", "u", repeated), twilio_signature("t", "ua1a10a2bz"));
}

TEST(TwilioSignature, TokenAndUrlBothMatter) {
  const std::string base = twilio_signature("12345", "wss://example.com/ws/twilio-media");
  EXPECT_EQ(base.size(), 28u);
  EXPECT_NE(twilio_signature("12346", "wss://example.com/ws/twilio-media"), base);
  EXPECT_NE(twilio_signature("12345", "wss://example.com/ws/twilio-media/"), base);
  EXPECT_EQ(twilio_signature("", "x").size(), 28u);
}

}  // namespace
}  // namespace callsim
