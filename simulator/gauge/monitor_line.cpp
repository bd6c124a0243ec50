#include "monitor_line.h"

#include <charconv>
#include <limits>

namespace callsim {

namespace {

bool parse_digits(std::string_view text, int64_t& out) {
  if (text.empty() || text.size() > 18) return false;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && ptr == text.data() + text.size() && out >= 0;
}

// A stamp whose microseconds would overflow int64 is not Redis's clock (found by fuzzing).
constexpr int64_t kMaxSeconds = (std::numeric_limits<int64_t>::max() - 999'999) / 1'000'000;

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes one quoted argument starting at text[pos] == '"'; leaves pos after the closing quote.
bool parse_quoted(std::string_view text, size_t& pos, std::string& out) {
  ++pos;
  while (pos < text.size()) {
    char c = text[pos++];
    if (c == '"') return true;
    if (c != '\\') {
      out.push_back(c);
      continue;
    }
    if (pos >= text.size()) return false;
    char e = text[pos++];
    switch (e) {
      case 'n':
        out.push_back('\n');
        break;
      case 'r':
        out.push_back('\r');
        break;
      case 't':
        out.push_back('\t');
        break;
      case 'a':
        out.push_back('\a');
        break;
      case 'b':
        out.push_back('\b');
        break;
      case 'x': {
        if (pos + 2 > text.size()) return false;
        int hi = hex_value(text[pos]);
        int lo = hex_value(text[pos + 1]);
        if (hi < 0 || lo < 0) return false;
        out.push_back(static_cast<char>(hi * 16 + lo));
        pos += 2;
        break;
      }
      default:
        out.push_back(e);
        break;  // \" and \\ (and anything else Redis might escape)
    }
  }
  return false;
}

}  // namespace

std::optional<MonitorLine> parse_monitor_line(std::string_view line) {
  MonitorLine out;
  auto space = line.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  std::string_view stamp = line.substr(0, space);
  auto dot = stamp.find('.');
  int64_t seconds = 0;
  int64_t micros = 0;
  if (dot == std::string_view::npos || stamp.size() - dot - 1 != 6 ||
      !parse_digits(stamp.substr(0, dot), seconds) ||
      !parse_digits(stamp.substr(dot + 1), micros) || seconds > kMaxSeconds) {
    return std::nullopt;
  }
  out.time_us = seconds * 1'000'000 + micros;

  std::string_view rest = line.substr(space + 1);
  if (rest.empty() || rest[0] != '[') return std::nullopt;
  auto db_end = rest.find(' ');
  int64_t db = 0;
  if (db_end == std::string_view::npos || !parse_digits(rest.substr(1, db_end - 1), db) ||
      db > 1'000'000) {
    return std::nullopt;
  }
  out.db = static_cast<int>(db);
  // The client address ends at the first `] "`: addresses never contain it, arguments may.
  auto client_end = rest.find("] \"", db_end);
  if (client_end == std::string_view::npos) return std::nullopt;
  out.client = std::string(rest.substr(db_end + 1, client_end - db_end - 1));

  std::string_view args = rest.substr(client_end + 2);
  size_t pos = 0;
  while (pos < args.size()) {
    std::string arg;
    if (args[pos] == '"') {
      if (!parse_quoted(args, pos, arg)) return std::nullopt;
    } else {
      // Not something Redis prints today, but an unquoted token is still one argument.
      auto end = args.find(' ', pos);
      if (end == std::string_view::npos) end = args.size();
      arg = std::string(args.substr(pos, end - pos));
      pos = end;
    }
    out.args.push_back(std::move(arg));
    if (pos < args.size()) {
      if (args[pos] != ' ') return std::nullopt;
      ++pos;
    }
  }
  if (out.args.empty()) return std::nullopt;
  return out;
}

}  // namespace callsim
