#include <gtest/gtest.h>
#include "bot_under_test.h"
#include "calls.h"
#include "raw_http.h"
namespace callsim::bot::test {
TEST(Debug, Webhook) {
  BotUnderTest bot([](BotConfig& c){ c.admit_at = AdmitAt::kWebhook; c.cap = 2; });
  auto r = http_post_form(bot.port(), "/webhook/incoming_call", form_body({{"CallSid", call_sid(1)}}));
  printf("%s\n", r.body.c_str());
  TwilioCalls callers(bot.port());
  size_t a = place_call(callers, 1);
  callers.wait_for(a, is_closed, std::chrono::milliseconds(500));
  auto s = callers.snapshot(a);
  printf("closed=%d code=%d reason=%s\n", s.closed, s.close_code, s.close_reason.c_str());
  for (auto& l : bot.log_lines()) printf("%s\n", l.c_str());
  printf("%s\n", bot.bot().health_details_json().c_str());
}
}
