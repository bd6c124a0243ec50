#include "core/options.h"

#include <gtest/gtest.h>

namespace callsim {
namespace {

std::string error_of(const Options& o) {
  try {
    validate(o);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(Options, DefaultsAreValid) {
  EXPECT_EQ(error_of(Options{}), "");
}

TEST(Options, UrlSchemesAreCaseInsensitive) {
  Options o;
  o.url = "WS://127.0.0.1:5050/ws";
  EXPECT_EQ(error_of(o), "");
  o.url = "WSS://h/ws";
  o.webhook_url = "HTTPS://h/voice";
  EXPECT_EQ(error_of(o), "");
  o.url = "WS:/no-authority";
  EXPECT_NE(error_of(o).find("--url"), std::string::npos);
}

TEST(Options, RejectCloseCodesMustBeSendableCloseCodes) {
  Options o;
  o.reject_close_codes = {1013, 1008, 4000};
  EXPECT_EQ(error_of(o), "");
  for (int code : {999, 1005, 1006, 1015, 2000, 5000}) {
    o.reject_close_codes = {1013, code};
    EXPECT_EQ(error_of(o), "--reject-close-codes " + std::to_string(code) +
                               " is not a close code a server can send");
  }
}

TEST(Options, EachBadValueNamesItsFlag) {
  Options o;
  o.url = "http://x";
  EXPECT_NE(error_of(o).find("--url"), std::string::npos);
  o = {};
  o.calls = 10;
  o.concurrent = 20;
  EXPECT_NE(error_of(o).find("--calls"), std::string::npos);
  o = {};
  o.rate = 5;
  o.ramp = std::chrono::seconds(1);
  EXPECT_NE(error_of(o).find("--rate"), std::string::npos);
  o = {};
  o.rate = 5;  // with neither --calls nor --duration, how many calls arrive is unsaid
  EXPECT_NE(error_of(o).find("--rate needs --calls or --duration"), std::string::npos);
  o = {};
  o.rate = 5;
  o.calls = 3;  // fewer calls than --concurrent is fine in an open model
  EXPECT_EQ(error_of(o), "");
  o = {};
  o.params = {{"k", std::string(600, 'v')}};
  EXPECT_NE(error_of(o).find("--param k"), std::string::npos);
  o = {};
  o.headers = {{"Bad Name", "v"}};
  EXPECT_NE(error_of(o).find("--header"), std::string::npos);
  o = {};
  o.headers = {{"X-A", "v\r\nInjected: 1"}};
  EXPECT_NE(error_of(o).find("--header X-A"), std::string::npos);
}

TEST(Options, CallerFlagsAreCheckedTogether) {
  Options o;
  o.reply_timeout = Nanos(0);
  EXPECT_EQ(error_of(o), "--reply-timeout must be positive");
  o = Options{};
  o.think = "fast";
  EXPECT_EQ(error_of(o).rfind("--think ", 0), 0u) << error_of(o);
  o = Options{};
  o.caller = Options::Caller::kScript;
  EXPECT_EQ(error_of(o), "--caller script needs --script FILE");
  o = Options{};
  o.caller = Options::Caller::kLoop;
  o.script_path = "s.yaml";
  EXPECT_EQ(error_of(o), "--script cannot be combined with --caller loop (the caller only loops)");
  o.script_path.clear();
  o.utterance_files = {"a.wav"};
  EXPECT_EQ(error_of(o),
            "--utterances cannot be combined with --caller loop (the caller only loops)");
  o = Options{};
  o.caller = Options::Caller::kLoop;
  o.turns = 2;
  EXPECT_EQ(error_of(o), "--turns applies to --caller conversation only");
  o.caller = Options::Caller::kConversation;
  EXPECT_EQ(error_of(o), "");
}

// --interval: positive, whole 250 ms lateness slots, and within 1,024 rows of a known --duration;
// 0 is "automatic" only when it is the default.
TEST(Options, IntervalRules) {
  using namespace std::chrono_literals;
  Options o;
  o.interval = 500ms;
  EXPECT_EQ(error_of(o), "");
  o.interval = 0s;
  EXPECT_EQ(error_of(o), "");  // not given: the automatic width
  o.settings.push_back({"interval", "0", "flag"});
  EXPECT_EQ(error_of(o), "--interval must be positive (leave it out for the automatic row width)");
  o.settings.back().source = "env";
  EXPECT_EQ(error_of(o), "--interval must be positive (leave it out for the automatic row width)");
  o.settings.back().source = "default";
  EXPECT_EQ(error_of(o), "");
  o.interval = -250ms;
  EXPECT_EQ(error_of(o), "--interval must be positive (leave it out for the automatic row width)");
  o.interval = 100ms;
  EXPECT_EQ(error_of(o),
            "--interval 100ms is finer than 250ms, the slots send lateness is kept in (the finest "
            "row)");
  o.interval = 300ms;
  EXPECT_EQ(error_of(o),
            "--interval 300ms must be a multiple of 250ms (the slots send lateness is kept in), "
            "e.g. 500ms");
  o.interval = 250ms;
  o.duration = 255750ms;  // 1,024 rows: the last one holds the end
  EXPECT_EQ(error_of(o), "");
  o.duration = 256s;
  EXPECT_EQ(error_of(o),
            "--interval 250ms over --duration 256s gives 1025 rows, more than 1024; use 500ms or "
            "wider");
  o.duration = 600s;
  o.interval = 500ms;
  EXPECT_EQ(error_of(o),
            "--interval 500ms over --duration 10m gives 1201 rows, more than 1024; use 750ms or "
            "wider");
  o.interval = 750ms;
  EXPECT_EQ(error_of(o), "");
}

}  // namespace
}  // namespace callsim
