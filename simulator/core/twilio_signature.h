#pragma once

#include <string>
#include <string_view>

#include "twilio_messages.h"

namespace callsim {

// X-Twilio-Signature: base64(HMAC-SHA1(auth token, url + each parameter's name and value, sorted
// by name, equal names by value as Twilio's validators do)). For the WebSocket upgrade there are no
// parameters and the data is the exact URL string. Test vectors are in
// ../shared/twilio-media-streams.md §2.3.
std::string twilio_signature(std::string_view auth_token, std::string_view url,
                             const Parameters& params = {});

}  // namespace callsim
