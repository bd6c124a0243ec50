#include "core/status_line.h"

#include <fmt/format.h>

namespace callsim {

bool can_start_status_line(std::string_view head) {
  // '#' stands for a digit.
  static constexpr std::string_view kPattern = "HTTP/#.# ### ";
  static_assert(kPattern.size() == kStatusLineStart);
  for (size_t i = 0; i < head.size() && i < kPattern.size(); ++i) {
    const char c = head[i];
    const bool fits = kPattern[i] == '#' ? c >= '0' && c <= '9' : c == kPattern[i];
    if (!fits) return false;
  }
  return true;
}

std::string quote_bytes(std::string_view bytes, size_t limit) {
  std::string out = "\"";
  for (size_t i = 0; i < bytes.size() && i < limit; ++i) {
    const unsigned char c = static_cast<unsigned char>(bytes[i]);
    switch (c) {
      case '\r':
        out += "\\r";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      default:
        if (c >= 0x20 && c < 0x7f) {
          out += static_cast<char>(c);
        } else {
          out += fmt::format("\\x{:02x}", c);
        }
    }
  }
  out += '"';
  if (bytes.size() > limit) out += "...";
  return out;
}

}  // namespace callsim
