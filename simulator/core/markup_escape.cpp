#include "core/markup_escape.h"

namespace callsim {

std::string markup_escape(std::string_view text, bool in_attribute) {
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
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
      case '\n':
        out += in_attribute ? "&#10;" : "\n";
        break;
      case '\r':
        out += in_attribute ? "&#13;" : "\r";
        break;
      case '\t':
        out += in_attribute ? "&#9;" : "\t";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          out += "\xEF\xBF\xBD";
        } else {
          out += ch;
        }
    }
  }
  return out;
}

}  // namespace callsim
