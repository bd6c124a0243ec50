// X-Twilio-Signature as the bot checks it: the URL variants Twilio's validators accept and the
// published vectors of ../shared/twilio-media-streams.md §2.3.
#include "bot/signature_check.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace callsim::bot {
namespace {

using Variants = std::vector<std::string>;

const Parameters kPublishedParams = {{"CallSid", "CA1234567890ABCDE"},
                                     {"Digits", "1234"},
                                     {"From", "+14158675309"},
                                     {"To", "+18005551212"},
                                     {"Caller", "+14158675309"}};

TEST(SignatureUrlVariants, AddTheDefaultPortWhenAbsent) {
  EXPECT_EQ(signature_url_variants("https://mycompany.com/myapp.php?foo=1&bar=2"),
            (Variants{"https://mycompany.com/myapp.php?foo=1&bar=2",
                      "https://mycompany.com:443/myapp.php?foo=1&bar=2"}));
  EXPECT_EQ(
      signature_url_variants("wss://example.com/ws/twilio-media"),
      (Variants{"wss://example.com/ws/twilio-media", "wss://example.com:443/ws/twilio-media"}));
  EXPECT_EQ(signature_url_variants("http://127.0.0.1/webhook/incoming_call"),
            (Variants{"http://127.0.0.1/webhook/incoming_call",
                      "http://127.0.0.1:80/webhook/incoming_call"}));
  EXPECT_EQ(signature_url_variants("ws://[::1]/ws"),
            (Variants{"ws://[::1]/ws", "ws://[::1]:80/ws"}));
  EXPECT_EQ(signature_url_variants("https://h?x=1"),
            (Variants{"https://h?x=1", "https://h:443?x=1"}));
  EXPECT_EQ(signature_url_variants("https://h"), (Variants{"https://h", "https://h:443"}));
}

TEST(SignatureUrlVariants, RemoveTheDefaultPortWhenPresent) {
  EXPECT_EQ(
      signature_url_variants("wss://example.com:443/ws/twilio-media"),
      (Variants{"wss://example.com:443/ws/twilio-media", "wss://example.com/ws/twilio-media"}));
  EXPECT_EQ(signature_url_variants("http://h:80/a?b=c"),
            (Variants{"http://h:80/a?b=c", "http://h/a?b=c"}));
  EXPECT_EQ(signature_url_variants("ws://[::1]:80/ws"),
            (Variants{"ws://[::1]:80/ws", "ws://[::1]/ws"}));
}

TEST(SignatureUrlVariants, KeepOtherPortsAndUnknownSchemesAsTheyAre) {
  EXPECT_EQ(signature_url_variants("http://127.0.0.1:5050/x"),
            (Variants{"http://127.0.0.1:5050/x"}));
  // The other scheme's default port is not this one's.
  EXPECT_EQ(signature_url_variants("wss://h:80/x"), (Variants{"wss://h:80/x"}));
  EXPECT_EQ(signature_url_variants("https://h:4430/x"), (Variants{"https://h:4430/x"}));
  EXPECT_EQ(signature_url_variants("ftp://h/x"), (Variants{"ftp://h/x"}));
  EXPECT_EQ(signature_url_variants("no scheme"), (Variants{"no scheme"}));
  EXPECT_EQ(signature_url_variants("http:///x"), (Variants{"http:///x"}));
}

TEST(SignatureMatches, PublishedWebhookVector) {
  const std::string url = "https://mycompany.com/myapp.php?foo=1&bar=2";
  EXPECT_TRUE(signature_matches("12345", "RSOYDt4T1cUTdK1PDd93/VVr8B8=", url, kPublishedParams));
  // Twilio signed without the port; the request's Host said :443.
  EXPECT_TRUE(signature_matches(
      "12345", "RSOYDt4T1cUTdK1PDd93/VVr8B8=", "https://mycompany.com:443/myapp.php?foo=1&bar=2",
      kPublishedParams));
  EXPECT_FALSE(signature_matches("54321", "RSOYDt4T1cUTdK1PDd93/VVr8B8=", url, kPublishedParams));
  Parameters changed = kPublishedParams;
  changed[1].second = "1235";
  EXPECT_FALSE(signature_matches("12345", "RSOYDt4T1cUTdK1PDd93/VVr8B8=", url, changed));
  EXPECT_FALSE(signature_matches("12345", "RSOYDt4T1cUTdK1PDd93/VVr8B8=",
                                 "https://mycompany.com/myapp.php?foo=1&bar=3", kPublishedParams));
}

TEST(SignatureMatches, PublishedUpgradeVectors) {
  // Signed over the URL without a port; the upgrade's Host said example.com or example.com:443.
  EXPECT_TRUE(signature_matches(
      "12345", "WBxAF43rvp6g9F8Szu06yA8pv+8=", "wss://example.com/ws/twilio-media"));
  EXPECT_TRUE(signature_matches(
      "12345", "WBxAF43rvp6g9F8Szu06yA8pv+8=", "wss://example.com:443/ws/twilio-media"));
  // Signed with the port: accepted whichever way the Host came.
  EXPECT_TRUE(signature_matches(
      "12345", "+mH5bQL0XoC0DI5efLPGGYdJjUQ=", "wss://example.com/ws/twilio-media"));
  EXPECT_TRUE(signature_matches(
      "12345", "+mH5bQL0XoC0DI5efLPGGYdJjUQ=", "wss://example.com:443/ws/twilio-media"));
  // Another port, scheme or path is another URL.
  EXPECT_FALSE(signature_matches(
      "12345", "WBxAF43rvp6g9F8Szu06yA8pv+8=", "wss://example.com:8443/ws/twilio-media"));
  EXPECT_FALSE(signature_matches(
      "12345", "WBxAF43rvp6g9F8Szu06yA8pv+8=", "ws://example.com/ws/twilio-media"));
  EXPECT_FALSE(signature_matches(
      "12345", "WBxAF43rvp6g9F8Szu06yA8pv+8=", "wss://example.com/ws/twilio-media/"));
}

TEST(SignatureMatches, MissingOrMalformedSignaturesFail) {
  const std::string url = "wss://example.com/ws/twilio-media";
  EXPECT_FALSE(signature_matches("12345", "", url));
  EXPECT_FALSE(signature_matches("12345", "WBxAF43rvp6g9F8Szu06yA8pv+8", url));
  EXPECT_FALSE(signature_matches("12345", "WBxAF43rvp6g9F8Szu06yA8pv+8==", url));
  EXPECT_FALSE(signature_matches("12345", "wbxaf43rvp6g9f8szu06ya8pv+8=", url));
  EXPECT_FALSE(signature_matches("12345", std::string(100000, 'A'), url));
}

TEST(SignedUrl, JoinsSchemeHostAndTarget) {
  EXPECT_EQ(signed_url("wss", "example.com", "/ws/twilio-media"),
            "wss://example.com/ws/twilio-media");
  EXPECT_EQ(signed_url("http", "127.0.0.1:5050", "/webhook/incoming_call?x=1"),
            "http://127.0.0.1:5050/webhook/incoming_call?x=1");
}

}  // namespace
}  // namespace callsim::bot
