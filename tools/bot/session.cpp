#include "bot/session.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>

#include <fmt/format.h>

#include "bot/printable.h"

namespace callsim::bot {

namespace {

uint64_t fnv1a64(std::string_view text) {
  uint64_t hash = 0xcbf29ce484222325ull;
  for (unsigned char c : text) hash = (hash ^ c) * 0x100000001b3ull;
  return hash;
}

std::string json_quote(std::string_view text) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace

Session::Session(const SessionContext& context, SessionPort& port, Clock::time_point opened,
                 std::shared_ptr<Slot> slot)
    : context_(context),
      port_(port),
      opened_(opened),
      slot_(std::move(slot)),
      last_media_(opened),
      flood_refilled_(opened) {}

Session::~Session() {
  set_state(State::kEnded);
}

void Session::set_state(State next) {
  const bool was_serving = state_ == State::kServing;
  const bool serving = next == State::kServing;
  if (was_serving != serving) context_.serving_calls += serving ? 1 : -1;
  state_ = next;
}

bool Session::within_rate(Clock::time_point now) {
  double elapsed = std::chrono::duration<double>(now - flood_refilled_).count();
  flood_refilled_ = now;
  flood_tokens_ = std::min(kFloodBurst, flood_tokens_ + elapsed * kFloodPerSecond);
  if (flood_tokens_ >= 1) {
    flood_tokens_ -= 1;
    return true;
  }
  context_.counters.floods++;
  finish("flood", 1008, "message rate limit exceeded");
  return false;
}

void Session::on_text(std::string_view text, Clock::time_point now) {
  if (closing_ || !within_rate(now)) {
    context_.counters.messages_received++;
    return;
  }
  DeviationSet found;
  CallerMessage message = checker_.check_text(text, found);
  record(found);
  // Counted after its deviations: whoever sees the count sees what the message broke.
  context_.counters.messages_received++;
  switch (message.event) {
    case CallerMessage::Event::kStart:
      if (state_ == State::kAwaitingStart) handle_start(message, now);
      break;
    case CallerMessage::Event::kMedia:
      ++frames_in_;
      context_.counters.frames_received++;
      last_media_ = now;
      if (state_ == State::kServing && conversation_ && !message.audio.empty()) {
        conversation_->on_caller_audio(message.audio.data(), message.audio.size(), now);
      }
      break;
    case CallerMessage::Event::kMark:
      if (state_ == State::kBusyPrompt) finish("busy", 1013, "all agents are busy");
      if (state_ == State::kServing && conversation_) {
        conversation_->on_mark_echo(message.mark_name, now);
      }
      break;
    case CallerMessage::Event::kStop:
      if (state_ == State::kServing || state_ == State::kAdmitting) {
        outcome_ = "completed";
        end_slot(EndEvent::kStop);
        if (conversation_) conversation_->end();
        set_state(State::kEnded);
        linger_until_ = now + kLingerAfterStop;
      }
      break;
    default:
      break;
  }
}

void Session::on_binary(Clock::time_point now) {
  if (closing_ || !within_rate(now)) {
    context_.counters.messages_received++;
    return;
  }
  DeviationSet found;
  checker_.check_binary(found);
  record(found);
  context_.counters.messages_received++;
}

void Session::record(const DeviationSet& found) {
  if (found.none()) return;
  for (size_t i = 0; i < kDeviationKinds; ++i) {
    if (found.test(i)) context_.counters.count(static_cast<Deviation>(i));
  }
}

void Session::handle_start(const CallerMessage& start, Clock::time_point now) {
  Counters& counters = context_.counters;
  counters.starts++;
  call_sid_ = !start.call_sid.empty() ? start.call_sid : start.custom_call_sid;
  if (!start.call_sid.empty() && !start.custom_call_sid.empty() &&
      start.call_sid != start.custom_call_sid) {
    counters.call_sid_mismatch++;
  }
  if (start.stream_sid.empty()) {
    counters.start_without_stream_sid++;
    finish("no-stream-sid", 1008, "start without streamSid");
    return;
  }
  stream_sid_ = start.stream_sid;
  stream_sid_json_ = json_quote(stream_sid_);

  switch (context_.config.admit_at) {
    case AdmitAt::kWebhook: {
      if (call_sid_.empty()) {
        counters.start_without_call_sid++;
        finish("no-call-sid", 1008, "start without callSid");
        return;
      }
      // The webhook saw Twilio's CallSid; customParameters carries it too, via the TwiML.
      auto claim = context_.ledger.claim_for_stream(call_sid_, slot_);
      if (claim == SlotLedger::Claim::kNotAdmitted && !start.custom_call_sid.empty() &&
          start.custom_call_sid != call_sid_) {
        claim = context_.ledger.claim_for_stream(start.custom_call_sid, slot_);
        if (claim == SlotLedger::Claim::kClaimed) call_sid_ = start.custom_call_sid;
      }
      if (claim == SlotLedger::Claim::kAlreadyStreaming) {
        counters.duplicate_call_sid++;
        finish("duplicate", 1008, "duplicate CallSid");
      } else if (claim == SlotLedger::Claim::kNotAdmitted) {
        counters.start_not_admitted++;
        finish("not-admitted", 1008, "call was not admitted");
      } else {
        serve(now);
      }
      return;
    }
    case AdmitAt::kUpgrade:
      if (call_sid_.empty()) {
        counters.start_without_call_sid++;
      } else {
        context_.ledger.bind_call_sid(slot_, call_sid_);
      }
      serve(now);
      return;
    case AdmitAt::kStart:
      if (call_sid_.empty()) {
        counters.start_without_call_sid++;
        finish("no-call-sid", 1008, "start without callSid");
        return;
      }
      if (!context_.ledger.reserve(call_sid_)) {
        counters.duplicate_call_sid++;
        finish("duplicate", 1008, "duplicate CallSid");
        return;
      }
      set_state(State::kAdmitting);
      port_.request_admission(call_sid_);
      return;
  }
}

void Session::on_admission(Verdict verdict, std::shared_ptr<Slot> slot, Clock::time_point now) {
  if (state_ != State::kAdmitting) {
    // The caller hung up while the check ran: the slot it got is not used.
    context_.ledger.end(slot, EndEvent::kAbandoned);
    return;
  }
  if (verdict == Verdict::kAdmitted) {
    slot_ = std::move(slot);
    serve(now);
  } else if (context_.config.reject_with == RejectWith::kBusyPrompt && context_.voice) {
    play_busy_prompt(now);
  } else {
    finish("rejected", 1013, "try again later");
  }
}

void Session::serve(Clock::time_point now) {
  set_state(State::kServing);
  outcome_ = "hangup";
  last_media_ = now;
  served_at_ = now;
  if (context_.voice) {
    Outbox& outbox = *this;
    // Seeded by the streamSid: a call draws the same pauses in every run.
    conversation_.emplace(*context_.voice, context_.config.speech, outbox, fnv1a64(stream_sid_),
                          &context_.serving_calls);
    conversation_->begin(now);
  }
}

void Session::play_busy_prompt(Clock::time_point now) {
  // A real IVR's "all agents are busy": the server speaks first, so only the capacity close
  // code, not silence, tells the caller it was turned away.
  set_state(State::kBusyPrompt);
  outcome_ = "busy";
  const media::FrameSource& clip = *context_.voice->greeting;
  const size_t frames = std::min<size_t>(clip.frame_count(), kBusyPromptFrames);
  for (size_t i = 0; i < frames; ++i) send_media(clip.frame_base64(i));
  send_mark("busy");
  // A caller that never echoes the mark is still turned away.
  busy_deadline_ = now + kBusyPromptFrames * media::FrameSource::kFrameDuration + kBusyEchoGrace;
}

void Session::finish(const char* outcome, uint16_t close_code, const std::string& reason) {
  outcome_ = outcome;
  set_state(State::kEnded);
  closing_ = true;
  if (conversation_) conversation_->end();
  port_.close(close_code, reason);
}

void Session::end_slot(EndEvent event) {
  context_.ledger.end(slot_, event);
}

void Session::on_tick(Clock::time_point now) {
  const BotConfig& config = context_.config;
  switch (state_) {
    case State::kAwaitingStart:
      if (config.no_start_timeout > Nanos(0) && now - opened_ >= config.no_start_timeout) {
        context_.counters.no_start_timeouts++;
        finish("no-start", 1000, "No START event");
      }
      break;
    case State::kServing:
      if (conversation_) conversation_->on_tick(now);
      if (config.faults.early_release > Nanos(0) && !released_early_ &&
          now - served_at_ >= config.faults.early_release) {
        // The service thinks the call is done; the caller is still talking.
        released_early_ = true;
        context_.counters.early_releases++;
        end_slot(EndEvent::kEarly);
      }
      if (config.faults.idle_release > Nanos(0) &&
          now - last_media_ >= config.faults.idle_release) {
        // The service decides the call is over while the caller's socket stays open.
        context_.counters.idle_releases++;
        outcome_ = "idle-released";
        end_slot(EndEvent::kIdle);
        if (conversation_) conversation_->end();
        set_state(State::kEnded);
      }
      break;
    case State::kEnded:
      if (linger_until_ && now >= *linger_until_ && !closing_) {
        closing_ = true;
        port_.close(1000, "");
      }
      break;
    case State::kBusyPrompt:
      if (now >= busy_deadline_) finish("busy", 1013, "all agents are busy");
      break;
    case State::kAdmitting:
      break;
  }
}

void Session::on_closed(Clock::time_point, uint16_t local_close_code) {
  if (local_close_code == 1009) {
    context_.counters.oversized_messages++;
    outcome_ = "oversized";
  }
  if (conversation_) conversation_->end();
  end_slot(EndEvent::kClose);
  if (state_ != State::kAdmitting) set_state(State::kEnded);
}

std::string Session::summary(Clock::time_point now) const {
  double seconds = std::chrono::duration<double>(now - opened_).count();
  return fmt::format(
      "call {} stream {} outcome={} admitted={} frames_in={} frames_out={} secs={:.1f}",
      printable(call_sid_), printable(stream_sid_), outcome_, slot_ ? "yes" : "no", frames_in_,
      frames_out_, seconds);
}

void Session::send_media(std::string_view payload_base64) {
  if (port_.buffered_bytes() > kMaxBufferedBytes) {
    context_.counters.frames_dropped++;
    return;
  }
  out_.assign(R"({"event":"media","streamSid":)");
  out_ += stream_sid_json_;
  out_ += R"(,"media":{"payload":")";
  out_ += payload_base64;
  out_ += R"("}})";
  port_.send_text(out_);
  ++frames_out_;
  context_.counters.frames_sent++;
}

void Session::send_mark(std::string_view name) {
  out_.assign(R"({"event":"mark","streamSid":)");
  out_ += stream_sid_json_;
  out_ += R"(,"mark":{"name":)";
  out_ += json_quote(name);
  out_ += "}}";
  port_.send_text(out_);
  checker_.note_mark_sent(std::string(name));
  context_.counters.marks_sent++;
}

void Session::send_clear() {
  out_.assign(R"({"event":"clear","streamSid":)");
  out_ += stream_sid_json_;
  out_ += "}";
  port_.send_text(out_);
  context_.counters.clears_sent++;
}

void Session::note_answer(Nanos pause) {
  context_.counters.answers++;
  context_.counters.note_think(pause);
}

void Session::note_barge_in() {
  context_.counters.barge_ins++;
}

void Session::note_stall() {
  context_.counters.stalls++;
}

}  // namespace callsim::bot
