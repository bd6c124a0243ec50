#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "gauge/gauge_spec.h"

namespace callsim {

// One Redis key as far as a gauge needs to know it: its type, the value that decides the gauge's
// reading (the string, the set members, the hash fields, the sorted-set members with scores),
// and its expiry. Members are kept, not just counted, because SADD of a member already present
// leaves SCARD unchanged.
struct KeyState {
  enum class Type { kNone, kString, kSet, kHash, kZset, kOther };
  Type type = Type::kNone;
  std::string text;                      // kString
  std::set<std::string> members;         // kSet members, kHash fields
  std::map<std::string, double> scores;  // kZset
  int64_t expire_at_ms = -1;             // Redis wall clock, ms since the epoch; -1 = persistent

  bool exists() const { return type != Type::kNone; }
  void clear() { *this = KeyState{}; }
  // Collections vanish when their last member goes, as in Redis.
  void drop_if_empty();
  bool operator==(const KeyState& other) const;
};

const char* to_string(KeyState::Type type);

// The number the gauge reads from a state: 0 when the key is missing, nullopt when the key holds
// something the gauge cannot read as a count (wrong type, a string that is not an integer).
std::optional<int64_t> gauge_value(GaugeKind kind, const KeyState& state);

// Redis's own strict integer syntax (string2ll): optional '-', no '+', no leading zeros, no
// spaces, at most 20 characters. INCR and friends accept exactly these.
std::optional<int64_t> parse_redis_integer(std::string_view text);

// Redis's double syntax for scores and INCRBYFLOAT: strtod over the whole string, no leading
// space, "inf"/"+inf"/"-inf" accepted, NaN rejected.
std::optional<double> parse_redis_double(std::string_view text);

}  // namespace callsim
