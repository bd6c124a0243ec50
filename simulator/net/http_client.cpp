#include "net/http_client.h"

#include <fcntl.h>
#include <unistd.h>

#include <mutex>
#include <unordered_map>
#include <unordered_set>

#include <curl/curl.h>
#include <fmt/format.h>
#include <asio/posix/stream_descriptor.hpp>
#include <asio/post.hpp>
#include <asio/steady_timer.hpp>

#include "core/errors.h"

namespace callsim {
namespace {

using Clock = std::chrono::steady_clock;

void init_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

bool has_line_break(const std::string& text) {
  return text.find_first_of(std::string("\r\n\0", 3)) != std::string::npos;
}

std::string printable(std::string text) {
  for (char& c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = '?';
  }
  return text;
}

HttpError classify(CURLcode code, bool body_too_large) {
  switch (code) {
    case CURLE_OK:
      return HttpError::kNone;
    case CURLE_OPERATION_TIMEDOUT:
      return HttpError::kTimeout;
    case CURLE_COULDNT_CONNECT:
    case CURLE_GOT_NOTHING:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_PARTIAL_FILE:
      return HttpError::kConnection;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      return HttpError::kResolve;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_USE_SSL_FAILED:
      return HttpError::kTls;
    case CURLE_FILESIZE_EXCEEDED:
      return HttpError::kBodyTooLarge;
    // The one allocation limit a server can make libcurl hit: a header line longer than
    // CURL_MAX_HTTP_HEADER ("Out of memory" in libcurl's words; CURLE_TOO_LARGE since 8.6).
    case CURLE_OUT_OF_MEMORY:
#if LIBCURL_VERSION_NUM >= 0x080600
    case CURLE_TOO_LARGE:
#endif
      return HttpError::kHeaderTooLarge;
    case CURLE_WRITE_ERROR:
      return body_too_large ? HttpError::kBodyTooLarge : HttpError::kOther;
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      return HttpError::kInvalidRequest;
    default:
      return HttpError::kOther;
  }
}

// One request, from post() until its callback has run.
struct Request {
  uint64_t id = 0;
  CURL* easy = nullptr;
  HttpMethod method = HttpMethod::kPost;
  curl_slist* header_list = nullptr;
  std::string url;
  std::string body;
  std::string response_body;
  size_t max_body_bytes = 0;
  bool body_too_large = false;
  char error_buffer[CURL_ERROR_SIZE] = {};
  Clock::time_point started = Clock::now();
  HttpClient::Callback done;

  ~Request() {
    if (easy) curl_easy_cleanup(easy);
    curl_slist_free_all(header_list);
  }
};

size_t append_body(char* data, size_t size, size_t count, void* user) {
  auto* request = static_cast<Request*>(user);
  const size_t bytes = size * count;
  if (request->response_body.size() + bytes > request->max_body_bytes) {
    request->body_too_large = true;
    return 0;  // anything but `bytes` makes curl fail the transfer with CURLE_WRITE_ERROR
  }
  request->response_body.append(data, bytes);
  return bytes;
}

// A socket curl asked us to watch. The descriptor holds a duplicate of curl's socket: curl
// closes its own, and the duplicate keeps asio's epoll registration from ever referring to a
// number the kernel has handed to a newer socket.
struct Watch {
  explicit Watch(asio::io_context& io) : descriptor(io) {}
  asio::posix::stream_descriptor descriptor;
  int wanted = 0;  // CURL_POLL_IN / CURL_POLL_OUT bits, as curl last said
  bool reading = false;
  bool writing = false;
};

}  // namespace

const char* to_string(HttpError error) {
  switch (error) {
    case HttpError::kNone:
      return "none";
    case HttpError::kTimeout:
      return "timeout";
    case HttpError::kConnection:
      return "connection";
    case HttpError::kResolve:
      return "resolve";
    case HttpError::kTls:
      return "tls";
    case HttpError::kBodyTooLarge:
      return "body-too-large";
    case HttpError::kHeaderTooLarge:
      return "header-too-large";
    case HttpError::kInvalidRequest:
      return "invalid-request";
    case HttpError::kOther:
      return "other";
  }
  return "?";
}

struct HttpClient::Impl : std::enable_shared_from_this<Impl> {
  Impl(asio::io_context& context, HttpClientOptions client_options)
      : io(context), options(std::move(client_options)), timer(context) {}
  ~Impl() { shutdown(); }

  asio::io_context& io;
  HttpClientOptions options;
  CURLM* multi = nullptr;
  asio::steady_timer timer;
  std::unordered_map<curl_socket_t, std::shared_ptr<Watch>> watches;
  std::unordered_map<CURL*, std::unique_ptr<Request>> requests;
  std::unordered_map<uint64_t, CURL*> easy_by_id;
  uint64_t last_id = 0;
  size_t failing_early = 0;  // requests that never reached curl, their callback posted
  std::unordered_set<uint64_t> cancelled_early;  // of those, cancelled before their callback
  bool closed = false;

  void start() {
    multi = curl_multi_init();
    if (!multi) throw UnreachableError("cannot initialise libcurl's multi interface");
    curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, &Impl::on_socket);
    curl_multi_setopt(multi, CURLMOPT_SOCKETDATA, this);
    curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, &Impl::on_timer);
    curl_multi_setopt(multi, CURLMOPT_TIMERDATA, this);
  }

  void shutdown() {
    if (closed) return;
    closed = true;
    timer.cancel();
    if (multi) {
      for (auto& entry : requests) curl_multi_remove_handle(multi, entry.first);
      requests.clear();
      easy_by_id.clear();
      curl_multi_cleanup(multi);  // closes cached connections, telling on_socket
      multi = nullptr;
    }
    watches.clear();
  }

  uint64_t send(HttpMethod method, std::string url, HttpHeaders headers, std::string body,
                Callback done) {
    auto request = std::make_unique<Request>();
    const uint64_t id = request->id = ++last_id;
    request->method = method;
    request->url = std::move(url);
    request->body = std::move(body);
    request->max_body_bytes = options.max_body_bytes;
    request->done = std::move(done);
    for (const auto& [name, value] : headers) {
      if (name.empty() || name.find(':') != std::string::npos || has_line_break(name) ||
          has_line_break(value)) {
        fail_early(std::move(request), HttpError::kInvalidRequest,
                   fmt::format("header '{}' has an empty or malformed name, or a line "
                               "break in its value",
                               printable(name.substr(0, 60))));
        return id;
      }
      // "Name:" would tell curl to drop a header it adds itself; "Name;" sends it empty.
      const std::string line = value.empty() ? name + ";" : name + ": " + value;
      request->header_list = curl_slist_append(request->header_list, line.c_str());
    }
    // curl would otherwise wait for "100 Continue" before sending larger bodies.
    request->header_list = curl_slist_append(request->header_list, "Expect:");
    request->easy = curl_easy_init();
    if (!request->easy || !request->header_list) {
      fail_early(std::move(request), HttpError::kOther, "libcurl could not allocate a request");
      return id;
    }
    if (!configure(*request)) {
      fail_early(std::move(request), HttpError::kOther, "libcurl rejected the request's options");
      return id;
    }
    CURL* easy = request->easy;
    if (curl_multi_add_handle(multi, easy) != CURLM_OK) {
      fail_early(std::move(request), HttpError::kOther, "libcurl could not start the request");
      return id;
    }
    requests.emplace(easy, std::move(request));
    easy_by_id.emplace(id, easy);
    return id;
  }

  void cancel(uint64_t id) {
    auto found = easy_by_id.find(id);
    if (found == easy_by_id.end()) {
      if (id > 0 && id <= last_id && failing_early > 0) cancelled_early.insert(id);
      return;
    }
    CURL* easy = found->second;
    easy_by_id.erase(found);
    // Outside curl's callbacks (the io_context runs this): curl closes the transfer's connection
    // and tells on_socket to stop watching it.
    curl_multi_remove_handle(multi, easy);
    requests.erase(easy);
  }

  bool configure(Request& request) {
    CURL* easy = request.easy;
    const long timeout_ms = static_cast<long>(
        std::chrono::duration_cast<std::chrono::milliseconds>(options.timeout).count());
    bool ok = true;
    const auto set = [&ok](CURLcode code) { ok = ok && code == CURLE_OK; };
    set(curl_easy_setopt(easy, CURLOPT_URL, request.url.c_str()));
    set(curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https"));
    set(curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L));
    set(curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1));
    if (request.method == HttpMethod::kGet) {
      set(curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L));
    } else {
      set(curl_easy_setopt(easy, CURLOPT_POST, 1L));
      set(curl_easy_setopt(easy, CURLOPT_POSTFIELDS, request.body.data()));
      set(curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE,
                           static_cast<curl_off_t>(request.body.size())));
    }
    set(curl_easy_setopt(easy, CURLOPT_HTTPHEADER, request.header_list));
    set(curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &append_body));
    set(curl_easy_setopt(easy, CURLOPT_WRITEDATA, &request));
    set(curl_easy_setopt(easy, CURLOPT_MAXFILESIZE_LARGE,
                         static_cast<curl_off_t>(options.max_body_bytes)));
    set(curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, request.error_buffer));
    set(curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L));
    set(curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, timeout_ms));
    set(curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms));
    set(curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, options.insecure ? 0L : 1L));
    set(curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, options.insecure ? 0L : 2L));
    if (!options.ca_file.empty())
      set(curl_easy_setopt(easy, CURLOPT_CAINFO, options.ca_file.c_str()));
    set(curl_easy_setopt(easy, CURLOPT_PRIVATE, &request));
    return ok;
  }

  // Completes a request that never reached curl, later and from the io_context like any other.
  void fail_early(std::unique_ptr<Request> request, HttpError error, std::string message) {
    ++failing_early;
    std::shared_ptr<Request> shared(std::move(request));
    asio::post(io, [weak = weak_from_this(), shared, error, message = std::move(message)] {
      auto self = weak.lock();
      if (!self || self->closed) return;
      --self->failing_early;
      if (self->cancelled_early.erase(shared->id) > 0) return;
      HttpResponse response;
      response.error = error;
      response.error_message = message;
      response.elapsed = Clock::now() - shared->started;
      shared->done(std::move(response));
    });
  }

  static int on_socket(CURL*, curl_socket_t socket, int what, void* user, void*) {
    return static_cast<Impl*>(user)->watch(socket, what);
  }

  int watch(curl_socket_t socket, int what) {
    if (what == CURL_POLL_REMOVE) {
      watches.erase(socket);  // closes our duplicate; pending waits end with operation_aborted
      return 0;
    }
    std::shared_ptr<Watch>& entry = watches[socket];
    if (!entry) {
      const int copy = fcntl(socket, F_DUPFD_CLOEXEC, 0);
      if (copy < 0) {
        watches.erase(socket);
        return -1;  // fails the transfer
      }
      auto fresh = std::make_shared<Watch>(io);
      std::error_code ec;
      fresh->descriptor.assign(copy, ec);
      if (ec) {
        ::close(copy);
        watches.erase(socket);
        return -1;
      }
      entry = std::move(fresh);
    }
    entry->wanted = what;
    arm(socket, entry);
    return 0;
  }

  void arm(curl_socket_t socket, const std::shared_ptr<Watch>& watch) {
    if ((watch->wanted & CURL_POLL_IN) && !watch->reading) {
      watch->reading = true;
      wait(socket, watch, asio::posix::descriptor_base::wait_read, CURL_CSELECT_IN);
    }
    if ((watch->wanted & CURL_POLL_OUT) && !watch->writing) {
      watch->writing = true;
      wait(socket, watch, asio::posix::descriptor_base::wait_write, CURL_CSELECT_OUT);
    }
  }

  void wait(curl_socket_t socket, const std::shared_ptr<Watch>& watch,
            asio::posix::descriptor_base::wait_type type, int direction) {
    watch->descriptor.async_wait(
        type, [weak = weak_from_this(), weak_watch = std::weak_ptr<Watch>(watch), socket,
               direction](const std::error_code& ec) {
          auto self = weak.lock();
          auto watch = weak_watch.lock();
          if (!self || self->closed || !watch) return;
          bool& pending = direction == CURL_CSELECT_IN ? watch->reading : watch->writing;
          pending = false;
          if (ec == asio::error::operation_aborted) return;
          const int poll_bit = direction == CURL_CSELECT_IN ? CURL_POLL_IN : CURL_POLL_OUT;
          if (!ec && !(watch->wanted & poll_bit)) return;  // curl no longer waits for this
          self->act(socket, ec ? CURL_CSELECT_ERR : direction);
          // After an error curl decides what happens to the socket; waiting again on a broken
          // descriptor would only fail again at once.
          if (ec || self->closed) return;
          auto it = self->watches.find(socket);
          if (it != self->watches.end() && it->second == watch) self->arm(socket, watch);
        });
  }

  static int on_timer(CURLM*, long timeout_ms, void* user) {
    static_cast<Impl*>(user)->schedule(timeout_ms);
    return 0;
  }

  // Never calls curl from here: curl forbids re-entering it from its own callbacks.
  void schedule(long timeout_ms) {
    if (timeout_ms < 0) {
      timer.cancel();
      return;
    }
    timer.expires_after(std::chrono::milliseconds(timeout_ms));
    timer.async_wait([weak = weak_from_this()](const std::error_code& ec) {
      auto self = weak.lock();
      if (ec || !self || self->closed) return;
      self->act(CURL_SOCKET_TIMEOUT, 0);
    });
  }

  void act(curl_socket_t socket, int events) {
    int running = 0;
    curl_multi_socket_action(multi, socket, events, &running);
    finish_completed();
  }

  void finish_completed() {
    std::vector<std::pair<std::unique_ptr<Request>, HttpResponse>> finished;
    int queued = 0;
    while (CURLMsg* message = curl_multi_info_read(multi, &queued)) {
      if (message->msg != CURLMSG_DONE) continue;
      CURL* easy = message->easy_handle;
      const CURLcode result = message->data.result;
      auto it = requests.find(easy);
      if (it == requests.end()) continue;
      std::unique_ptr<Request> request = std::move(it->second);
      requests.erase(it);
      easy_by_id.erase(request->id);
      curl_multi_remove_handle(multi, easy);
      HttpResponse response = make_response(*request, result);
      finished.emplace_back(std::move(request), std::move(response));
    }
    // A callback may destroy the client; this keeps the rest of the loop safe.
    auto keep_alive = shared_from_this();
    for (auto& [request, response] : finished) {
      if (closed) break;  // the client was destroyed by an earlier callback
      request->done(std::move(response));
    }
  }

  HttpResponse make_response(Request& request, CURLcode result) {
    HttpResponse response;
    response.elapsed = Clock::now() - request.started;
    curl_easy_getinfo(request.easy, CURLINFO_RESPONSE_CODE, &response.status);
    const char* content_type = nullptr;
    curl_easy_getinfo(request.easy, CURLINFO_CONTENT_TYPE, &content_type);
    if (content_type) response.content_type = content_type;
    response.error = classify(result, request.body_too_large);
    if (response.error == HttpError::kNone) {
      response.body = std::move(request.response_body);
    } else if (response.error == HttpError::kBodyTooLarge) {
      response.error_message =
          fmt::format("response body larger than {} bytes", options.max_body_bytes);
    } else if (response.error == HttpError::kHeaderTooLarge) {
      response.error_message =
          fmt::format("response header larger than {} bytes (libcurl's limit for one header)",
                      CURL_MAX_HTTP_HEADER);
    } else {
      response.error_message =
          request.error_buffer[0] ? request.error_buffer : curl_easy_strerror(result);
    }
    return response;
  }
};

HttpClient::HttpClient(asio::io_context& io, HttpClientOptions options)
    : impl_(std::make_shared<Impl>(io, std::move(options))) {
  init_curl_once();
  impl_->start();
}

HttpClient::~HttpClient() {
  impl_->shutdown();
}

uint64_t HttpClient::send(HttpMethod method, std::string url, HttpHeaders headers, std::string body,
                          Callback done) {
  return impl_->send(method, std::move(url), std::move(headers), std::move(body), std::move(done));
}

void HttpClient::cancel(uint64_t request) {
  impl_->cancel(request);
}

size_t HttpClient::in_flight() const {
  return impl_->requests.size() + impl_->failing_early;
}

}  // namespace callsim
