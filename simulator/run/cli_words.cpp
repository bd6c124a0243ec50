#include "run/cli_words.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

#include "core/errors.h"

namespace callsim {

namespace {

// Optimal string alignment distance.
size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

std::string nearest_word(const std::string& typed, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_distance = SIZE_MAX;
  for (const auto& candidate : candidates) {
    const size_t distance = edit_distance(lower(typed), lower(candidate));
    if (distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  const size_t limit = std::max<size_t>(2, typed.size() / 3);
  return best_distance <= limit ? best : "";
}

double parse_share(const std::string& flag, const std::string& text) {
  if (!text.empty() && text.back() == '%') {
    const std::string number = text.substr(0, text.size() - 1);
    char* end = nullptr;
    const double percent = std::strtod(number.c_str(), &end);
    const bool numeric = !number.empty() && end == number.c_str() + number.size();
    throw InputError(fmt::format(
        "{} {}: a share from 0 to 1 is expected, not a percentage{}", flag, text,
        numeric ? fmt::format(" (write {:g} for {})", percent / 100.0, text) : std::string()));
  }
  char* end = nullptr;
  errno = 0;
  const double value = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size() || errno == ERANGE ||
      !std::isfinite(value)) {
    throw InputError(fmt::format("{} '{}' is not a number (a share from 0 to 1)", flag, text));
  }
  if (value > 1 && value <= 100) {
    throw InputError(
        fmt::format("{} {}: a share from 0 to 1 is expected; if you meant {}%, write {:g}", flag,
                    text, text, value / 100.0));
  }
  if (value < 0 || value > 1) {
    throw InputError(fmt::format("{} {} must be between 0 and 1", flag, text));
  }
  return value;
}

size_t parse_choice(const std::string& flag, const std::string& text,
                    const std::vector<std::string>& words) {
  for (size_t i = 0; i < words.size(); ++i) {
    if (lower(text) == words[i]) return i;
  }
  std::string list;
  for (size_t i = 0; i < words.size(); ++i) {
    list += (i == 0 ? "" : i + 1 == words.size() ? " or " : ", ") + words[i];
  }
  throw InputError(fmt::format("{} '{}' is not one of the allowed words: {}", flag, text, list));
}

}  // namespace callsim
