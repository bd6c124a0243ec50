#pragma once

#include <string>
#include <string_view>

namespace callsim::bot {

// Caller-supplied text (SIDs, error messages) for a log line: at most `limit` characters, anything
// but visible ASCII replaced by '?', so a line stays one line whatever the caller sent.
inline std::string printable(std::string_view text, size_t limit = 64) {
  if (text.empty()) return "-";
  std::string out(text.substr(0, limit));
  for (char& c : out) {
    if (c <= ' ' || c > '~') c = '?';
  }
  return out;
}

// Caller-supplied free text (an error message) for a log line: spaces kept, anything else but
// visible ASCII replaced by '?', at most `limit` characters.
inline std::string one_line(std::string_view text, size_t limit = 200) {
  std::string out(text.substr(0, limit));
  for (char& c : out) {
    if (c < ' ' || c > '~') c = '?';
  }
  return out;
}

}  // namespace callsim::bot
