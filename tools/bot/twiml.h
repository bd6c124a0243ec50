#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bot/bot_config.h"

namespace callsim::bot {

// The TwiML documents the voice webhook answers with (real-servers.md, "Where the cap is
// enforced"). Values are XML-escaped: CallSid, From and To come from the caller.
// <Connect action><Stream url statusCallback> with a <Parameter> per pair.
std::string connect_twiml(std::string_view stream_url, std::string_view action_url,
                          std::string_view status_callback_url,
                          const std::vector<std::pair<std::string, std::string>>& parameters);
std::string rejection_twiml(RejectTwiml style);
std::string hangup_twiml();

}  // namespace callsim::bot
