#include <cmath>
#include <mutex>

#include <curl/curl.h>
#include <fmt/format.h>
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/pointer.h>

#include "core/errors.h"
#include "gauge/gauge_reader.h"

namespace callsim {

namespace {

// A health endpoint answers with a small document; anything larger is not what we asked for.
constexpr size_t kMaxBody = 1 << 20;

size_t append_body(char* data, size_t size, size_t count, void* user) {
  auto* body = static_cast<std::string*>(user);
  size_t bytes = size * count;
  if (body->size() + bytes > kMaxBody) return 0;  // makes curl fail with CURLE_WRITE_ERROR
  body->append(data, bytes);
  return bytes;
}

void init_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

}  // namespace

GaugeReading parse_json_gauge(const std::string& body, const std::string& pointer) {
  GaugeReading out;
  rapidjson::Document doc;
  // Iterative: a hostile endpoint's deep nesting costs heap, never the sampling thread's stack.
  doc.Parse<rapidjson::kParseIterativeFlag>(body.c_str(), body.size());
  if (doc.HasParseError()) {
    out.error = fmt::format("the response is not JSON ({} at offset {})",
                            rapidjson::GetParseError_En(doc.GetParseError()), doc.GetErrorOffset());
    return out;
  }
  rapidjson::Pointer ptr(pointer.c_str(), pointer.size());
  if (!ptr.IsValid()) {
    out.error = fmt::format("'{}' is not a valid JSON pointer", pointer);
    return out;
  }
  const rapidjson::Value* v = ptr.Get(doc);
  if (!v) {
    out.error = fmt::format("the response has nothing at {}", pointer);
  } else if (v->IsInt64()) {
    out.value = v->GetInt64();
  } else if (v->IsDouble() && std::isfinite(v->GetDouble()) &&
             v->GetDouble() == std::floor(v->GetDouble()) && std::fabs(v->GetDouble()) < 9e15) {
    out.value = static_cast<int64_t>(v->GetDouble());
  } else {
    out.error = fmt::format("the value at {} is not an integer", pointer);
  }
  return out;
}

HttpGaugeReader::HttpGaugeReader(GaugeSpec spec, Nanos timeout)
    : spec_(std::move(spec)), timeout_(timeout) {
  init_curl_once();
  CURL* curl = curl_easy_init();
  if (!curl) throw UnreachableError("cannot initialise libcurl for the HTTP gauge");
  curl_ = curl;
  long timeout_ms =
      static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(timeout_).count());
  curl_easy_setopt(curl, CURLOPT_URL, spec_.http_url.c_str());
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);  // timeouts without SIGALRM: we are threaded
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, append_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body_);
}

HttpGaugeReader::~HttpGaugeReader() {
  curl_easy_cleanup(static_cast<CURL*>(curl_));
}

GaugeReading HttpGaugeReader::read() {
  CURL* curl = static_cast<CURL*>(curl_);
  body_.clear();
  CURLcode rc = curl_easy_perform(curl);
  GaugeReading out;
  if (rc != CURLE_OK) {
    out.error = rc == CURLE_WRITE_ERROR ? fmt::format("response larger than {} bytes", kMaxBody)
                                        : std::string(curl_easy_strerror(rc));
    return out;
  }
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  if (status != 200) {
    out.error = fmt::format("HTTP status {}", status);
    return out;
  }
  return parse_json_gauge(body_, spec_.json_pointer);
}

void HttpGaugeReader::verify() {
  GaugeReading reading = read();
  if (!reading.value) {
    throw UnreachableError(fmt::format("HTTP gauge {}: {}", spec_.display(), reading.error));
  }
}

}  // namespace callsim
