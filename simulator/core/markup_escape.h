#pragma once

#include <string>
#include <string_view>

namespace callsim {

// Text made safe inside XML or HTML (JUnit files, the HTML report, the bot's TwiML): the five
// markup characters become entities; in an attribute line breaks and tabs become character
// references, since a parser would otherwise normalise them to spaces. Other control characters
// cannot appear in XML 1.0 at all and become U+FFFD.
std::string markup_escape(std::string_view text, bool in_attribute = false);

}  // namespace callsim
