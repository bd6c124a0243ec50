#include "bot/conformance.h"

#include <rapidjson/document.h>

#include <initializer_list>

#include "media/base64.h"

namespace callsim::bot {

const char* to_string(Deviation d) {
  static constexpr const char* kNames[] = {
#define CALLSIM_BOT_NAME(id, name) name,
      CALLSIM_BOT_DEVIATIONS(CALLSIM_BOT_NAME)
#undef CALLSIM_BOT_NAME
  };
  auto i = static_cast<size_t>(d);
  return i < kDeviationKinds ? kNames[i] : "?";
}

std::optional<uint64_t> parse_twilio_counter(std::string_view text) {
  if (text.empty() || text.size() > 19) return std::nullopt;
  if (text.size() > 1 && text[0] == '0') return std::nullopt;
  uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<uint64_t>(c - '0');
  }
  return value;
}

bool is_twilio_sid(std::string_view sid, std::string_view prefix) {
  if (sid.size() != prefix.size() + 32 || sid.substr(0, prefix.size()) != prefix) return false;
  for (char c : sid.substr(prefix.size())) {
    bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!hex) return false;
  }
  return true;
}

namespace {

using rapidjson::Value;

enum class Kind { kString, kNumber, kObject, kArray };

struct Field {
  const char* name;
  Kind kind;
};

void flag(DeviationSet& found, Deviation d) {
  found.set(static_cast<size_t>(d));
}

bool has_kind(const Value& v, Kind kind) {
  switch (kind) {
    case Kind::kString:
      return v.IsString();
    case Kind::kNumber:
      return v.IsNumber();
    case Kind::kObject:
      return v.IsObject();
    case Kind::kArray:
      return v.IsArray();
  }
  return false;
}

// Twilio's messages have a fixed field set: anything absent, mistyped or extra is a deviation.
void check_shape(const Value& object, std::initializer_list<Field> fields, DeviationSet& found) {
  for (const Field& f : fields) {
    auto it = object.FindMember(f.name);
    if (it == object.MemberEnd()) {
      flag(found, Deviation::kMissingField);
    } else if (!has_kind(it->value, f.kind)) {
      flag(found, Deviation::kWrongType);
    }
  }
  for (const auto& member : object.GetObject()) {
    std::string_view name(member.name.GetString(), member.name.GetStringLength());
    bool known = false;
    for (const Field& f : fields) known = known || name == f.name;
    if (!known) flag(found, Deviation::kExtraField);
  }
}

const Value* member(const Value& object, const char* name, Kind kind) {
  auto it = object.FindMember(name);
  if (it == object.MemberEnd() || !has_kind(it->value, kind)) return nullptr;
  return &it->value;
}

std::optional<std::string_view> string_member(const Value& object, const char* name) {
  const Value* v = member(object, name, Kind::kString);
  if (!v) return std::nullopt;
  return std::string_view(v->GetString(), v->GetStringLength());
}

void expect_string(const Value& object, const char* name, std::string_view expected,
                   DeviationSet& found) {
  auto value = string_member(object, name);
  if (value && *value != expected) flag(found, Deviation::kBadValue);
}

void expect_number(const Value& object, const char* name, int expected, DeviationSet& found) {
  const Value* v = member(object, name, Kind::kNumber);
  if (v && !(v->IsInt() && v->GetInt() == expected)) flag(found, Deviation::kBadValue);
}

void expect_sid(const Value& object, const char* name, std::string_view prefix,
                DeviationSet& found) {
  auto value = string_member(object, name);
  if (value && !is_twilio_sid(*value, prefix)) flag(found, Deviation::kBadSid);
}

}  // namespace

CallerMessage ConformanceChecker::check_text(std::string_view text, DeviationSet& found) {
  CallerMessage out;
  ++messages_;
  rapidjson::Document doc;
  // Iterative parsing: a hostile, deeply nested frame must not exhaust the stack.
  doc.Parse<rapidjson::kParseIterativeFlag>(text.data(), text.size());
  if (doc.HasParseError() || !doc.IsObject()) {
    flag(found, Deviation::kBadJson);
    return out;
  }
  auto event = string_member(doc, "event");
  if (!event) {
    flag(found, Deviation::kUnknownEvent);
    return out;
  }
  if (saw_stop_) flag(found, Deviation::kOutOfOrder);

  if (*event == "connected") {
    out.event = CallerMessage::Event::kConnected;
    if (messages_ != 1) flag(found, Deviation::kOutOfOrder);
    saw_connected_ = true;
    check_shape(doc,
                {{"event", Kind::kString}, {"protocol", Kind::kString}, {"version", Kind::kString}},
                found);
    expect_string(doc, "protocol", "Call", found);
    return out;
  }

  bool is_start = *event == "start";
  if (is_start) {
    out.event = CallerMessage::Event::kStart;
  } else if (*event == "media") {
    out.event = CallerMessage::Event::kMedia;
  } else if (*event == "dtmf") {
    out.event = CallerMessage::Event::kDtmf;
  } else if (*event == "mark") {
    out.event = CallerMessage::Event::kMark;
  } else if (*event == "stop") {
    out.event = CallerMessage::Event::kStop;
  } else {
    flag(found, Deviation::kUnknownEvent);
    return out;
  }

  if (is_start ? (!saw_connected_ || saw_start_) : !saw_start_) {
    flag(found, Deviation::kOutOfOrder);
  }
  if (auto seq = string_member(doc, "sequenceNumber")) {
    check_sequence(*seq, is_start, found);
  }

  switch (out.event) {
    case CallerMessage::Event::kStart:
      check_start(doc, out, found);
      break;
    case CallerMessage::Event::kMedia:
      check_media(doc, out, found);
      break;
    case CallerMessage::Event::kDtmf:
      check_dtmf(doc, found);
      break;
    case CallerMessage::Event::kMark:
      check_mark(doc, out, found);
      break;
    case CallerMessage::Event::kStop:
      check_stop(doc, found);
      break;
    default:
      break;
  }
  if (!is_start) check_stream_sid(doc, found);
  return out;
}

void ConformanceChecker::check_sequence(std::string_view text, bool is_start, DeviationSet& found) {
  auto value = parse_twilio_counter(text);
  if (!value) {
    flag(found, Deviation::kBadSequence);
    return;
  }
  uint64_t expected = is_start ? 1 : last_sequence_ + 1;
  if (*value != expected) flag(found, Deviation::kBadSequence);
  // Resynchronise, so one skipped number is one deviation rather than one per later message.
  last_sequence_ = *value;
}

void ConformanceChecker::check_stream_sid(const rapidjson::Value& message, DeviationSet& found) {
  auto sid = string_member(message, "streamSid");
  if (sid && saw_start_ && !stream_sid_.empty() && *sid != stream_sid_) {
    flag(found, Deviation::kWrongStreamSid);
  }
}

void ConformanceChecker::check_start(const rapidjson::Value& message, CallerMessage& out,
                                     DeviationSet& found) {
  saw_start_ = true;
  check_shape(message,
              {{"event", Kind::kString},
               {"sequenceNumber", Kind::kString},
               {"start", Kind::kObject},
               {"streamSid", Kind::kString}},
              found);
  auto top_sid = string_member(message, "streamSid");
  const Value* start = member(message, "start", Kind::kObject);
  if (start) {
    check_shape(*start,
                {{"accountSid", Kind::kString},
                 {"streamSid", Kind::kString},
                 {"callSid", Kind::kString},
                 {"tracks", Kind::kArray},
                 {"mediaFormat", Kind::kObject},
                 {"customParameters", Kind::kObject}},
                found);
    expect_sid(*start, "accountSid", "AC", found);
    expect_sid(*start, "streamSid", "MZ", found);
    expect_sid(*start, "callSid", "CA", found);
    if (auto v = string_member(*start, "streamSid")) out.stream_sid = std::string(*v);
    if (auto v = string_member(*start, "callSid")) out.call_sid = std::string(*v);
    if (auto v = string_member(*start, "accountSid")) account_sid_ = std::string(*v);
    if (const Value* tracks = member(*start, "tracks", Kind::kArray)) {
      // A bidirectional <Connect><Stream> carries the caller's audio only.
      bool inbound_only = tracks->Size() == 1 && (*tracks)[0].IsString() &&
                          std::string_view((*tracks)[0].GetString()) == "inbound";
      for (const auto& t : tracks->GetArray()) {
        if (!t.IsString()) flag(found, Deviation::kWrongType);
      }
      if (!inbound_only) flag(found, Deviation::kBadValue);
    }
    if (const Value* format = member(*start, "mediaFormat", Kind::kObject)) {
      check_shape(
          *format,
          {{"encoding", Kind::kString}, {"sampleRate", Kind::kNumber}, {"channels", Kind::kNumber}},
          found);
      expect_string(*format, "encoding", "audio/x-mulaw", found);
      expect_number(*format, "sampleRate", 8000, found);
      expect_number(*format, "channels", 1, found);
    }
    if (const Value* params = member(*start, "customParameters", Kind::kObject)) {
      for (const auto& p : params->GetObject()) {
        if (!p.value.IsString()) flag(found, Deviation::kWrongType);
      }
      if (auto v = string_member(*params, "CallSid")) out.custom_call_sid = std::string(*v);
    }
  }
  if (top_sid) {
    if (!out.stream_sid.empty() && *top_sid != out.stream_sid) {
      flag(found, Deviation::kWrongStreamSid);
    }
    if (out.stream_sid.empty()) out.stream_sid = std::string(*top_sid);
  }
  stream_sid_ = out.stream_sid;
  call_sid_ = out.call_sid;
}

void ConformanceChecker::check_media(const rapidjson::Value& message, CallerMessage& out,
                                     DeviationSet& found) {
  check_shape(message,
              {{"event", Kind::kString},
               {"sequenceNumber", Kind::kString},
               {"media", Kind::kObject},
               {"streamSid", Kind::kString}},
              found);
  const Value* media = member(message, "media", Kind::kObject);
  if (!media) return;
  check_shape(*media,
              {{"track", Kind::kString},
               {"chunk", Kind::kString},
               {"timestamp", Kind::kString},
               {"payload", Kind::kString}},
              found);
  expect_string(*media, "track", "inbound", found);

  if (auto chunk_text = string_member(*media, "chunk")) {
    auto chunk = parse_twilio_counter(*chunk_text);
    if (!chunk || *chunk != last_chunk_ + 1) flag(found, Deviation::kBadChunk);
    if (chunk) last_chunk_ = *chunk;
  }
  if (auto ts_text = string_member(*media, "timestamp")) {
    auto ts = parse_twilio_counter(*ts_text);
    if (!ts) {
      flag(found, Deviation::kBadTimestamp);
    } else {
      auto now = static_cast<int64_t>(*ts);
      if (last_timestamp_) {
        int64_t step = now - *last_timestamp_;
        if (step < 20 - kTimestampStepToleranceMs || step > 20 + kTimestampStepToleranceMs) {
          flag(found, Deviation::kBadTimestamp);
        }
      }
      last_timestamp_ = now;
    }
  }
  if (auto payload = string_member(*media, "payload")) {
    auto bytes = media::base64_decode(*payload);
    if (!bytes || bytes->size() != 160) flag(found, Deviation::kBadPayload);
    if (bytes) out.audio = std::move(*bytes);
  }
}

void ConformanceChecker::check_dtmf(const rapidjson::Value& message, DeviationSet& found) {
  check_shape(message,
              {{"event", Kind::kString},
               {"streamSid", Kind::kString},
               {"sequenceNumber", Kind::kString},
               {"dtmf", Kind::kObject}},
              found);
  const Value* dtmf = member(message, "dtmf", Kind::kObject);
  if (!dtmf) return;
  check_shape(*dtmf, {{"track", Kind::kString}, {"digit", Kind::kString}}, found);
  expect_string(*dtmf, "track", "inbound_track", found);
  if (auto digit = string_member(*dtmf, "digit")) {
    if (digit->size() != 1 ||
        std::string_view("0123456789*#").find((*digit)[0]) == std::string_view::npos) {
      flag(found, Deviation::kBadValue);
    }
  }
}

void ConformanceChecker::check_mark(const rapidjson::Value& message, CallerMessage& out,
                                    DeviationSet& found) {
  check_shape(message,
              {{"event", Kind::kString},
               {"sequenceNumber", Kind::kString},
               {"streamSid", Kind::kString},
               {"mark", Kind::kObject}},
              found);
  const Value* mark = member(message, "mark", Kind::kObject);
  if (!mark) return;
  check_shape(*mark, {{"name", Kind::kString}}, found);
  auto name = string_member(*mark, "name");
  if (!name) return;
  out.mark_name = std::string(*name);
  // Twilio echoes marks in the order they were sent (played or cleared).
  if (!pending_marks_.empty() && pending_marks_.front() == *name) {
    pending_marks_.pop_front();
    return;
  }
  flag(found, Deviation::kUnknownMark);
  for (auto it = pending_marks_.begin(); it != pending_marks_.end(); ++it) {
    if (*it == *name) {
      pending_marks_.erase(it);
      break;
    }
  }
}

void ConformanceChecker::check_stop(const rapidjson::Value& message, DeviationSet& found) {
  saw_stop_ = true;
  check_shape(message,
              {{"event", Kind::kString},
               {"sequenceNumber", Kind::kString},
               {"streamSid", Kind::kString},
               {"stop", Kind::kObject}},
              found);
  const Value* stop = member(message, "stop", Kind::kObject);
  if (!stop) return;
  check_shape(*stop, {{"accountSid", Kind::kString}, {"callSid", Kind::kString}}, found);
  auto account = string_member(*stop, "accountSid");
  auto call = string_member(*stop, "callSid");
  if ((account && !account_sid_.empty() && *account != account_sid_) ||
      (call && !call_sid_.empty() && *call != call_sid_)) {
    flag(found, Deviation::kBadValue);
  }
}

void ConformanceChecker::note_mark_sent(std::string name) {
  if (pending_marks_.size() == kMaxPendingMarks) pending_marks_.pop_front();
  pending_marks_.push_back(std::move(name));
}

}  // namespace callsim::bot
