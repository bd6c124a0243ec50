#include <string>
#include <vector>

#include <fmt/format.h>

#include "core/errors.h"
#include "gauge/gauge_reader.h"

namespace callsim {

namespace {

using Command = std::vector<std::string>;

// Sends every command in one write and reads the replies in order.
std::vector<RedisReply> pipeline(redisContext* ctx, const std::vector<Command>& commands) {
  for (const auto& command : commands) {
    std::vector<const char*> argv;
    std::vector<size_t> lengths;
    for (const auto& a : command) {
      argv.push_back(a.data());
      lengths.push_back(a.size());
    }
    if (redisAppendCommandArgv(ctx, static_cast<int>(argv.size()), argv.data(), lengths.data()) !=
        REDIS_OK) {
      throw UnreachableError(fmt::format("Redis connection lost: {}", ctx->errstr));
    }
  }
  std::vector<RedisReply> replies;
  for (size_t i = 0; i < commands.size(); ++i) {
    void* reply = nullptr;
    if (redisGetReply(ctx, &reply) != REDIS_OK || !reply) {
      throw UnreachableError(fmt::format("Redis connection lost: {}", ctx->errstr));
    }
    replies.emplace_back(static_cast<redisReply*>(reply));
  }
  return replies;
}

const char* read_command(GaugeKind kind) {
  switch (kind) {
    case GaugeKind::kRedisScard:
      return "SCARD";
    case GaugeKind::kRedisHlen:
      return "HLEN";
    case GaugeKind::kRedisZcard:
      return "ZCARD";
    default:
      return "GET";
  }
}

const char* type_name(GaugeKind kind) {
  switch (kind) {
    case GaugeKind::kRedisScard:
      return "set";
    case GaugeKind::kRedisHlen:
      return "hash";
    case GaugeKind::kRedisZcard:
      return "zset";
    default:
      return "string";
  }
}

Command full_read(GaugeKind kind, const std::string& key) {
  switch (kind) {
    case GaugeKind::kRedisScard:
      return {"SMEMBERS", key};
    case GaugeKind::kRedisHlen:
      return {"HKEYS", key};
    case GaugeKind::kRedisZcard:
      return {"ZRANGE", key, "0", "-1", "WITHSCORES"};
    default:
      return {"GET", key};
  }
}

std::string reply_text(const redisReply* r) {
  return std::string(r->str, r->len);
}

std::string quote_value(const std::string& text) {
  return text.size() > 40 ? "'" + text.substr(0, 40) + "...'" : "'" + text + "'";
}

// "" for a TYPE reply that names a type; otherwise what came instead (proxies and Redis look-alikes
// answer TYPE with integers, nil or an empty string).
std::string describe_odd_type_reply(const redisReply* r) {
  switch (r->type) {
    case REDIS_REPLY_STATUS:
    case REDIS_REPLY_STRING:
      return r->len > 0 ? "" : "an empty string";
    case REDIS_REPLY_INTEGER:
      return fmt::format("the integer {}", r->integer);
    case REDIS_REPLY_NIL:
      return "nil";
    case REDIS_REPLY_ARRAY:
      return fmt::format("an array of {} element(s)", r->elements);
    default:
      return fmt::format("a reply of RESP type {}", r->type);
  }
}

GaugeReading reading_from(GaugeKind kind, const redisReply* r) {
  GaugeReading out;
  if (r->type == REDIS_REPLY_ERROR) {
    out.error = reply_text(r);
  } else if (kind == GaugeKind::kRedisGet && r->type == REDIS_REPLY_NIL) {
    out.value = 0;
  } else if (kind == GaugeKind::kRedisGet && r->type == REDIS_REPLY_STRING) {
    out.value = parse_redis_integer(reply_text(r));
    if (!out.value) out.error = fmt::format("holds {}, not an integer", quote_value(reply_text(r)));
  } else if (r->type == REDIS_REPLY_INTEGER) {
    out.value = r->integer;
  } else {
    out.error = fmt::format("unexpected reply type {}", r->type);
  }
  return out;
}

KeySnapshot snapshot_from(GaugeKind kind, const redisReply* read, const redisReply* pttl) {
  KeySnapshot s;
  s.full = true;
  if (pttl && pttl->type == REDIS_REPLY_INTEGER) s.pttl_ms = pttl->integer;
  if (read->type == REDIS_REPLY_ERROR) {
    s.state.type = KeyState::Type::kOther;
    s.error = reply_text(read);
    return s;
  }
  if (kind == GaugeKind::kRedisGet) {
    if (read->type == REDIS_REPLY_STRING) {
      s.state.type = KeyState::Type::kString;
      s.state.text = reply_text(read);
    }
  } else if (read->type == REDIS_REPLY_ARRAY && read->elements > 0) {
    if (kind == GaugeKind::kRedisZcard) {
      s.state.type = KeyState::Type::kZset;
      for (size_t i = 0; i + 1 < read->elements; i += 2) {
        auto score = parse_redis_double(reply_text(read->element[i + 1]));
        s.state.scores[reply_text(read->element[i])] = score.value_or(0);
      }
    } else {
      s.state.type = kind == GaugeKind::kRedisScard ? KeyState::Type::kSet : KeyState::Type::kHash;
      for (size_t i = 0; i < read->elements; ++i)
        s.state.members.insert(reply_text(read->element[i]));
    }
  }
  s.count = gauge_value(kind, s.state);
  if (!s.count) s.error = fmt::format("holds {}, not an integer", quote_value(s.state.text));
  return s;
}

}  // namespace

RedisGaugeReader::RedisGaugeReader(GaugeSpec spec, RedisUrl url, Nanos timeout)
    : spec_(std::move(spec)), url_(std::move(url)), timeout_(timeout) {}

void RedisGaugeReader::connect() {
  ctx_ = connect_redis(url_, std::chrono::duration_cast<std::chrono::milliseconds>(timeout_));
}

void RedisGaugeReader::verify() {
  if (!ctx_) connect();
  RedisReply type = redis_command(ctx_.get(), {"TYPE", spec_.key});
  if (type->type == REDIS_REPLY_ERROR) {
    throw UnreachableError(fmt::format("Redis {} refused TYPE {}: {}", url_.display(), spec_.key,
                                       reply_text(type.get())));
  }
  if (std::string odd = describe_odd_type_reply(type.get()); !odd.empty()) {
    throw UnreachableError(
        fmt::format("Redis {} answered TYPE {} with {}, not a type name (is it a Redis server?)",
                    url_.display(), spec_.key, odd));
  }
  std::string actual = reply_text(type.get());
  if (actual != "none" && actual != type_name(spec_.kind)) {
    throw UnreachableError(
        fmt::format("gauge key '{}' in Redis {} is a {}, but --gauge {} reads a {} (wrong key?)",
                    spec_.key, url_.display(), actual, spec_.display(), type_name(spec_.kind)));
  }
  GaugeReading reading = read();
  if (!reading.value) {
    throw UnreachableError(fmt::format("gauge key '{}' in Redis {} cannot be read: {}", spec_.key,
                                       url_.display(), reading.error));
  }
}

GaugeReading RedisGaugeReader::read() {
  if (!ctx_) connect();
  try {
    auto replies = pipeline(ctx_.get(), {{read_command(spec_.kind), spec_.key}});
    return reading_from(spec_.kind, replies[0].get());
  } catch (const UnreachableError&) {
    ctx_.reset();
    throw;
  }
}

RedisGaugeReader::Checkpoint RedisGaugeReader::checkpoint(const std::string& nonce, bool full) {
  if (!ctx_) connect();
  std::vector<Command> commands = {{"MULTI"}, {"ECHO", nonce}};
  if (full) {
    commands.push_back(full_read(spec_.kind, spec_.key));
    commands.push_back({"PTTL", spec_.key});
  } else {
    commands.push_back({read_command(spec_.kind), spec_.key});
  }
  commands.push_back({"EXEC"});
  Checkpoint cp;
  std::vector<RedisReply> replies;
  cp.sent = std::chrono::steady_clock::now();
  try {
    replies = pipeline(ctx_.get(), commands);
  } catch (const UnreachableError&) {
    ctx_.reset();
    throw;
  }
  cp.received = std::chrono::steady_clock::now();
  const redisReply* exec = replies.back().get();
  if (exec->type != REDIS_REPLY_ARRAY || exec->elements != commands.size() - 2) {
    for (const auto& r : replies) {
      if (r->type == REDIS_REPLY_ERROR) {
        cp.error = reply_text(r.get());
        return cp;
      }
    }
    cp.error = "EXEC returned no results";
    return cp;
  }
  const redisReply* read = exec->element[1];
  if (full) {
    cp.snapshot = snapshot_from(spec_.kind, read, exec->element[2]);
  } else {
    GaugeReading reading = reading_from(spec_.kind, read);
    cp.snapshot.count = reading.value;
    cp.snapshot.error = reading.error;
  }
  return cp;
}

}  // namespace callsim
