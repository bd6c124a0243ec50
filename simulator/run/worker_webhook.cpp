// The voice webhook phase of a call, as Twilio runs it before any WebSocket: POST the webhook,
// follow the TwiML (<Connect><Stream>, <Reject>/<Hangup>, <Redirect>), and POST the call's status
// once it has ended.
#include <chrono>

#include <fmt/format.h>

#include "core/sids.h"
#include "core/twiml.h"
#include "core/url.h"
#include "core/webhook_request.h"
#include "run/basic_worker.h"

namespace callsim {

namespace {

// Twilio gives up on a chain of <Redirect>s; so does callsim, and calls the loop a protocol error.
constexpr int kMaxRedirects = 5;

// The Twilio error a stream that never ran reports in its stream-error callback (fact sheet §8).
const char* twilio_stream_error(Outcome outcome) {
  switch (outcome) {
    case Outcome::kRejected:
    case Outcome::kProtocolError:
      return "31920 WebSocket - Handshake Error";
    case Outcome::kHandshakeTimeout:
      return "31901 WebSocket - Connection Timeout";
    case Outcome::kRefused:
      return "31902 WebSocket - Connection Refused";
    case Outcome::kTlsError:
      return "31910 WebSocket - SSL Protocol Error";
    default:
      return "31900 Stream - Unknown Error";
  }
}

CallParties parties_for(const CallSettings& settings, uint64_t index) {
  return CallParties{settings.from_numbers->number_for(index),
                     settings.to_numbers->number_for(index)};
}

}  // namespace

template <typename Client>
void BasicWorker<Client>::post_webhook(uint32_t slot, const std::string& url, HttpMethod method,
                                       int redirects) {
  Call& call = *slots_[slot];
  uint64_t index = call.record.index;
  WebhookRequest request = build_webhook_request(
      method, url, voice_webhook_params(call.record.ids, parties_for(settings_, index)),
      settings_.auth_token, idempotency_token(call.record.ids.call_sid, redirects + 1));
  ++stats_.webhooks_posted;
  call.webhook_request =
      http_->send(request.method, request.url, request.headers, request.body,
                  [this, slot, index, url, redirects](HttpResponse response) {
                    on_webhook_answer(slot, index, url, redirects, std::move(response));
                  });
}

template <typename Client>
void BasicWorker<Client>::on_webhook_answer(uint32_t slot, uint64_t index, const std::string& url,
                                            int redirects, HttpResponse response) {
  Call& call = *slots_[slot];
  // The call may have ended meanwhile (SIGINT) and its slot gone to another.
  if (call.state != Call::State::kWebhook || call.record.index != index) return;
  TimePoint now = clock_.now();
  if (response.error != HttpError::kNone) {
    call.record.error = fmt::format("webhook {}: {}", url, response.error_message);
    finish(slot, Outcome::kProtocolError, now);
    return;
  }
  if (response.status != 200) {
    call.record.error = fmt::format("webhook {} answered HTTP {}", url, response.status);
    call.record.http_status = static_cast<int>(response.status);
    finish(slot, Outcome::kProtocolError, now);
    return;
  }
  TwimlDecision decision = parse_twiml(response.body, url);
  switch (decision.action) {
    case TwimlAction::kRedirect:
      if (redirects >= kMaxRedirects) {
        call.record.error = fmt::format("TwiML redirected more than {} times (last to {})",
                                        kMaxRedirects, decision.redirect_url);
        finish(slot, Outcome::kProtocolError, now);
      } else {
        post_webhook(slot, decision.redirect_url, decision.redirect_method, redirects + 1);
      }
      return;
    case TwimlAction::kProtocolError:
      call.record.error = "TwiML: " + decision.error;
      finish(slot, Outcome::kProtocolError, now);
      return;
    case TwimlAction::kRejected:
      call.webhook_answered = true;
      call.final_call_status = final_call_status(decision);
      call.record.reject_kind = RejectKind::kTwiml;
      call.record.reject_detail = to_string(decision.ending_verb);
      if (!decision.reject_reason.empty())
        call.record.reject_detail += ": " + decision.reject_reason;
      if (!decision.say_text.empty()) call.record.reject_detail += ": " + decision.say_text;
      call.record.hung_up = now;
      finish(slot, Outcome::kRejected, now);
      return;
    case TwimlAction::kStream:
      break;
  }
  call.webhook_answered = true;
  call.record.admission_confirmed = now;
  call.status_callback_url = decision.stream.connect_action;
  call.status_callback_method = decision.stream.connect_method;
  call.stream_parameters = decision.stream.parameters;
  call.stream_url_as_written = decision.stream.url;
  call.stream_name = decision.stream.name;
  call.stream_callback_url = decision.stream.status_callback;
  call.stream_callback_method = decision.stream.status_callback_method;
  if (unit_interval(mix64(settings_.seed ^ mix64(index + 7))) < settings_.skip_stream_ratio) {
    call.record.error = "stream never opened (--skip-stream-ratio)";
    call.record.hung_up = now;
    finish(slot, Outcome::kDropped, now);
    return;
  }
  bool secure_stream = url_scheme(decision.stream.url) == "wss";
  if (secure_stream != std::is_same_v<Client, WssClient>) {
    call.record.error =
        fmt::format("TwiML stream URL {} has a different scheme than the webhook ({} expects {})",
                    decision.stream.url, settings_.webhook_url, secure_stream ? "ws://" : "wss://");
    finish(slot, Outcome::kProtocolError, now);
    return;
  }
  // Twilio strips a query string before connecting (fact sheet §2.1).
  open_stream(slot, with_lower_case_scheme(without_query(decision.stream.url)), now);
}

template <typename Client>
void BasicWorker<Client>::post_status_callback(Call& call, TimePoint now) {
  if (!call.webhook_answered || !settings_.status_callbacks) return;
  const bool configured = !settings_.status_callback_url.empty();
  const std::string& url = configured ? settings_.status_callback_url : call.status_callback_url;
  if (url.empty()) return;
  CallCompletion completion;
  completion.call_status = call.final_call_status;
  TimePoint answered =
      call.record.admission_confirmed != TimePoint{} ? call.record.admission_confirmed : now;
  completion.duration = call.record.released_at() - answered;
  completion.ended_at = std::chrono::system_clock::now();
  post_callback(configured ? HttpMethod::kPost : call.status_callback_method, url,
                status_callback_params(call.record.ids, parties_for(settings_, call.record.index),
                                       completion),
                100, call.record.ids, stats_.status_callbacks_posted,
                stats_.status_callbacks_failed);
}

template <typename Client>
void BasicWorker<Client>::post_stream_event(Call& call, StreamEvent event) {
  if (call.stream_callback_url.empty()) return;
  std::string error;
  if (event == StreamEvent::kError) error = twilio_stream_error(call.record.outcome);
  post_callback(call.stream_callback_method, call.stream_callback_url,
                stream_status_params(call.record.ids, call.stream_name, event, error,
                                     std::chrono::system_clock::now()),
                200 + static_cast<uint64_t>(event), call.record.ids, stats_.stream_callbacks_posted,
                stats_.stream_callbacks_failed);
}

template <typename Client>
void BasicWorker<Client>::post_callback(HttpMethod method, const std::string& url,
                                        const Parameters& params, uint64_t request_number,
                                        const StreamIdentity& ids, uint64_t& posted,
                                        uint64_t& failed) {
  WebhookRequest request = build_webhook_request(method, url, params, settings_.auth_token,
                                                 idempotency_token(ids.call_sid, request_number));
  ++posted;
  // The counters live in stats_, which outlives every request this worker's client runs.
  http_->send(request.method, request.url, request.headers, request.body,
              [this, &failed, url = request.url](HttpResponse response) {
                if (response.error == HttpError::kNone && response.status < 400) return;
                ++failed;
                if (!stats_.first_callback_failure.empty()) return;
                stats_.first_callback_failure =
                    response.error != HttpError::kNone
                        ? fmt::format("{}: {}", url, response.error_message)
                        : fmt::format("{} answered HTTP {}", url, response.status);
              });
}

#define CALLSIM_INSTANTIATE_WEBHOOK(Client)                                                       \
  template void BasicWorker<Client>::post_webhook(uint32_t, const std::string&, HttpMethod, int); \
  template void BasicWorker<Client>::on_webhook_answer(uint32_t, uint64_t, const std::string&,    \
                                                       int, HttpResponse);                        \
  template void BasicWorker<Client>::post_status_callback(Call&, TimePoint);                      \
  template void BasicWorker<Client>::post_stream_event(Call&, StreamEvent);
CALLSIM_INSTANTIATE_WEBHOOK(WsClient)
CALLSIM_INSTANTIATE_WEBHOOK(WssClient)

}  // namespace callsim
