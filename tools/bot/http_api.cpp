#include "bot/http_api.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <asio/post.hpp>

#include <fmt/format.h>

#include "bot/form.h"
#include "bot/printable.h"
#include "bot/signature_check.h"
#include "bot/twiml.h"

namespace callsim::bot {

namespace {

using websocketpp::http::status_code::value;
namespace status = websocketpp::http::status_code;

constexpr std::string_view kStreamPath = "/ws/twilio-media";

template <typename Connection>
void respond(const Connection& con, value code, std::string_view content_type, std::string body) {
  con->set_status(code);
  if (!content_type.empty()) con->replace_header("Content-Type", std::string(content_type));
  // websocketpp closes the connection after every plain HTTP response. Without saying so, a
  // client keeps it for its next request and, over TLS, may write into it before the close
  // arrives (curl: "Connection died").
  con->replace_header("Connection", "close");
  con->set_body(std::move(body));
}

template <typename Connection>
void respond_xml(const Connection& con, std::string body) {
  respond(con, status::ok, "text/xml", std::move(body));
}

bool is_terminal_status(std::string_view s) {
  return s == "completed" || s == "busy" || s == "failed" || s == "no-answer" || s == "canceled";
}

// A Host header is only echoed into TwiML when it is a plain host[:port].
bool is_plain_host(std::string_view host) {
  if (host.empty() || host.size() > 255) return false;
  for (char c : host) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '-' || c == ':' || c == '[' || c == ']';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

std::string_view request_path(std::string_view resource) {
  return resource.substr(0, resource.find('?'));
}

template <typename Config>
void HttpApi<Config>::handle(const Connection& con) {
  Counters& counters = context_.counters;
  counters.http_requests++;
  std::string resource = con->get_resource();
  std::string_view path = request_path(resource);
  const std::string& method = con->get_request().get_method();
  auto only = [&](std::string_view allowed) {
    if (method == allowed) return true;
    counters.method_not_allowed++;
    respond(con, status::method_not_allowed, "text/plain", "method not allowed\n");
    con->replace_header("Allow", std::string(allowed));
    return false;
  };

  if (path == "/health") {
    if (only("GET")) respond(con, status::ok, "text/plain", "ok");
    return;
  }
  if (path == "/health/details") {
    if (only("GET")) respond(con, status::ok, "application/json", health_details_json(context_));
    return;
  }
  enum class Webhook { kIncomingCall, kCallStatus, kStreamEnded, kStreamStatus };
  Webhook webhook;
  if (path == "/webhook/incoming_call") {
    webhook = Webhook::kIncomingCall;
  } else if (path == "/webhook/call_status") {
    webhook = Webhook::kCallStatus;
  } else if (path == "/webhook/stream_ended") {
    webhook = Webhook::kStreamEnded;
  } else if (path == "/webhook/stream_status") {
    webhook = Webhook::kStreamStatus;
  } else {
    counters.not_found++;
    respond(con, status::not_found, "text/plain", "not found\n");
    return;
  }
  if (!only("POST")) return;
  auto form = FormData::parse(con->get_request_body());
  if (!signature_accepted(con, form)) return;
  switch (webhook) {
    case Webhook::kIncomingCall:
      incoming_call(con, form);
      break;
    case Webhook::kCallStatus:
      call_status(con, form, false);
      break;
    case Webhook::kStreamEnded:
      // The <Connect action> URL: Twilio asks it what to do once the stream has ended.
      call_status(con, form, true);
      break;
    case Webhook::kStreamStatus:
      stream_status(con, form);
      break;
  }
}

template <typename Config>
bool HttpApi<Config>::signature_accepted(const Connection& con,
                                         const std::optional<FormData>& form) {
  // A body that is not a form is checked as one without fields; if the signature holds, the
  // handler then answers 400 for the body itself.
  static const Parameters kNoFields;
  if (request_signed(context_.config.auth_token, con, http_scheme(kSecure),
                     form ? form->fields() : kNoFields)) {
    return true;
  }
  context_.counters.bad_signature_webhooks++;
  respond(con, status::forbidden, "text/plain", "invalid X-Twilio-Signature\n");
  return false;
}

template <typename Config>
std::string HttpApi<Config>::base_url(const Connection& con, std::string_view scheme) const {
  std::string host = con->get_request_header("Host");
  if (!is_plain_host(host)) {
    asio::error_code ec;
    auto local = con->get_raw_socket().local_endpoint(ec);
    host = ec ? "127.0.0.1" : fmt::format("{}:{}", local.address().to_string(), local.port());
  }
  return fmt::format("{}://{}", scheme, host);
}

template <typename Config>
std::optional<std::string_view> HttpApi<Config>::call_sid_or_reject(
    const Connection& con, const std::optional<FormData>& form) {
  auto call_sid = form ? form->get("CallSid") : std::nullopt;
  if (call_sid && !call_sid->empty()) return call_sid;
  context_.counters.bad_form++;
  respond(con, status::bad_request, "text/plain",
          form ? "missing CallSid\n" : "body is not application/x-www-form-urlencoded\n");
  return std::nullopt;
}

template <typename Config>
void HttpApi<Config>::incoming_call(const Connection& con, const std::optional<FormData>& form) {
  Counters& counters = context_.counters;
  counters.webhooks++;
  auto call_sid = call_sid_or_reject(con, form);
  if (!call_sid) return;
  std::vector<std::pair<std::string, std::string>> parameters = {
      {"CallSid", std::string(*call_sid)}};
  for (const char* name : {"From", "To"}) {
    if (auto v = form->get(name)) parameters.emplace_back(name, std::string(*v));
  }
  std::string http_base = base_url(con, http_scheme(kSecure));
  std::string admitted_twiml = connect_twiml(
      base_url(con, ws_scheme(kSecure)) + std::string(kStreamPath),
      http_base + "/webhook/stream_ended", http_base + "/webhook/stream_status", parameters);

  if (context_.config.admit_at != AdmitAt::kWebhook) {
    respond_xml(con, std::move(admitted_twiml));
    return;
  }
  std::string sid(*call_sid);
  if (!context_.ledger.reserve(sid)) {
    // Twilio retried a webhook it already got an answer for: same answer, no second slot.
    counters.duplicate_webhooks++;
    respond_xml(con, std::move(admitted_twiml));
    return;
  }
  con->defer_http_response();
  pending_++;
  context_.pool.admit(sid, [this, con, sid, twiml = std::move(admitted_twiml)](Verdict v) mutable {
    bool admitted = v == Verdict::kAdmitted;
    if (admitted) {
      context_.ledger.admitted(sid, sid);
    } else {
      context_.ledger.unreserve(sid);
      context_.log(fmt::format("call {} outcome=rejected-at-webhook", printable(sid)));
    }
    std::string body = admitted ? std::move(twiml) : rejection_twiml(context_.config.reject_twiml);
    asio::post(io_, [this, con, body = std::move(body)]() mutable {
      respond_xml(con, std::move(body));
      websocketpp::lib::error_code ec;
      con->send_http_response(ec);  // fails harmlessly when the caller gave up
      pending_--;
    });
  });
}

template <typename Config>
void HttpApi<Config>::call_status(const Connection& con, const std::optional<FormData>& form,
                                  bool answer_twiml) {
  Counters& counters = context_.counters;
  counters.status_callbacks++;
  auto call_sid = call_sid_or_reject(con, form);
  if (!call_sid) return;
  auto call_status = form->get("CallStatus");
  // The <Connect action> request has no CallStatus when the call goes on; it is the end of the
  // stream, and the call ends with the Hangup answered below.
  bool ends_call = call_status ? is_terminal_status(*call_status) : answer_twiml;
  if (context_.config.faults.release_on_completed) {
    if (call_status && *call_status == "completed") {
      auto slot = context_.ledger.find(std::string(*call_sid));
      if (!slot || !context_.ledger.end(slot, EndEvent::kStatusCallback)) {
        context_.ledger.release_unheld(std::string(*call_sid));
      }
    }
  } else if (ends_call) {
    auto slot = context_.ledger.find(std::string(*call_sid));
    if (!slot || !context_.ledger.end(slot, EndEvent::kStatusCallback)) {
      counters.status_without_slot++;
    }
  }
  if (answer_twiml) {
    respond_xml(con, hangup_twiml());
  } else {
    respond(con, status::no_content, "", "");
  }
}

// Observability only: a real server releases its slot when the socket closes, not here.
template <typename Config>
void HttpApi<Config>::stream_status(const Connection& con, const std::optional<FormData>& form) {
  Counters& counters = context_.counters;
  auto call_sid = call_sid_or_reject(con, form);
  if (!call_sid) return;
  auto event = form->get("StreamEvent");
  if (!event || event->empty()) {
    counters.bad_form++;
    respond(con, status::bad_request, "text/plain", "missing StreamEvent\n");
    return;
  }
  if (*event == "stream-started") {
    counters.stream_started_callbacks++;
  } else if (*event == "stream-stopped") {
    counters.stream_stopped_callbacks++;
  } else if (*event == "stream-error") {
    counters.stream_error_callbacks++;
    context_.log(fmt::format("call {} stream {} stream-error: {}", printable(*call_sid),
                             printable(form->get("StreamSid").value_or("")),
                             one_line(form->get("StreamError").value_or(""))));
  } else {
    counters.bad_stream_events++;
    respond(con, status::bad_request, "text/plain",
            "StreamEvent is not stream-started, stream-stopped or stream-error\n");
    return;
  }
  respond(con, status::no_content, "", "");
}

template class HttpApi<PlainServerConfig>;
template class HttpApi<TlsServerConfig>;

namespace {

// The speech settings in force and what they did, so a test of callsim's voice metrics can
// compare what callsim measured with what the bot applied.
void write_speech(rapidjson::Writer<rapidjson::StringBuffer>& w, const BotContext& context) {
  const SpeechSettings& speech = context.config.speech;
  const Counters& counters = context.counters;
  w.StartObject();
  w.Key("voiced");
  w.Bool(!context.config.silent);
  w.Key("serving_calls");
  w.Int64(context.serving_calls.load());
  w.Key("greeting");
  w.Bool(speech.greet);
  w.Key("think");
  w.String(speech.think.to_string().c_str());
  w.Key("think_per_call");
  w.String(format_duration(speech.think_per_call).c_str());
  w.Key("think_knee");
  w.Int(speech.think_knee);
  w.Key("tts_speed");
  w.Double(speech.tts_speed);
  w.Key("tts_burst");
  w.Bool(speech.tts_burst);
  w.Key("stall");
  w.String(format_stall(speech).c_str());
  w.Key("clear_delay");
  w.String(format_clear_delay(speech.clear_delay).c_str());
  w.Key("answers");
  w.Uint64(counters.answers.load());
  w.Key("barge_ins");
  w.Uint64(counters.barge_ins.load());
  w.Key("clears_sent");
  w.Uint64(counters.clears_sent.load());
  w.Key("stalls");
  w.Uint64(counters.stalls.load());
  // Read count first: note_think() adds to it last, so max and total cover at least it.
  const uint64_t count = counters.think_applied.load();
  const uint64_t total_ns = counters.think_total_ns.load();
  w.Key("think_applied");
  w.StartObject();
  w.Key("count");
  w.Uint64(count);
  w.Key("max_ms");
  w.Double(static_cast<double>(counters.think_max_ns.load()) / 1e6);
  w.Key("mean_ms");
  w.Double(count == 0 ? 0.0 : static_cast<double>(total_ns) / 1e6 / static_cast<double>(count));
  w.EndObject();
  w.EndObject();
}

}  // namespace

std::string health_details_json(const BotContext& context) {
  const BotConfig& config = context.config;
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("status");
  w.String(context.shutting_down ? "stopping" : "ok");
  w.Key("active_calls");
  w.Int64(context.ledger.active());
  w.Key("max_calls");
  w.Int(config.cap);
  w.Key("open_streams");
  w.Int64(context.open_streams.load());
  w.Key("admission");
  w.String(to_string(config.strategy));
  w.Key("admit_at");
  w.String(to_string(config.admit_at));
  w.Key("faults");
  w.StartArray();
  if (config.faults.leak_on_abrupt_close) w.String("leak-on-abrupt-close");
  if (config.faults.double_release) w.String("double-release");
  if (config.faults.clamp_reset) w.String("clamp-reset");
  if (config.faults.release_on_completed) w.String("release-on-completed");
  if (config.faults.release_delay.count() > 0) {
    w.String(("release-delay=" + format_duration(config.faults.release_delay)).c_str());
  }
  if (config.faults.idle_release.count() > 0) {
    w.String(("idle-release=" + format_duration(config.faults.idle_release)).c_str());
  }
  if (config.faults.early_release.count() > 0) {
    w.String(("early-release=" + format_duration(config.faults.early_release)).c_str());
  }
  if (config.faults.gauge_lag.count() > 0) {
    w.String(("gauge-lag=" + format_duration(config.faults.gauge_lag)).c_str());
  }
  w.EndArray();
  w.Key("tls");
  w.Bool(serves_tls(config));
  w.Key("signatures");
  w.Bool(!config.auth_token.empty());
  w.Key("no_start_timeout");
  w.String(format_duration(config.no_start_timeout).c_str());
  w.Key("speech");
  write_speech(w, context);
  w.Key("counters");
  w.StartObject();
  context.counters.visit([&](const char* name, uint64_t value) {
    w.Key(name);
    w.Uint64(value);
  });
  w.EndObject();
  w.Key("conformance");
  w.StartObject();
  for (size_t i = 0; i < kDeviationKinds; ++i) {
    auto kind = static_cast<Deviation>(i);
    w.Key(to_string(kind));
    w.Uint64(context.counters.deviation(kind));
  }
  w.EndObject();
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace callsim::bot
