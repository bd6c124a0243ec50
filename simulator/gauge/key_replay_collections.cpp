// The set, hash and sorted-set commands of KeyReplay (key_replay.cpp has the rest).
#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "key_replay.h"

namespace callsim {

namespace {

using Type = KeyState::Type;

// Sorted-set members in Redis order: by score, then by member bytes.
std::vector<std::pair<double, std::string>> zset_order(
    const std::map<std::string, double>& scores) {
  std::vector<std::pair<double, std::string>> ordered;
  ordered.reserve(scores.size());
  for (const auto& [member, score] : scores) ordered.emplace_back(score, member);
  std::sort(ordered.begin(), ordered.end());
  return ordered;
}

// A ZRANGEBYSCORE-style bound: "(1.5" is exclusive, "-inf"/"+inf" are open.
struct ScoreBound {
  double value = 0;
  bool exclusive = false;
};
std::optional<ScoreBound> parse_score_bound(const std::string& text) {
  ScoreBound b;
  std::string_view v = text;
  if (!v.empty() && v[0] == '(') {
    b.exclusive = true;
    v.remove_prefix(1);
  }
  auto d = parse_redis_double(v);
  if (!d) return std::nullopt;
  b.value = *d;
  return b;
}

}  // namespace

bool KeyReplay::apply_set_or_hash(const std::string& command, const Args& args, Effect& e) {
  const bool names_key = args.size() > 1 && args[1] == key_;
  auto become = [&](Type type) {
    if (state_.type == Type::kNone) state_.type = type;
  };
  if (command == "SADD" || command == "SREM") {
    if (!names_key || args.size() < 3) return true;
    e.touched = true;
    if (!holds(Type::kSet)) return true;
    if (command == "SADD") {
      become(Type::kSet);
      state_.members.insert(args.begin() + 2, args.end());
    } else {
      for (size_t i = 2; i < args.size(); ++i) state_.members.erase(args[i]);
      state_.drop_if_empty();
    }
    return true;
  }
  if (command == "SMOVE") {
    if (args.size() != 4) return true;
    const bool from = args[1] == key_;
    const bool to = args[2] == key_;
    if (!from && !to) return true;
    e.touched = true;
    if (!holds(Type::kSet) || (from && to)) return true;
    if (from) {
      // The target could refuse the member only by being of the wrong type, which the next
      // checkpoint would catch.
      state_.members.erase(args[3]);
      state_.drop_if_empty();
    } else if (!state_.members.count(args[3])) {
      e.uncertain = "SMOVE added the member only if its source set held it";
    }
    return true;
  }
  if (command == "SPOP") {
    if (!names_key || args.size() > 3) return true;
    e.touched = true;
    if (!state_.exists() || state_.type != Type::kSet) return true;
    int64_t count = 1;
    if (args.size() == 3) {
      auto c = parse_redis_integer(args[2]);
      if (!c || *c < 0) return true;
      count = *c;
    }
    if (count == 0) return true;
    if (static_cast<uint64_t>(count) >= state_.members.size()) {
      state_.clear();
    } else {
      e.uncertain = "SPOP removed random members";
    }
    return true;
  }
  if (command == "SINTERSTORE" || command == "SUNIONSTORE" || command == "SDIFFSTORE") {
    if (names_key) {
      e.touched = true;
      e.uncertain = fmt::format("{} overwrote the key", command);
    }
    return true;
  }
  if (command == "HSET" || command == "HMSET") {
    if (!names_key || args.size() < 4 || args.size() % 2 != 0) return true;
    e.touched = true;
    if (!holds(Type::kHash)) return true;
    become(Type::kHash);
    for (size_t i = 2; i + 1 < args.size(); i += 2) state_.members.insert(args[i]);
    return true;
  }
  if (command == "HSETNX" || command == "HINCRBY" || command == "HINCRBYFLOAT") {
    if (!names_key || args.size() != 4) return true;
    e.touched = true;
    if (!holds(Type::kHash)) return true;
    if (command == "HINCRBY" && !parse_redis_integer(args[3])) return true;
    if (command == "HINCRBYFLOAT" && !parse_redis_double(args[3])) return true;
    // HINCRBY on a field holding a non-number fails; field values are not modelled, so that
    // rare case is left to the next checkpoint.
    become(Type::kHash);
    state_.members.insert(args[2]);
    return true;
  }
  if (command == "HDEL") {
    if (!names_key || args.size() < 3) return true;
    e.touched = true;
    if (state_.type != Type::kHash) return true;
    for (size_t i = 2; i < args.size(); ++i) state_.members.erase(args[i]);
    state_.drop_if_empty();
    return true;
  }
  return false;
}

bool KeyReplay::apply_zset(const std::string& command, const Args& args, Effect& e) {
  const bool names_key = args.size() > 1 && args[1] == key_;
  if (command == "ZADD" || command == "ZINCRBY") {
    if (!names_key) return true;
    e.touched = true;
    bool nx = false, xx = false, gt = false, lt = false, incr = command == "ZINCRBY";
    size_t i = 2;
    if (command == "ZADD") {
      for (; i < args.size(); ++i) {
        std::string opt = upper_command(args[i]);
        if (opt == "NX")
          nx = true;
        else if (opt == "XX")
          xx = true;
        else if (opt == "GT")
          gt = true;
        else if (opt == "LT")
          lt = true;
        else if (opt == "INCR")
          incr = true;
        else if (opt != "CH")
          break;
      }
    }
    size_t pairs = args.size() > i ? args.size() - i : 0;
    if (pairs == 0 || pairs % 2 != 0 || (incr && pairs != 2) || (nx && (xx || gt || lt)) ||
        (gt && lt)) {
      return true;
    }
    std::vector<std::pair<double, const std::string*>> updates;
    for (size_t j = i; j + 1 < args.size(); j += 2) {
      auto score = parse_redis_double(args[j]);
      if (!score) return true;  // Redis checks every score before changing anything
      updates.emplace_back(*score, &args[j + 1]);
    }
    if (!holds(Type::kZset)) return true;
    for (const auto& [score, member] : updates) {
      auto it = state_.scores.find(*member);
      if (it != state_.scores.end()) {
        if (nx) continue;
        double updated = incr ? it->second + score : score;
        if (std::isnan(updated)) return true;
        if ((gt && updated <= it->second) || (lt && updated >= it->second)) continue;
        it->second = updated;
      } else {
        if (xx) continue;
        state_.type = Type::kZset;
        state_.scores.emplace(*member, score);
      }
    }
    return true;
  }
  if (command == "ZREM") {
    if (!names_key || args.size() < 3) return true;
    e.touched = true;
    if (state_.type != Type::kZset) return true;
    for (size_t i = 2; i < args.size(); ++i) state_.scores.erase(args[i]);
    state_.drop_if_empty();
    return true;
  }
  if (command == "ZREMRANGEBYSCORE") {
    if (!names_key || args.size() != 4) return true;
    e.touched = true;
    auto lo = parse_score_bound(args[2]);
    auto hi = parse_score_bound(args[3]);
    if (!lo || !hi || state_.type != Type::kZset) return true;
    for (auto it = state_.scores.begin(); it != state_.scores.end();) {
      double s = it->second;
      bool above = lo->exclusive ? s > lo->value : s >= lo->value;
      bool below = hi->exclusive ? s < hi->value : s <= hi->value;
      it = above && below ? state_.scores.erase(it) : std::next(it);
    }
    state_.drop_if_empty();
    return true;
  }
  if (command == "ZREMRANGEBYRANK" || command == "ZPOPMIN" || command == "ZPOPMAX") {
    if (!names_key) return true;
    e.touched = true;
    if (state_.type != Type::kZset) return true;
    const int64_t size = static_cast<int64_t>(state_.scores.size());
    int64_t first = 0, last = -1;  // inclusive ranks in ascending order
    if (command == "ZREMRANGEBYRANK") {
      if (args.size() != 4) return true;
      auto start = parse_redis_integer(args[2]);
      auto stop = parse_redis_integer(args[3]);
      if (!start || !stop) return true;
      first = *start < 0 ? std::max<int64_t>(0, size + *start) : *start;
      last = *stop < 0 ? size + *stop : std::min(*stop, size - 1);
    } else {
      if (args.size() > 3) return true;
      int64_t count = 1;
      if (args.size() == 3) {
        auto c = parse_redis_integer(args[2]);
        if (!c || *c < 0) return true;
        count = std::min(*c, size);
      }
      first = command == "ZPOPMIN" ? 0 : size - count;
      last = command == "ZPOPMIN" ? count - 1 : size - 1;
    }
    if (first > last || first >= size) return true;
    auto ordered = zset_order(state_.scores);
    for (int64_t r = first; r <= last; ++r)
      state_.scores.erase(ordered[static_cast<size_t>(r)].second);
    state_.drop_if_empty();
    return true;
  }
  if (command == "ZREMRANGEBYLEX" || command == "ZUNIONSTORE" || command == "ZINTERSTORE" ||
      command == "ZDIFFSTORE" || command == "ZRANGESTORE") {
    if (names_key) {
      e.touched = true;
      e.uncertain = fmt::format("{} changed the key in a way that is not modelled", command);
    }
    return true;
  }
  return false;
}

}  // namespace callsim
