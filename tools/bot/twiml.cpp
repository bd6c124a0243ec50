#include "bot/twiml.h"

namespace callsim::bot {

namespace {
constexpr const char* kXmlDeclaration = R"(<?xml version="1.0" encoding="UTF-8"?>)";
}

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string connect_twiml(std::string_view stream_url, std::string_view action_url,
                          std::string_view status_callback_url,
                          const std::vector<std::pair<std::string, std::string>>& parameters) {
  std::string out = kXmlDeclaration;
  out += "<Response><Connect action=\"" + xml_escape(action_url) + "\"><Stream url=\"" +
         xml_escape(stream_url) + "\" statusCallback=\"" + xml_escape(status_callback_url) + "\">";
  for (const auto& [name, value] : parameters) {
    out += "<Parameter name=\"" + xml_escape(name) + "\" value=\"" + xml_escape(value) + "\"/>";
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
