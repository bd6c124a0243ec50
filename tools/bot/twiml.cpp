#include "bot/twiml.h"

#include "core/markup_escape.h"

namespace callsim::bot {

namespace {
constexpr const char* kXmlDeclaration = R"(<?xml version="1.0" encoding="UTF-8"?>)";
}

std::string connect_twiml(std::string_view stream_url, std::string_view action_url,
                          std::string_view status_callback_url,
                          const std::vector<std::pair<std::string, std::string>>& parameters) {
  std::string out = kXmlDeclaration;
  out += "<Response><Connect action=\"" + markup_escape(action_url) + "\"><Stream url=\"" +
         markup_escape(stream_url) + "\" statusCallback=\"" + markup_escape(status_callback_url) +
         "\">";
  for (const auto& [name, value] : parameters) {
    out +=
        "<Parameter name=\"" + markup_escape(name) + "\" value=\"" + markup_escape(value) + "\"/>";
  }
  out += "</Stream></Connect></Response>";
  return out;
}

std::string rejection_twiml(RejectTwiml style) {
  std::string out = kXmlDeclaration;
  if (style == RejectTwiml::kReject) {
    out += R"(<Response><Reject reason="busy"/></Response>)";
  } else {
    out +=
        "<Response><Say>All our lines are busy. Please call again later.</Say><Hangup/>"
        "</Response>";
  }
  return out;
}

std::string hangup_twiml() {
  return std::string(kXmlDeclaration) + "<Response><Hangup/></Response>";
}

}  // namespace callsim::bot
