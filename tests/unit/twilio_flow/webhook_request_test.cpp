#include "core/webhook_request.h"

#include <set>

#include <gtest/gtest.h>

#include "core/errors.h"
#include "core/twilio_signature.h"

namespace callsim {
namespace {

using namespace std::chrono_literals;

const StreamIdentity kIds{"AC0123456789abcdef0123456789abcdef",
                          "CAfedcba9876543210fedcba9876543210",
                          "MZ00000000000000000000000000000000"};
const CallParties kParties{"+14155550100", "+18005551212"};

const char* header(const WebhookRequest& post, const std::string& name) {
  for (const auto& [key, value] : post.headers) {
    if (key == name) return value.c_str();
  }
  return nullptr;
}

// Twilio's published example (twilio-python's validator test, fact sheet §2.3), built the way
// callsim builds every webhook request.
TEST(WebhookRequest, ReproducesTwiliosPublishedSignatureExample) {
  const Parameters params = {{"CallSid", "CA1234567890ABCDE"},
                             {"Digits", "1234"},
                             {"From", "+14158675309"},
                             {"To", "+18005551212"},
                             {"Caller", "+14158675309"}};
  const WebhookRequest post =
      build_webhook_request(HttpMethod::kPost, "https://mycompany.com/myapp.php?foo=1&bar=2",
                            params, "12345", "CA1234567890ABCDE-0");
  EXPECT_EQ(post.url, "https://mycompany.com/myapp.php?foo=1&bar=2");
  EXPECT_EQ(post.body,
            "CallSid=CA1234567890ABCDE&Digits=1234&From=%2B14158675309&To=%2B18005551212"
            "&Caller=%2B14158675309");
  const Parameters expected_headers = {
      {"Content-Type", "application/x-www-form-urlencoded"},
      {"User-Agent", "TwilioProxy/1.1"},
      {"I-Twilio-Idempotency-Token", "CA1234567890ABCDE-0"},
      {"X-Twilio-Signature", "RSOYDt4T1cUTdK1PDd93/VVr8B8="},
  };
  EXPECT_EQ(post.headers, expected_headers);
}

TEST(WebhookRequest, UnsignedWithoutAnAuthToken) {
  const WebhookRequest post =
      build_webhook_request(HttpMethod::kPost, "http://127.0.0.1/x", {{"A", "1"}}, "", "t");
  EXPECT_EQ(header(post, "X-Twilio-Signature"), nullptr);
  EXPECT_EQ(post.headers.size(), 3u);
  EXPECT_EQ(post.body, "A=1");
}

// method="GET": the fields travel in the query and the signature covers that whole URL alone.
TEST(WebhookRequest, GetCarriesTheFieldsInTheQueryAndSignsTheWholeUrl) {
  const Parameters params = {{"CallSid", "CA1"}, {"From", "+1415 555"}};
  WebhookRequest get = build_webhook_request(
      HttpMethod::kGet, "https://mycompany.com/myapp.php?foo=1&bar=2", params, "12345", "t");
  EXPECT_EQ(get.method, HttpMethod::kGet);
  EXPECT_EQ(get.url, "https://mycompany.com/myapp.php?foo=1&bar=2&CallSid=CA1&From=%2B1415%20555");
  EXPECT_EQ(get.body, "");
  EXPECT_EQ(header(get, "Content-Type"), nullptr);
  EXPECT_EQ(std::string(header(get, "X-Twilio-Signature")), twilio_signature("12345", get.url));
  get = build_webhook_request(HttpMethod::kGet, "http://h/cb", params, "", "t");
  EXPECT_EQ(get.url, "http://h/cb?CallSid=CA1&From=%2B1415%20555");
  EXPECT_EQ(header(get, "X-Twilio-Signature"), nullptr);
}

TEST(WebhookRequest, TwimlMethodsAreGetOrPostInAnyCase) {
  EXPECT_EQ(parse_http_method(""), HttpMethod::kPost);
  EXPECT_EQ(parse_http_method("post"), HttpMethod::kPost);
  EXPECT_EQ(parse_http_method("GET"), HttpMethod::kGet);
  EXPECT_EQ(parse_http_method("Get"), HttpMethod::kGet);
  EXPECT_EQ(parse_http_method("PUT"), std::nullopt);
  EXPECT_EQ(parse_http_method("GETS"), std::nullopt);
}

TEST(WebhookRequest, VoiceWebhookCarriesTwiliosFieldsInNameOrder) {
  const Parameters params = voice_webhook_params(kIds, kParties);
  const Parameters expected = {
      {"AccountSid", kIds.account_sid},
      {"ApiVersion", "2010-04-01"},
      {"CallSid", kIds.call_sid},
      {"CallStatus", "ringing"},
      {"Called", "+18005551212"},
      {"CalledCity", ""},
      {"CalledCountry", "US"},
      {"CalledState", ""},
      {"CalledZip", ""},
      {"Caller", "+14155550100"},
      {"CallerCity", ""},
      {"CallerCountry", "US"},
      {"CallerState", ""},
      {"CallerZip", ""},
      {"Direction", "inbound"},
      {"From", "+14155550100"},
      {"FromCity", ""},
      {"FromCountry", "US"},
      {"FromState", ""},
      {"FromZip", ""},
      {"To", "+18005551212"},
      {"ToCity", ""},
      {"ToCountry", "US"},
      {"ToState", ""},
      {"ToZip", ""},
  };
  EXPECT_EQ(params, expected);

  const std::string url = "https://bot.example.com/webhook/incoming_call";
  const WebhookRequest post = build_webhook_request(HttpMethod::kPost, url, params, "12345",
                                                    idempotency_token(kIds.call_sid, 0));
  EXPECT_EQ(post.body,
            "AccountSid=AC0123456789abcdef0123456789abcdef&ApiVersion=2010-04-01"
            "&CallSid=CAfedcba9876543210fedcba9876543210&CallStatus=ringing"
            "&Called=%2B18005551212&CalledCity=&CalledCountry=US&CalledState=&CalledZip="
            "&Caller=%2B14155550100&CallerCity=&CallerCountry=US&CallerState=&CallerZip="
            "&Direction=inbound&From=%2B14155550100&FromCity=&FromCountry=US&FromState=&FromZip="
            "&To=%2B18005551212&ToCity=&ToCountry=US&ToState=&ToZip=");
  // Computed independently (Python hmac over the URL and the sorted name+value pairs).
  EXPECT_STREQ(header(post, "X-Twilio-Signature"), "jPFYCheGwLAV5ilXehpth8NeeWg=");
  EXPECT_STREQ(header(post, "I-Twilio-Idempotency-Token"), "CAfedcba9876543210fedcba9876543210-0");
}

TEST(WebhookRequest, StatusCallbackReportsTheCompletedCall) {
  CallCompletion completion;
  completion.duration = 61s + 900ms;  // whole seconds, rounded down: 61; billed minutes: 2
  completion.ended_at = std::chrono::system_clock::from_time_t(1521971599);
  completion.sequence_number = 0;
  const Parameters params = status_callback_params(kIds, kParties, completion);

  std::vector<std::string> names;
  for (const auto& entry : params) names.push_back(entry.first);
  const std::vector<std::string> expected_names = {"AccountSid",    "ApiVersion",
                                                   "CallDuration",  "CallSid",
                                                   "CallStatus",    "CallbackSource",
                                                   "Called",        "CalledCity",
                                                   "CalledCountry", "CalledState",
                                                   "CalledZip",     "Caller",
                                                   "CallerCity",    "CallerCountry",
                                                   "CallerState",   "CallerZip",
                                                   "Direction",     "Duration",
                                                   "From",          "FromCity",
                                                   "FromCountry",   "FromState",
                                                   "FromZip",       "SequenceNumber",
                                                   "Timestamp",     "To",
                                                   "ToCity",        "ToCountry",
                                                   "ToState",       "ToZip"};
  EXPECT_EQ(names, expected_names);

  const WebhookRequest post =
      build_webhook_request(HttpMethod::kPost, "https://bot.example.com/webhook/status", params,
                            "12345", idempotency_token(kIds.call_sid, 1));
  EXPECT_NE(post.body.find("&CallDuration=61&"), std::string::npos) << post.body;
  EXPECT_NE(post.body.find("&CallStatus=completed&CallbackSource=call-progress-events&"),
            std::string::npos)
      << post.body;
  EXPECT_NE(post.body.find("&Duration=2&"), std::string::npos) << post.body;
  EXPECT_NE(post.body.find("&SequenceNumber=0&Timestamp=Sun%2C%2025%20Mar%202018%2009%3A53%3A19"
                           "%20%2B0000&"),
            std::string::npos)
      << post.body;
  EXPECT_STREQ(header(post, "X-Twilio-Signature"), "UTuDFqBgJrR+nH+DoADaZX3UEy0=");
}

TEST(WebhookRequest, BilledMinutesRoundUpAndZeroStaysZero) {
  auto field = [](Nanos duration, const char* name) {
    CallCompletion completion;
    completion.duration = duration;
    for (const auto& [key, value] : status_callback_params(kIds, kParties, completion)) {
      if (key == name) return value;
    }
    return std::string("missing");
  };
  EXPECT_EQ(field(0s, "Duration"), "0");
  EXPECT_EQ(field(0s, "CallDuration"), "0");
  EXPECT_EQ(field(999ms, "CallDuration"), "0");
  EXPECT_EQ(field(1s, "Duration"), "1");
  EXPECT_EQ(field(60s, "Duration"), "1");
  EXPECT_EQ(field(60s + 1s, "Duration"), "2");
  EXPECT_EQ(field(-5s, "CallDuration"), "0");
}

// The status callback of a call whose webhook answered `twiml`, ended `held` after answering.
Parameters status_fields_for(const std::string& twiml, Nanos held) {
  const TwimlDecision decision = parse_twiml(twiml, "https://bot.example.com/webhook/call");
  CallCompletion completion;
  completion.call_status = final_call_status(decision);
  completion.duration = held;
  return status_callback_params(kIds, kParties, completion);
}

std::string field_of(const Parameters& params, const std::string& name) {
  for (const auto& [key, value] : params) {
    if (key == name) return value;
  }
  return "missing";
}

// A <Reject> never answers the call, so it must not end "completed": a server that releases a
// slot on every completed callback would release one it never took (issue 11, item 5).
TEST(WebhookRequest, RejectBusyEndsBusyWithoutADuration) {
  const Parameters params =
      status_fields_for(R"(<?xml version="1.0"?><Response><Reject reason="busy"/></Response>)", 0s);
  EXPECT_EQ(field_of(params, "CallStatus"), "busy");
  EXPECT_EQ(field_of(params, "CallDuration"), "missing");
  EXPECT_EQ(field_of(params, "Duration"), "missing");
  EXPECT_EQ(field_of(params, "CallbackSource"), "call-progress-events");
}

TEST(WebhookRequest, RejectWithoutReasonEndsNoAnswer) {
  for (const char* twiml :
       {"<Response><Reject/></Response>", R"(<Response><Reject reason="rejected"/></Response>)"}) {
    const Parameters params = status_fields_for(twiml, 0s);
    EXPECT_EQ(field_of(params, "CallStatus"), "no-answer") << twiml;
    EXPECT_EQ(field_of(params, "CallDuration"), "missing") << twiml;
    EXPECT_EQ(field_of(params, "Duration"), "missing") << twiml;
  }
}

// <Say> answers the call before it speaks; <Hangup> then ends an answered call.
TEST(WebhookRequest, SayThenHangupWasAnsweredAndCompletesWithItsDuration) {
  const Parameters params = status_fields_for(
      "<Response><Say>All our lines are busy.</Say><Hangup/></Response>", 3s + 200ms);
  EXPECT_EQ(field_of(params, "CallStatus"), "completed");
  EXPECT_EQ(field_of(params, "CallDuration"), "3");
  EXPECT_EQ(field_of(params, "Duration"), "1");
}

TEST(WebhookRequest, StreamedCallCompletesWithItsDuration) {
  const Parameters params = status_fields_for(
      R"(<Response><Connect><Stream url="wss://bot.example.com/ws"/></Connect></Response>)", 125s);
  EXPECT_EQ(field_of(params, "CallStatus"), "completed");
  EXPECT_EQ(field_of(params, "CallDuration"), "125");
  EXPECT_EQ(field_of(params, "Duration"), "3");
}

TEST(WebhookRequest, FormatsTimestampsAsRfc2822Utc) {
  using std::chrono::system_clock;
  EXPECT_EQ(format_rfc2822_utc(system_clock::from_time_t(0)), "Thu, 01 Jan 1970 00:00:00 +0000");
  EXPECT_EQ(format_rfc2822_utc(system_clock::from_time_t(1709251199)),
            "Thu, 29 Feb 2024 23:59:59 +0000");
  EXPECT_EQ(format_rfc2822_utc(system_clock::from_time_t(1521971599) + 999ms),
            "Sun, 25 Mar 2018 09:53:19 +0000");
}

TEST(WebhookRequest, StreamStatusCallbackCarriesTwiliosFieldsInNameOrder) {
  using std::chrono::system_clock;
  const auto at = system_clock::from_time_t(1521971599) + 42ms;
  EXPECT_EQ(stream_status_params(kIds, "", StreamEvent::kStarted, "", at),
            (Parameters{{"AccountSid", kIds.account_sid},
                        {"CallSid", kIds.call_sid},
                        {"StreamEvent", "stream-started"},
                        {"StreamName", kIds.stream_sid},
                        {"StreamSid", kIds.stream_sid},
                        {"Timestamp", "2018-03-25T09:53:19.042Z"}}));
  EXPECT_EQ(stream_status_params(kIds, "agent", StreamEvent::kError,
                                 "31920 WebSocket - Handshake Error", at),
            (Parameters{{"AccountSid", kIds.account_sid},
                        {"CallSid", kIds.call_sid},
                        {"StreamError", "31920 WebSocket - Handshake Error"},
                        {"StreamEvent", "stream-error"},
                        {"StreamName", "agent"},
                        {"StreamSid", kIds.stream_sid},
                        {"Timestamp", "2018-03-25T09:53:19.042Z"}}));
  EXPECT_STREQ(to_string(StreamEvent::kStopped), "stream-stopped");
}

TEST(WebhookRequest, FormatsIso8601TimestampsWithMilliseconds) {
  using std::chrono::system_clock;
  EXPECT_EQ(format_iso8601_utc(system_clock::from_time_t(0)), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_iso8601_utc(system_clock::from_time_t(1709251199) + 999ms),
            "2024-02-29T23:59:59.999Z");
}

TEST(WebhookRequest, PercentEncodesAllButUnreservedCharacters) {
  EXPECT_EQ(percent_encode("+1 415/é~-._AZaz09"), "%2B1%20415%2F%C3%A9~-._AZaz09");
  EXPECT_EQ(percent_encode("a=b&c"), "a%3Db%26c");
  EXPECT_EQ(percent_encode(std::string("\0\xff", 2)), "%00%FF");
  EXPECT_EQ(percent_encode("client:alice"), "client%3Aalice");
  EXPECT_EQ(form_encode({}), "");
  EXPECT_EQ(form_encode({{"a b", "c+d"}, {"", ""}}), "a%20b=c%2Bd&=");
}

TEST(NumberPool, ListsCycleInOrder) {
  const NumberPool pool = NumberPool::parse("+14155550100, +14155550101,client:alice", "--from");
  EXPECT_EQ(pool.size(), 3u);
  EXPECT_EQ(pool.number_for(0), "+14155550100");
  EXPECT_EQ(pool.number_for(1), "+14155550101");
  EXPECT_EQ(pool.number_for(2), "client:alice");
  EXPECT_EQ(pool.number_for(3), "+14155550100");
}

TEST(NumberPool, PatternsCountUpFromZeroAndWrap) {
  const NumberPool pool = NumberPool::parse("+1415555####", "--from");
  EXPECT_EQ(pool.size(), 10000u);
  EXPECT_EQ(pool.number_for(0), "+14155550000");
  EXPECT_EQ(pool.number_for(7), "+14155550007");
  EXPECT_EQ(pool.number_for(1234), "+14155551234");
  EXPECT_EQ(pool.number_for(9999), "+14155559999");
  EXPECT_EQ(pool.number_for(10000), "+14155550000");
  std::set<std::string> distinct;
  for (uint64_t i = 0; i < 500; ++i) distinct.insert(pool.number_for(i));
  EXPECT_EQ(distinct.size(), 500u);
}

TEST(NumberPool, EntriesMixNumbersAndPatterns) {
  // '#' need not be contiguous: digits fill them most significant first.
  const NumberPool pool = NumberPool::parse("+18005551212,+1#0#", "--to");
  EXPECT_EQ(pool.size(), 101u);
  EXPECT_EQ(pool.number_for(0), "+18005551212");
  EXPECT_EQ(pool.number_for(1), "+1000");
  EXPECT_EQ(pool.number_for(1 + 47), "+1407");
  EXPECT_EQ(pool.number_for(101), "+18005551212");
  EXPECT_EQ(pool.number_for(UINT64_MAX), pool.number_for(UINT64_MAX % 101));
}

TEST(NumberPool, LargestPatternStillCounts) {
  const NumberPool pool = NumberPool::parse("+###############", "--from");
  EXPECT_EQ(pool.size(), 1000000000000000u);
  EXPECT_EQ(pool.number_for(999999999999999u), "+999999999999999");
  EXPECT_EQ(pool.number_for(UINT64_MAX), "+" + std::to_string(UINT64_MAX % 1000000000000000u));
}

TEST(NumberPool, RejectsBadSpecsNamingTheFlag) {
  for (const char* bad : {"", " ", "+1415,", ",+1415", "+1,,+2", "+1 415", "+1\t415",
                          "+14155550\xc3\xa9", "+################"}) {
    try {
      NumberPool::parse(bad, "--from");
      ADD_FAILURE() << "accepted '" << bad << "'";
    } catch (const InputError& e) {
      EXPECT_EQ(std::string(e.what()).rfind("--from '", 0), 0u) << e.what();
    }
  }
}

TEST(NumberPool, RejectsAbsurdlyLongLists) {
  std::string spec = "+1";
  for (int i = 0; i < 10000; ++i) spec += ",+1";
  EXPECT_THROW(NumberPool::parse(spec, "--to"), InputError);
}

TEST(WebhookRequest, GeographyIsCountryOnlyForNorthAmericanNumbers) {
  EXPECT_EQ(geography_of("+14155550100").country, "US");
  EXPECT_EQ(geography_of("+442071838750").country, "");
  EXPECT_EQ(geography_of("client:alice").country, "");
  EXPECT_EQ(geography_of("+14155550100").city, "");
}

}  // namespace
}  // namespace callsim
