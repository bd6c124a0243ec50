#include "key_state.h"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>

namespace callsim {

void KeyState::drop_if_empty() {
  bool empty = (type == Type::kSet || type == Type::kHash) ? members.empty()
               : type == Type::kZset                       ? scores.empty()
                                                           : false;
  if (empty) clear();
}

bool KeyState::operator==(const KeyState& other) const {
  return type == other.type && text == other.text && members == other.members &&
         scores == other.scores;
}

const char* to_string(KeyState::Type type) {
  switch (type) {
    case KeyState::Type::kNone:
      return "none";
    case KeyState::Type::kString:
      return "string";
    case KeyState::Type::kSet:
      return "set";
    case KeyState::Type::kHash:
      return "hash";
    case KeyState::Type::kZset:
      return "zset";
    case KeyState::Type::kOther:
      return "other";
  }
  return "unknown";
}

std::optional<int64_t> gauge_value(GaugeKind kind, const KeyState& state) {
  if (!state.exists()) return 0;
  switch (kind) {
    case GaugeKind::kRedisGet:
      if (state.type != KeyState::Type::kString) return std::nullopt;
      return parse_redis_integer(state.text);
    case GaugeKind::kRedisScard:
      if (state.type != KeyState::Type::kSet) return std::nullopt;
      return static_cast<int64_t>(state.members.size());
    case GaugeKind::kRedisHlen:
      if (state.type != KeyState::Type::kHash) return std::nullopt;
      return static_cast<int64_t>(state.members.size());
    case GaugeKind::kRedisZcard:
      if (state.type != KeyState::Type::kZset) return std::nullopt;
      return static_cast<int64_t>(state.scores.size());
    case GaugeKind::kNone:
    case GaugeKind::kHttpJson:
      break;
  }
  return std::nullopt;
}

std::optional<int64_t> parse_redis_integer(std::string_view s) {
  if (s.empty() || s.size() > 20) return std::nullopt;
  if (s == "0") return 0;
  bool negative = s[0] == '-';
  std::string_view digits = negative ? s.substr(1) : s;
  if (digits.empty() || digits[0] < '1' || digits[0] > '9') return std::nullopt;
  uint64_t v = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    uint64_t d = static_cast<uint64_t>(c - '0');
    if (v > (UINT64_MAX - d) / 10) return std::nullopt;
    v = v * 10 + d;
  }
  if (negative) {
    if (v > static_cast<uint64_t>(INT64_MAX) + 1) return std::nullopt;
    return static_cast<int64_t>(0 - v);
  }
  if (v > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
  return static_cast<int64_t>(v);
}

std::optional<double> parse_redis_double(std::string_view s) {
  if (s.empty() || s.size() > 256 || std::isspace(static_cast<unsigned char>(s[0]))) {
    return std::nullopt;
  }
  std::string text(s);
  errno = 0;
  char* end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() || std::isnan(v) ||
      (errno == ERANGE && (std::isinf(v) || v == 0))) {
    return std::nullopt;
  }
  return v;
}

}  // namespace callsim
