#include "key_replay.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <unordered_set>

#include <fmt/format.h>

namespace callsim {

namespace {

// Commands that never change a key (reads, transaction and script wrappers whose inner commands
// MONITOR lists on their own lines). A command not handled below and not listed here that names
// the key makes the replay uncertain.
bool never_writes(const std::string& command) {
  static const std::unordered_set<std::string_view> kNeverWrites = {"BITCOUNT",
                                                                    "BITPOS",
                                                                    "CLIENT",
                                                                    "DBSIZE",
                                                                    "DISCARD",
                                                                    "DUMP",
                                                                    "ECHO",
                                                                    "EVAL",
                                                                    "EVALSHA",
                                                                    "EVALSHA_RO",
                                                                    "EVAL_RO",
                                                                    "EXEC",
                                                                    "EXISTS",
                                                                    "EXPIRETIME",
                                                                    "FCALL",
                                                                    "FCALL_RO",
                                                                    "FUNCTION",
                                                                    "GEODIST",
                                                                    "GEOHASH",
                                                                    "GEOPOS",
                                                                    "GEORADIUSBYMEMBER_RO",
                                                                    "GEORADIUS_RO",
                                                                    "GEOSEARCH",
                                                                    "GET",
                                                                    "GETBIT",
                                                                    "GETRANGE",
                                                                    "HELLO",
                                                                    "HEXISTS",
                                                                    "HGET",
                                                                    "HGETALL",
                                                                    "HKEYS",
                                                                    "HLEN",
                                                                    "HMGET",
                                                                    "HRANDFIELD",
                                                                    "HSCAN",
                                                                    "HSTRLEN",
                                                                    "HVALS",
                                                                    "INFO",
                                                                    "KEYS",
                                                                    "LCS",
                                                                    "LINDEX",
                                                                    "LLEN",
                                                                    "LPOS",
                                                                    "LRANGE",
                                                                    "MEMORY",
                                                                    "MGET",
                                                                    "MULTI",
                                                                    "OBJECT",
                                                                    "PEXPIRETIME",
                                                                    "PFCOUNT",
                                                                    "PING",
                                                                    "PTTL",
                                                                    "PUBLISH",
                                                                    "RANDOMKEY",
                                                                    "SCAN",
                                                                    "SCARD",
                                                                    "SCRIPT",
                                                                    "SDIFF",
                                                                    "SELECT",
                                                                    "SINTER",
                                                                    "SINTERCARD",
                                                                    "SISMEMBER",
                                                                    "SMEMBERS",
                                                                    "SMISMEMBER",
                                                                    "SORT_RO",
                                                                    "SPUBLISH",
                                                                    "SRANDMEMBER",
                                                                    "SSCAN",
                                                                    "STRLEN",
                                                                    "SUBSTR",
                                                                    "SUNION",
                                                                    "TIME",
                                                                    "TOUCH",
                                                                    "TTL",
                                                                    "TYPE",
                                                                    "UNWATCH",
                                                                    "WAIT",
                                                                    "WATCH",
                                                                    "XLEN",
                                                                    "XRANGE",
                                                                    "XREVRANGE",
                                                                    "ZCARD",
                                                                    "ZCOUNT",
                                                                    "ZDIFF",
                                                                    "ZINTER",
                                                                    "ZINTERCARD",
                                                                    "ZLEXCOUNT",
                                                                    "ZMSCORE",
                                                                    "ZRANDMEMBER",
                                                                    "ZRANGE",
                                                                    "ZRANGEBYLEX",
                                                                    "ZRANGEBYSCORE",
                                                                    "ZRANK",
                                                                    "ZREVRANGE",
                                                                    "ZREVRANGEBYLEX",
                                                                    "ZREVRANGEBYSCORE",
                                                                    "ZREVRANK",
                                                                    "ZSCAN",
                                                                    "ZSCORE",
                                                                    "ZUNION"};
  return kNeverWrites.count(command) > 0;
}

// Past this size the replay stops modelling a string value: a gauge is a short counter.
constexpr size_t kMaxModelledString = 1 << 20;

bool multiply_overflows(int64_t a, int64_t b) {
  return a > std::numeric_limits<int64_t>::max() / b || a < std::numeric_limits<int64_t>::min() / b;
}

bool add_overflows(int64_t a, int64_t b) {
  return (b > 0 && a > std::numeric_limits<int64_t>::max() - b) ||
         (b < 0 && a < std::numeric_limits<int64_t>::min() - b);
}

// An expiry argument as an absolute time in ms, or nullopt when Redis would refuse it.
// `scale` is 1000 for seconds, 1 for ms; `relative` adds the command's time.
std::optional<int64_t> expiry_ms(const std::string& arg, int64_t scale, bool relative,
                                 int64_t now_ms, bool must_be_positive) {
  auto v = parse_redis_integer(arg);
  if (!v || (must_be_positive && *v <= 0)) return std::nullopt;
  int64_t when = *v;
  if (multiply_overflows(when, scale)) return std::nullopt;
  when *= scale;
  if (relative) {
    if (add_overflows(when, now_ms)) return std::nullopt;
    when += now_ms;
  }
  return when;
}

// SET's and GETEX's options, parsed as Redis's parseExtendedStringArgumentsOrReply does: an
// option may repeat (the last value wins) but not combine with a conflicting one, and only the
// final expiry value is checked, after the loop.
struct ExtendedArgs {
  bool nx = false, xx = false, get = false, keep_ttl = false, persist = false;
  std::string unit;        // "EX", "PX", "EXAT", "PXAT" or empty
  std::string expiry_arg;  // the value after the last expiry option
};

bool parse_extended(const std::vector<std::string>& args, size_t first, bool is_set,
                    ExtendedArgs& out) {
  for (size_t i = first; i < args.size(); ++i) {
    std::string opt = upper_command(args[i]);
    const bool has_next = i + 1 < args.size();
    auto unit_ok = [&](const std::string& self) {
      return !out.keep_ttl && !out.persist && (out.unit.empty() || out.unit == self) && has_next;
    };
    if (is_set && opt == "NX" && !out.xx)
      out.nx = true;
    else if (is_set && opt == "XX" && !out.nx)
      out.xx = true;
    else if (is_set && opt == "GET")
      out.get = true;
    else if (is_set && opt == "KEEPTTL" && out.unit.empty())
      out.keep_ttl = true;
    else if (!is_set && opt == "PERSIST" && out.unit.empty())
      out.persist = true;
    else if ((opt == "EX" || opt == "PX" || opt == "EXAT" || opt == "PXAT") && unit_ok(opt)) {
      out.unit = opt;
      out.expiry_arg = args[++i];
    } else {
      return false;
    }
  }
  return true;
}

// The absolute expiry (ms) the options ask for, or nullopt when Redis would refuse the value.
std::optional<int64_t> resolve_expiry(const ExtendedArgs& a, int64_t now_ms) {
  const bool seconds = a.unit == "EX" || a.unit == "EXAT";
  const bool relative = a.unit == "EX" || a.unit == "PX";
  return expiry_ms(a.expiry_arg, seconds ? 1000 : 1, relative, now_ms, true);
}

// INCRBYFLOAT's arithmetic: long double, printed as Redis's ld2string(LD_STR_HUMAN) does.
std::optional<long double> parse_long_double(const std::string& text) {
  if (text.empty() || text.size() >= 5 * 1024 ||
      std::isspace(static_cast<unsigned char>(text[0]))) {
    return std::nullopt;
  }
  errno = 0;
  char* end = nullptr;
  long double v = std::strtold(text.c_str(), &end);
  if (end != text.c_str() + text.size() || std::isnan(v) ||
      (errno == ERANGE && (std::isinf(v) || v == 0))) {
    return std::nullopt;
  }
  return v;
}

std::string format_long_double(long double v) {
  char buf[5 * 1024];
  int n = std::snprintf(buf, sizeof(buf), "%.17Lf", v);
  if (n <= 0 || static_cast<size_t>(n) >= sizeof(buf)) return "0";
  std::string out(buf, static_cast<size_t>(n));
  if (out.find('.') != std::string::npos) {
    while (out.back() == '0') out.pop_back();
    if (out.back() == '.') out.pop_back();
  }
  if (out == "-0") out = "0";
  return out;
}

}  // namespace

std::string upper_command(const std::string& name) {
  std::string out = name;
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

KeyReplay::KeyReplay(GaugeKind kind, std::string key, int db)
    : kind_(kind), key_(std::move(key)), db_(db) {}

bool KeyReplay::expire_until(int64_t now_ms) {
  if (!state_.exists() || state_.expire_at_ms < 0 || now_ms <= state_.expire_at_ms) return false;
  state_.clear();
  return true;
}

bool KeyReplay::is_string_or_none() const {
  return holds(KeyState::Type::kString);
}

bool KeyReplay::holds(KeyState::Type type) const {
  return state_.type == type || state_.type == KeyState::Type::kNone;
}

void KeyReplay::set_expiry(int64_t when_ms, int64_t now_ms) {
  if (when_ms <= now_ms) {
    state_.clear();  // Redis deletes a key given an expiry in the past
  } else {
    state_.expire_at_ms = when_ms;
  }
}

KeyReplay::Effect KeyReplay::apply(const MonitorLine& line) {
  if (line.args.empty()) return {};
  std::string command = upper_command(line.args[0]);
  if (line.db == db_) return apply_in_db(command, line.args, line.time_us / 1000);
  return apply_other_db(command, line.args, line.db);
}

KeyReplay::Effect KeyReplay::apply_other_db(const std::string& command, const Args& args,
                                            int line_db) {
  Effect e;
  auto arg_db = [&](size_t i) {
    return i < args.size() ? parse_redis_integer(args[i]) : std::nullopt;
  };
  if (command == "FLUSHALL") {
    e.touched = true;
    state_.clear();
  } else if (command == "SWAPDB") {
    auto a = arg_db(1);
    auto b = arg_db(2);
    if (a && b && *a != *b && (*a == db_ || *b == db_)) {
      e.touched = true;
      e.uncertain = "SWAPDB exchanged the key's database";
    }
  } else if (command == "MOVE") {
    if (args.size() == 3 && args[1] == key_ && arg_db(2) == db_) {
      e.touched = true;
      e.uncertain = fmt::format("MOVE brought the key over from database {}", line_db);
    }
  } else if (command == "COPY") {
    for (size_t i = 3; i + 1 < args.size(); ++i) {
      if (upper_command(args[i]) == "DB" && args[2] == key_ && arg_db(i + 1) == db_) {
        e.touched = true;
        e.uncertain = fmt::format("COPY wrote the key from database {}", line_db);
      }
    }
  }
  return e;
}

KeyReplay::Effect KeyReplay::apply_in_db(const std::string& command, const Args& args,
                                         int64_t now_ms) {
  Effect e;
  if (command == "FLUSHALL" || command == "SWAPDB") return apply_other_db(command, args, db_);
  if (never_writes(command)) return e;
  if (apply_keyspace(command, args, now_ms, e) || apply_string(command, args, now_ms, e) ||
      apply_set_or_hash(command, args, e) || apply_zset(command, args, e)) {
    return e;
  }
  for (size_t i = 1; i < args.size(); ++i) {
    if (args[i] == key_) {
      e.touched = true;
      e.uncertain = fmt::format("{} named the key and is not modelled", command);
      break;
    }
  }
  return e;
}

bool KeyReplay::apply_keyspace(const std::string& command, const Args& args, int64_t now_ms,
                               Effect& e) {
  const bool names_key = args.size() > 1 && args[1] == key_;
  if (command == "DEL" || command == "UNLINK") {
    if (std::find(args.begin() + 1, args.end(), key_) != args.end()) {
      e.touched = true;
      state_.clear();
    }
    return true;
  }
  if (command == "FLUSHDB") {
    e.touched = true;
    state_.clear();
    return true;
  }
  if (command == "EXPIRE" || command == "PEXPIRE" || command == "EXPIREAT" ||
      command == "PEXPIREAT") {
    if (!names_key || args.size() < 3) return true;
    e.touched = true;
    const bool seconds = command == "EXPIRE" || command == "EXPIREAT";
    const bool relative = command == "EXPIRE" || command == "PEXPIRE";
    auto when = expiry_ms(args[2], seconds ? 1000 : 1, relative, now_ms, false);
    bool nx = false, xx = false, gt = false, lt = false;
    for (size_t i = 3; i < args.size(); ++i) {
      std::string opt = upper_command(args[i]);
      if (opt == "NX")
        nx = true;
      else if (opt == "XX")
        xx = true;
      else if (opt == "GT")
        gt = true;
      else if (opt == "LT")
        lt = true;
      else
        return true;  // syntax error
    }
    if (!when || (nx && (xx || gt || lt)) || (gt && lt) || !state_.exists()) return true;
    const int64_t current = state_.expire_at_ms;
    if (nx && current >= 0) return true;
    if (xx && current < 0) return true;
    if (gt && (current < 0 || *when <= current)) return true;  // persistent counts as infinite
    if (lt && current >= 0 && *when >= current) return true;
    set_expiry(*when, now_ms);
    return true;
  }
  if (command == "PERSIST") {
    if (names_key) {
      e.touched = true;
      state_.expire_at_ms = -1;
    }
    return true;
  }
  if (command == "RENAME" || command == "RENAMENX") {
    if (args.size() != 3) return true;
    const bool from = args[1] == key_;
    const bool to = args[2] == key_;
    if (!from && !to) return true;
    e.touched = true;
    if (from && to) return true;  // renaming a key onto itself changes nothing
    if (to) {
      e.uncertain = fmt::format("{} wrote another key's value onto the key", command);
    } else if (state_.exists()) {
      if (command == "RENAME")
        state_.clear();
      else
        e.uncertain = "RENAMENX moved the key away unless its target existed";
    }
    return true;
  }
  if (command == "MOVE") {
    if (names_key && state_.exists()) {
      e.touched = true;
      e.uncertain = "MOVE moved the key away unless the target database had it";
    }
    return true;
  }
  if (command == "COPY") {
    if (args.size() < 3 || args[2] != key_) return true;
    for (size_t i = 3; i + 1 < args.size(); ++i) {
      if (upper_command(args[i]) == "DB") {
        auto target = parse_redis_integer(args[i + 1]);
        if (target && *target != db_) return true;
      }
    }
    e.touched = true;
    e.uncertain = "COPY wrote another key's value onto the key";
    return true;
  }
  if (command == "GETDEL") {
    if (names_key) {
      e.touched = true;
      if (state_.type == KeyState::Type::kString) state_.clear();
    }
    return true;
  }
  if (command == "GETEX") {
    if (!names_key) return true;
    e.touched = true;
    ExtendedArgs opts;
    if (!parse_extended(args, 2, false, opts)) return true;
    std::optional<int64_t> when;
    if (!opts.unit.empty() && !(when = resolve_expiry(opts, now_ms))) return true;
    if (state_.type != KeyState::Type::kString) return true;
    if (opts.persist) state_.expire_at_ms = -1;
    if (when) set_expiry(*when, now_ms);
    return true;
  }
  return false;
}

bool KeyReplay::apply_string(const std::string& command, const Args& args, int64_t now_ms,
                             Effect& e) {
  const bool names_key = args.size() > 1 && args[1] == key_;
  auto set_text = [&](std::string text) {
    if (state_.type != KeyState::Type::kString) state_.clear();
    state_.type = KeyState::Type::kString;
    state_.text = std::move(text);
  };
  if (command == "SET") {
    if (!names_key || args.size() < 3) return true;
    e.touched = true;
    ExtendedArgs opts;
    if (!parse_extended(args, 3, true, opts)) return true;
    std::optional<int64_t> when;
    if (!opts.unit.empty() && !(when = resolve_expiry(opts, now_ms))) return true;
    if (opts.get && !is_string_or_none()) return true;  // GET on a non-string fails the SET
    if ((opts.nx && state_.exists()) || (opts.xx && !state_.exists())) return true;
    const int64_t kept = state_.expire_at_ms;
    state_.clear();
    set_text(args[2]);
    if (opts.keep_ttl) state_.expire_at_ms = kept;
    if (when) set_expiry(*when, now_ms);
    return true;
  }
  if (command == "SETNX" || command == "GETSET") {
    if (!names_key || args.size() != 3) return true;
    e.touched = true;
    if (command == "SETNX" && state_.exists()) return true;
    if (command == "GETSET" && !is_string_or_none()) return true;
    state_.clear();
    set_text(args[2]);
    return true;
  }
  if (command == "SETEX" || command == "PSETEX") {
    if (!names_key || args.size() != 4) return true;
    e.touched = true;
    auto when = expiry_ms(args[2], command == "SETEX" ? 1000 : 1, true, now_ms, true);
    if (!when) return true;
    state_.clear();
    set_text(args[3]);
    set_expiry(*when, now_ms);
    return true;
  }
  if (command == "MSET" || command == "MSETNX") {
    if (args.size() < 3 || args.size() % 2 == 0) return true;
    for (size_t i = 1; i + 1 < args.size(); i += 2) {
      if (args[i] != key_) continue;
      e.touched = true;
      if (command == "MSETNX") {
        e.uncertain = "MSETNX set the key unless one of its other keys existed";
        return true;
      }
      state_.clear();
      set_text(args[i + 1]);
    }
    return true;
  }
  if (command == "INCR" || command == "DECR" || command == "INCRBY" || command == "DECRBY") {
    if (!names_key) return true;
    e.touched = true;
    const bool by = command == "INCRBY" || command == "DECRBY";
    if (args.size() != (by ? 3u : 2u) || !is_string_or_none()) return true;
    std::optional<int64_t> delta = by ? parse_redis_integer(args[2]) : std::optional<int64_t>(1);
    if (!delta) return true;
    if (command[0] == 'D') {
      if (*delta == std::numeric_limits<int64_t>::min()) return true;
      delta = -*delta;
    }
    std::optional<int64_t> old = state_.exists() ? parse_redis_integer(state_.text) : 0;
    if (!old || add_overflows(*old, *delta)) return true;
    set_text(std::to_string(*old + *delta));
    return true;
  }
  if (command == "INCRBYFLOAT") {
    if (!names_key || args.size() != 3) return true;
    e.touched = true;
    if (!is_string_or_none()) return true;
    auto old = state_.exists() ? parse_long_double(state_.text) : std::optional<long double>(0.0L);
    auto delta = parse_long_double(args[2]);
    if (!old || !delta) return true;
    long double sum = *old + *delta;
    if (std::isnan(sum) || std::isinf(sum)) return true;
    set_text(format_long_double(sum));
    return true;
  }
  if (command == "APPEND") {
    if (!names_key || args.size() != 3) return true;
    e.touched = true;
    if (!is_string_or_none()) return true;
    if (state_.text.size() + args[2].size() > kMaxModelledString) {
      e.uncertain = "APPEND grew the key beyond what the replay models";
      return true;
    }
    set_text(state_.text + args[2]);
    return true;
  }
  if (command == "SETRANGE") {
    if (!names_key || args.size() != 4) return true;
    e.touched = true;
    auto offset = parse_redis_integer(args[2]);
    const std::string& value = args[3];
    if (!offset || *offset < 0 || !is_string_or_none()) return true;
    if (value.empty()) return true;  // nothing written, and a missing key is not created
    if (static_cast<uint64_t>(*offset) + value.size() > kMaxModelledString) {
      e.uncertain = "SETRANGE grew the key beyond what the replay models";
      return true;
    }
    std::string text = state_.text;
    size_t end = static_cast<size_t>(*offset) + value.size();
    if (text.size() < end) text.resize(end, '\0');
    text.replace(static_cast<size_t>(*offset), value.size(), value);
    set_text(std::move(text));
    return true;
  }
  return false;
}

}  // namespace callsim
