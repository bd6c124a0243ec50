// The text formats of the reports, byte for byte: RFC 4180 fields, XML escaping, the rerun line,
// ISO 8601 timestamps.
#include <gtest/gtest.h>

#include "core/markup_escape.h"
#include "run/calls_csv.h"
#include "run/junit_report.h"
#include "run/run_report.h"

namespace callsim {
namespace {

TEST(CallsCsv, FieldsWithCommaQuoteOrNewlineAreQuotedWithQuotesDoubled) {
  EXPECT_EQ(csv_field("plain text"), "plain text");
  EXPECT_EQ(csv_field(""), "");
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_field("line\nbreak"), "\"line\nbreak\"");
  EXPECT_EQ(csv_field("cr\rhere"), "\"cr\rhere\"");
}

TEST(CallsCsv, AnErrorWithCommaQuoteAndNewlineStaysOneField) {
  TimePoint origin{std::chrono::seconds(100)};
  CallRecord c;
  c.index = 0;
  c.burst = 0;
  c.ids.call_sid = "CA1";
  c.ids.stream_sid = "MZ1";
  c.outcome = Outcome::kProtocolError;
  c.error = "upgrade answered \"HTTP/1.1 500\", then\nthe socket closed";
  c.scheduled = origin + std::chrono::microseconds(1500);
  const std::string csv = render_calls_csv({c}, origin);
  const std::string row = csv.substr(csv.find("\r\n") + 2);
  EXPECT_EQ(row,
            "0,1,0,CA1,MZ1,protocol_error,false,,,,,\"upgrade answered \"\"HTTP/1.1 500\"\", "
            "then\nthe socket closed\",,,1.500,,,,,,,,0,0,0,0,0,0,0\r\n");
}

TEST(CallsCsv, RowsFollowTheScheduleOrder) {
  CallRecord a, b;
  a.index = 1;
  b.index = 0;
  const std::string csv = render_calls_csv({a, b}, TimePoint{});
  EXPECT_LT(csv.find("\r\n0,"), csv.find("\r\n1,"));
}

TEST(Junit, EscapingKeepsXmlWellFormed) {
  EXPECT_EQ(markup_escape("a<b & \"c\" 'd'>"), "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;");
  EXPECT_EQ(markup_escape("bell\x07 nul"), "bell\xEF\xBF\xBD nul");
  EXPECT_EQ(markup_escape("two\nlines"), "two\nlines");
  EXPECT_EQ(markup_escape("two\nlines", true), "two&#10;lines");
}

TEST(Rerun, SeedIsReplacedAndWordsQuotedForTheShell) {
  EXPECT_EQ(rerun_command({"callsim", "--concurrent", "5", "--seed", "3"}, 42),
            "callsim --concurrent 5 --seed 42");
  EXPECT_EQ(rerun_command({"callsim", "--seed=3", "--from", "+1415555####"}, 7),
            "callsim --from '+1415555####' --seed 7");
  EXPECT_EQ(rerun_command({"callsim", "--param", "name=it's"}, 1),
            "callsim --param 'name=it'\\''s' --seed 1");
  EXPECT_EQ(rerun_command({"callsim", "--header", ""}, 18446744073709551615u),
            "callsim --header '' --seed 18446744073709551615");
}

TEST(Report, StartedAtIsIso8601UtcWithMilliseconds) {
  std::chrono::system_clock::time_point t{std::chrono::milliseconds(1'764'637'413'007)};
  EXPECT_EQ(iso8601_utc(t), "2025-12-02T01:03:33.007Z");
}

}  // namespace
}  // namespace callsim
