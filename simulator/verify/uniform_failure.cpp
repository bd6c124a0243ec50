#include "verify/uniform_failure.h"

#include <fmt/format.h>

namespace callsim {

namespace {

bool is_webhook(const CallRecord& c) {
  return c.error.rfind("webhook", 0) == 0;
}

// Where a handshake timeout stalled, as the worker words it ("TLS handshake did not complete
// within 1s").
bool stalled_in(const CallRecord& c, const char* phase) {
  return c.error.rfind(phase, 0) == 0;
}

bool not_http(const CallRecord& c) {
  return c.error.find("is not an HTTP response") != std::string::npos;
}

std::string failure_class(const CallRecord& c) {
  if (c.http_status != 0) {
    return fmt::format("{} answered HTTP {}", is_webhook(c) ? "the voice webhook" : "upgrade",
                       c.http_status);
  }
  switch (c.outcome) {
    case Outcome::kRefused:
      return "connection refused";
    case Outcome::kHandshakeTimeout:
      if (stalled_in(c, "TCP connect")) return "no TCP connection (handshake timeout)";
      if (stalled_in(c, "TLS handshake")) return "no TLS handshake (handshake timeout)";
      return "no upgrade answer (handshake timeout)";
    case Outcome::kTlsError:
      return "TLS handshake failed";
    case Outcome::kProtocolError:
      if (not_http(c)) return "the answer to the upgrade is not HTTP";
      return to_string(c.outcome);
    default:
      return to_string(c.outcome);
  }
}

std::string hint_for(const CallRecord& c) {
  if (c.http_status == 404)
    return is_webhook(c) ? "check the --webhook URL" : "check the --url path";
  if (c.http_status == 401 || c.http_status == 403) {
    return "a server that validates X-Twilio-Signature needs the same auth token "
           "(--auth-token-env) and signs over the URL it sees (scheme, host, port, path)";
  }
  if (c.http_status != 0) return "check the --url: the server does not upgrade it";
  switch (c.outcome) {
    case Outcome::kRefused:
      return "is the server running, and on the --url's host and port?";
    case Outcome::kHandshakeTimeout:
      if (stalled_in(c, "TCP connect")) {
        return "nothing accepted the connection: is the --url's host reachable, or does a "
               "firewall drop it? (--handshake-timeout)";
      }
      if (stalled_in(c, "TLS handshake")) {
        return "the server accepted the connection but never answered TLS: does the --url's port "
               "speak TLS? (--handshake-timeout)";
      }
      return "the server accepted the connection but never answered the upgrade "
             "(--handshake-timeout)";
    case Outcome::kTlsError:
      return "check the certificate and the --url scheme (wss:// needs a TLS server)";
    case Outcome::kProtocolError:
      if (not_http(c)) {
        return "the --url's port speaks another protocol (or TLS to a ws:// URL): check its "
               "port and scheme";
      }
      return c.error.empty() ? "" : "the first call's error: " + c.error;
    default:
      return "";
  }
}

}  // namespace

std::optional<UniformFailure> diagnose_uniform_failure(const std::vector<CallRecord>& calls) {
  if (calls.empty()) return std::nullopt;
  const CallRecord& first = calls.front();
  const bool setup_failure =
      first.outcome == Outcome::kRefused || first.outcome == Outcome::kHandshakeTimeout ||
      first.outcome == Outcome::kTlsError ||
      (first.outcome == Outcome::kProtocolError && first.upgraded == TimePoint{});
  if (!setup_failure) return std::nullopt;
  const std::string cls = failure_class(first);
  for (const CallRecord& c : calls) {
    if (c.admitted() || c.outcome != first.outcome || c.http_status != first.http_status ||
        c.upgraded != TimePoint{}) {
      return std::nullopt;
    }
  }
  UniformFailure f;
  f.message = fmt::format("all {} calls failed before admission: {}", calls.size(), cls);
  f.hint = hint_for(first);
  return f;
}

}  // namespace callsim
