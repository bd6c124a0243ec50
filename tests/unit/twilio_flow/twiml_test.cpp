#include "core/twiml.h"

#include <gtest/gtest.h>

namespace callsim {
namespace {

const char* kWebhook = "https://bot.example.com/webhook/incoming_call?tenant=7";

TwimlDecision parse(const std::string& body, const char* url = kWebhook) {
  return parse_twiml(body, url);
}

std::string repeat(const std::string& text, size_t times) {
  std::string out;
  out.reserve(text.size() * times);
  for (size_t i = 0; i < times; ++i) out += text;
  return out;
}

// The admission TwiML of a real service (../shared/real-servers.md).
TEST(Twiml, ConnectStreamWithParameters) {
  const TwimlDecision d = parse(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<Response>\n"
      "  <Connect action=\"https://bot.example.com/webhook/stream_ended\">\n"
      "    <Stream url=\"wss://bot.example.com/ws/twilio-media\">\n"
      "      <Parameter name=\"CallSid\" value=\"CAfedcba9876543210fedcba9876543210\"/>\n"
      "      <Parameter name=\"tenant\" value=\"a&amp;b &lt;c&gt;\"/>\n"
      "      <Parameter name=\"empty\"/>\n"
      "    </Stream>\n"
      "  </Connect>\n"
      "</Response>\n");
  ASSERT_EQ(d.action, TwimlAction::kStream) << d.error;
  EXPECT_EQ(d.stream.url, "wss://bot.example.com/ws/twilio-media");
  const Parameters expected = {
      {"CallSid", "CAfedcba9876543210fedcba9876543210"}, {"tenant", "a&b <c>"}, {"empty", ""}};
  EXPECT_EQ(d.stream.parameters, expected);
  EXPECT_EQ(d.stream.connect_action, "https://bot.example.com/webhook/stream_ended");
  EXPECT_EQ(d.stream.connect_method, HttpMethod::kPost);
  EXPECT_EQ(d.stream.status_callback, "");
  EXPECT_EQ(d.stream.name, "");
  EXPECT_EQ(d.say_text, "");
  EXPECT_EQ(d.error, "");
}

TEST(Twiml, StreamAttributesAndRelativeUrls) {
  const TwimlDecision d = parse(
      "<Response><Say>Connecting you</Say><Connect action=\"stream_ended\" method=\"GET\">"
      "<Stream url=\" /ws/twilio-media \" name=\"leg-1\" statusCallback=\"../events?x=1\" "
      "statusCallbackMethod=\"POST\"/></Connect><Dial>+15550001111</Dial></Response>");
  ASSERT_EQ(d.action, TwimlAction::kStream) << d.error;
  // https document → wss; surrounding whitespace is not part of the URL.
  EXPECT_EQ(d.stream.url, "wss://bot.example.com/ws/twilio-media");
  EXPECT_EQ(d.stream.name, "leg-1");
  EXPECT_EQ(d.stream.status_callback, "https://bot.example.com/events?x=1");
  EXPECT_EQ(d.stream.status_callback_method, HttpMethod::kPost);
  EXPECT_EQ(d.stream.connect_action, "https://bot.example.com/webhook/stream_ended");
  EXPECT_EQ(d.stream.connect_method, HttpMethod::kGet);
  EXPECT_EQ(d.say_text, "Connecting you");  // the <Dial> after the stream is never reached
}

TEST(Twiml, RelativeStreamUrlOnAPlainHttpWebhookIsWs) {
  const TwimlDecision d = parse("<Response><Connect><Stream url=\"/ws\"/></Connect></Response>",
                                "http://127.0.0.1:5050/webhook/incoming_call");
  ASSERT_EQ(d.action, TwimlAction::kStream) << d.error;
  EXPECT_EQ(d.stream.url, "ws://127.0.0.1:5050/ws");
}

TEST(Twiml, AbsoluteUrlsAreKeptExactlyAsWritten) {
  // Servers validate the upgrade's signature over the URL as written in the TwiML.
  const TwimlDecision d = parse(
      "<Response><Connect><Stream url=\"WSS://Bot.Example.com:443/a/../ws\"/></Connect>"
      "</Response>");
  ASSERT_EQ(d.action, TwimlAction::kStream) << d.error;
  EXPECT_EQ(d.stream.url, "WSS://Bot.Example.com:443/a/../ws");
}

TEST(Twiml, SayThenHangupIsARejectionWithTheText) {
  const TwimlDecision d = parse(
      "<Response><Say voice=\"alice\">  All lines are\n busy.  </Say>"
      "<Say><prosody rate=\"slow\">Please</prosody> <![CDATA[call later]]>.</Say>"
      "<Hangup/><Connect><Stream url=\"wss://x/ws\"/></Connect></Response>");
  ASSERT_EQ(d.action, TwimlAction::kRejected) << d.error;
  EXPECT_EQ(d.ending_verb, EndingVerb::kHangup);
  EXPECT_EQ(d.say_text, "All lines are busy. Please call later.");
  EXPECT_EQ(d.reject_reason, "");
}

TEST(Twiml, RejectRecordsItsReason) {
  TwimlDecision d = parse("<Response><Reject reason=\"busy\"/></Response>");
  ASSERT_EQ(d.action, TwimlAction::kRejected);
  EXPECT_EQ(d.ending_verb, EndingVerb::kReject);
  EXPECT_EQ(d.reject_reason, "busy");
  d = parse("<Response><Reject/></Response>");
  EXPECT_EQ(d.ending_verb, EndingVerb::kReject);
  EXPECT_EQ(d.reject_reason, "rejected");
}

TEST(Twiml, VerbsRunningOutEndTheCall) {
  struct Case {
    const char* body;
    EndingVerb verb;
    const char* say;
  };
  const Case cases[] = {
      {"<Response><Say>busy</Say></Response>", EndingVerb::kSay, "busy"},
      {"<Response><Say>hold on</Say><Play>https://x/busy.mp3</Play></Response>", EndingVerb::kPlay,
       "hold on"},
      {"<Response><Play>https://x/a.mp3</Play><Pause length=\"2\"/></Response>", EndingVerb::kPause,
       ""},
      {"<Response/>", EndingVerb::kNone, ""},
      {"<?xml version=\"1.0\"?><Response>\n</Response>", EndingVerb::kNone, ""},
  };
  for (const Case& c : cases) {
    const TwimlDecision d = parse(c.body);
    EXPECT_EQ(d.action, TwimlAction::kRejected) << c.body << ": " << d.error;
    EXPECT_EQ(d.ending_verb, c.verb) << c.body;
    EXPECT_EQ(d.say_text, c.say) << c.body;
  }
}

TEST(Twiml, RedirectResolvesItsUrl) {
  TwimlDecision d = parse(
      "<Response><Say>one moment</Say><Redirect method=\"POST\">\n"
      "  /webhook/overflow?attempt=2\n</Redirect><Hangup/></Response>");
  ASSERT_EQ(d.action, TwimlAction::kRedirect) << d.error;
  EXPECT_EQ(d.redirect_url, "https://bot.example.com/webhook/overflow?attempt=2");
  EXPECT_EQ(d.redirect_method, HttpMethod::kPost);
  EXPECT_EQ(d.say_text, "one moment");

  d = parse("<Response><Redirect method=\"get\">http://other.example/twiml</Redirect></Response>");
  ASSERT_EQ(d.action, TwimlAction::kRedirect) << d.error;
  EXPECT_EQ(d.redirect_url, "http://other.example/twiml");
  EXPECT_EQ(d.redirect_method, HttpMethod::kGet);
}

struct ErrorCase {
  std::string body;
  std::string error;
};

void expect_errors(const std::vector<ErrorCase>& cases, const char* url = kWebhook) {
  for (const ErrorCase& c : cases) {
    const TwimlDecision d = parse(c.body, url);
    EXPECT_EQ(d.action, TwimlAction::kProtocolError) << c.body.substr(0, 200);
    EXPECT_EQ(d.error, c.error) << c.body.substr(0, 200);
    EXPECT_EQ(d.error.find('\n'), std::string::npos);
  }
}

TEST(Twiml, UnusableInstructionsAreProtocolErrors) {
  expect_errors({
      {"<Response><Redirect>  </Redirect></Response>", "<Redirect> has no URL"},
      {"<Response><Redirect>ftp://x/y</Redirect></Response>",
       "<Redirect> 'ftp://x/y' cannot be used: scheme 'ftp' is not one of http, https"},
      {"<Response><Connect/></Response>", "<Connect> is empty: no <Stream>"},
      {"<Response><Connect><Room>r</Room></Connect></Response>",
       "<Connect> holds <Room>, not <Stream>"},
      {"<Response><Connect><Stream/></Connect></Response>", "<Stream> has no url"},
      {"<Response><Connect><Stream url=\"https://x/ws\"/></Connect></Response>",
       "<Stream url> 'https://x/ws' cannot be used: scheme 'https' is not one of ws, wss"},
      {"<Response><Connect><Stream url=\"wss://x/a b\"/></Connect></Response>",
       "<Stream url> 'wss://x/a b' cannot be used: it contains whitespace or control "
       "characters"},
      {"<Response><Connect action=\"mailto:a@b\"><Stream url=\"wss://x/\"/></Connect>"
       "</Response>",
       "<Connect action> 'mailto:a@b' cannot be used: scheme 'mailto' is not one of http, "
       "https"},
      {"<Response><Connect><Stream url=\"wss://x/\" statusCallback=\"ws://x/cb\"/></Connect>"
       "</Response>",
       "<Stream statusCallback> 'ws://x/cb' cannot be used: scheme 'ws' is not one of http, "
       "https"},
      {"<Response><Connect><Stream url=\"wss://x/\"><Parameter value=\"v\"/></Stream>"
       "</Connect></Response>",
       "<Parameter> without a name"},
      {"<Response><Redirect method=\"PUT\">/x</Redirect></Response>",
       "<Redirect method> 'PUT' is neither GET nor POST"},
      {"<Response><Connect method=\"DELETE\"><Stream url=\"wss://x/\"/></Connect></Response>",
       "<Connect method> 'DELETE' is neither GET nor POST"},
      {"<Response><Connect><Stream url=\"wss://x/\" statusCallbackMethod=\"PATCH\"/>"
       "</Connect></Response>",
       "<Stream statusCallbackMethod> 'PATCH' is neither GET nor POST"},
      {"<Response><Gather><Say>press 1</Say></Gather></Response>",
       "unsupported verb <Gather> (callsim follows Say, Play, Pause, Connect/Stream, Redirect, "
       "Reject and Hangup)"},
      {"<Response><Say>hi</Say><Dial>+15550001111</Dial><Connect><Stream url=\"wss://x/\"/>"
       "</Connect></Response>",
       "unsupported verb <Dial> (callsim follows Say, Play, Pause, Connect/Stream, Redirect, "
       "Reject and Hangup)"},
  });
  // A relative URL needs an absolute webhook URL to resolve against.
  expect_errors({{"<Response><Connect><Stream url=\"/ws\"/></Connect></Response>",
                  "<Stream url> '/ws' is relative and the webhook URL 'webhook' is not "
                  "absolute"}},
                "webhook");
}

TEST(Twiml, ProtocolErrorClearsPartialStream) {
  const TwimlDecision d = parse(
      "<Response><Connect><Stream url=\"wss://x/\"><Parameter name=\"a\" value=\"1\"/>"
      "<Parameter value=\"v\"/></Stream></Connect></Response>");
  EXPECT_EQ(d.action, TwimlAction::kProtocolError);
  EXPECT_EQ(d.stream.url, "");
  EXPECT_TRUE(d.stream.parameters.empty());
}

TEST(Twiml, DocumentsThatAreNotTwimlAreProtocolErrors) {
  expect_errors({
      {"", "TwiML is empty"},
      {" \r\n\t", "TwiML is empty"},
      {"<response><Hangup/></response>", "TwiML root is <response>, not <Response>"},
      {"<html><body>Internal Server Error</body></html>", "TwiML root is <html>, not <Response>"},
      {"<Response/><Response/>", "TwiML has more than one root element"},
  });
  for (const char* broken : {"OK", "{\"status\":\"ok\"}", "<Response><Say>hi</Response>",
                             "<Response", "<!-- nothing --><?pi x?>", "<a><b></a></b>"}) {
    const TwimlDecision d = parse(broken);
    EXPECT_EQ(d.action, TwimlAction::kProtocolError) << broken;
    EXPECT_EQ(d.error.rfind("TwiML is not well-formed XML: ", 0), 0u) << broken << " → " << d.error;
  }
}

TEST(Twiml, HostileNamesAreQuotedOnOneBoundedLine) {
  const std::string long_name(500, 'X');
  const TwimlDecision d = parse("<Response><" + long_name + "/></Response>");
  ASSERT_EQ(d.action, TwimlAction::kProtocolError);
  EXPECT_EQ(d.error.find(std::string(121, 'X')), std::string::npos);
  EXPECT_NE(d.error.find(std::string(120, 'X') + "..."), std::string::npos);
}

// --- hostile documents: refused by a fixed bound, never by exhausting something ---

TEST(TwimlBomb, HugeDocumentIsRefusedBeforeParsing) {
  const std::string huge =
      "<Response><Say>" + std::string(10 * 1024 * 1024, 'a') + "</Say></Response>";
  const TwimlDecision d = parse(huge);
  EXPECT_EQ(d.action, TwimlAction::kProtocolError);
  EXPECT_EQ(d.error, "TwiML is 10485792 bytes, over the limit of 65536");
}

TEST(TwimlBomb, DeepNestingIsRefused) {
  // 9000 levels in under 64 KiB.
  const std::string deep =
      "<Response>" + repeat("<a>", 9000) + repeat("</a>", 9000) + "</Response>";
  ASSERT_LT(deep.size(), 64u * 1024);
  TwimlDecision d = parse(deep);
  EXPECT_EQ(d.action, TwimlAction::kProtocolError);
  EXPECT_EQ(d.error, "TwiML nests elements deeper than 32");

  // Never closed: not well-formed, and still no deeper than the parser's iteration.
  d = parse("<Response>" + repeat("<a>", 20000));
  EXPECT_EQ(d.action, TwimlAction::kProtocolError);
  EXPECT_EQ(d.error.rfind("TwiML is not well-formed XML", 0), 0u) << d.error;
}

TEST(TwimlBomb, DepthLimitCountsFromTheRoot) {
  TwimlLimits limits;
  limits.max_depth = 4;  // Response > Connect > Stream > Parameter
  const std::string four =
      "<Response><Connect><Stream url=\"wss://x/\"><Parameter name=\"a\" value=\"b\"/>"
      "</Stream></Connect></Response>";
  EXPECT_EQ(parse_twiml(four, kWebhook, limits).action, TwimlAction::kStream);
  const std::string five =
      "<Response><Connect><Stream url=\"wss://x/\"><Parameter name=\"a\"><b/></Parameter>"
      "</Stream></Connect></Response>";
  EXPECT_EQ(parse_twiml(five, kWebhook, limits).error, "TwiML nests elements deeper than 4");
}

TEST(TwimlBomb, ElementFloodIsRefused) {
  const std::string flood = "<Response>" + repeat("<P/>", 12000) + "</Response>";
  ASSERT_LT(flood.size(), 64u * 1024);
  const TwimlDecision d = parse(flood);
  EXPECT_EQ(d.action, TwimlAction::kProtocolError);
  EXPECT_EQ(d.error, "TwiML has more than 10000 elements");
}

TEST(TwimlBomb, EntityDeclarationsAreRefused) {
  const std::string laughs =
      "<?xml version=\"1.0\"?>\n"
      "<!DOCTYPE lolz [\n"
      " <!ENTITY lol \"lol\">\n"
      " <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
      " <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
      "]>\n"
      "<Response><Say>&lol2;</Say></Response>";
  const std::string external =
      "<!doctype Response [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
      "<Response><Say>&xxe;</Say></Response>";
  expect_errors({{laughs, "TwiML has a DOCTYPE, which TwiML never needs (refused)"},
                 {external, "TwiML has a DOCTYPE, which TwiML never needs (refused)"}});
}

TEST(TwimlBomb, UndeclaredEntitiesStayLiteralText) {
  const TwimlDecision d = parse("<Response><Say>&xxe;</Say></Response>");
  ASSERT_EQ(d.action, TwimlAction::kRejected) << d.error;
  EXPECT_EQ(d.say_text, "&xxe;");
}

TEST(TwimlBomb, LimitsAreConfigurable) {
  TwimlLimits limits;
  limits.max_bytes = 20;
  EXPECT_EQ(parse_twiml("<Response><Hangup/></Response>", kWebhook, limits).error,
            "TwiML is 30 bytes, over the limit of 20");
  limits = TwimlLimits{};
  limits.max_say_text = 10;
  const TwimlDecision d =
      parse_twiml("<Response><Say>0123456789abcdef</Say></Response>", kWebhook, limits);
  EXPECT_EQ(d.say_text, "0123456789");
}

TEST(Twiml, NamesOfOutcomesAndVerbs) {
  EXPECT_STREQ(to_string(TwimlAction::kStream), "stream");
  EXPECT_STREQ(to_string(TwimlAction::kRejected), "rejected");
  EXPECT_STREQ(to_string(TwimlAction::kRedirect), "redirect");
  EXPECT_STREQ(to_string(TwimlAction::kProtocolError), "protocol-error");
  EXPECT_STREQ(to_string(EndingVerb::kReject), "Reject");
  EXPECT_STREQ(to_string(EndingVerb::kHangup), "Hangup");
  EXPECT_STREQ(to_string(EndingVerb::kSay), "Say");
  EXPECT_STREQ(to_string(EndingVerb::kPlay), "Play");
  EXPECT_STREQ(to_string(EndingVerb::kPause), "Pause");
  EXPECT_STREQ(to_string(EndingVerb::kNone), "none");
}

}  // namespace
}  // namespace callsim
