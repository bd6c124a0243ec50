#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <asio/io_context.hpp>

#include "core/duration.h"
#include "core/http_method.h"

namespace callsim {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;  // name, value

// Why a request produced no usable response. The HTTP status is not an error here: a 500 is a
// response (status 500, error kNone) and the caller decides what it means.
enum class HttpError {
  kNone,
  kTimeout,         // no complete response within the timeout
  kConnection,      // refused, reset, or closed without an answer
  kResolve,         // the host name did not resolve
  kTls,             // handshake or certificate verification failed
  kBodyTooLarge,    // the response body exceeded max_body_bytes
  kHeaderTooLarge,  // one response header line exceeded libcurl's limit (CURL_MAX_HTTP_HEADER)
  kInvalidRequest,  // a malformed URL, a scheme other than http/https, a header with CR/LF
  kOther,
};
const char* to_string(HttpError error);

struct HttpResponse {
  long status = 0;           // HTTP status; 0 when no response arrived
  std::string body;          // empty unless error == kNone
  std::string content_type;  // as the server sent it; "" when absent
  HttpError error = HttpError::kNone;
  std::string error_message;  // one line, libcurl's explanation; "" when error == kNone
  Nanos elapsed{0};           // from post() to completion
};

struct HttpClientOptions {
  Nanos timeout = std::chrono::seconds(15);  // whole request, connect included (Twilio's)
  std::string ca_file;                       // PEM bundle to trust instead of the system's
  bool insecure = false;                     // skip certificate and host name verification
  size_t max_body_bytes = 1 << 20;           // larger response bodies fail with kBodyTooLarge
};

// Asynchronous HTTP/1.1 POSTs and GETs over libcurl's multi-socket interface, driven entirely by
// one asio::io_context: curl's sockets are watched by the reactor and its timeouts by a
// steady_timer, so many concurrent webhooks cost no thread. Only http:// and https:// URLs are
// accepted and redirects are not followed (a 3xx is returned as it is). Not thread-safe: create,
// use and destroy it on the thread that runs the io_context, which must outlive it.
class HttpClient {
 public:
  using Callback = std::function<void(HttpResponse)>;

  // Throws UnreachableError when libcurl cannot be initialised.
  HttpClient(asio::io_context& io, HttpClientOptions options = {});
  // Abandons requests in flight: their callbacks never run.
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Starts a request and returns at once; `done` runs later from the io_context, exactly once
  // (unless the client is destroyed first), never from inside send(). Connections are reused
  // between requests to the same host. A GET sends no body (`body` must be empty). Returns the
  // request's id, for cancel().
  uint64_t send(HttpMethod method, std::string url, HttpHeaders headers, std::string body,
                Callback done);
  // Abandons a request still in flight at once (its connection is closed): its callback never
  // runs. An id that already completed is ignored.
  void cancel(uint64_t request);
  uint64_t post(std::string url, HttpHeaders headers, std::string body, Callback done) {
    return send(HttpMethod::kPost, std::move(url), std::move(headers), std::move(body),
                std::move(done));
  }

  size_t in_flight() const;  // requests whose callback has not run yet

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace callsim
