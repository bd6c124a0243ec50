#include "core/http_method.h"

#include <algorithm>
#include <cctype>

namespace callsim {

const char* to_string(HttpMethod method) {
  return method == HttpMethod::kGet ? "GET" : "POST";
}

std::optional<HttpMethod> parse_http_method(std::string_view text) {
  auto is = [text](std::string_view name) {
    return text.size() == name.size() &&
           std::equal(text.begin(), text.end(), name.begin(), [](char a, char b) {
             return std::toupper(static_cast<unsigned char>(a)) == b;
           });
  };
  if (text.empty() || is("POST")) return HttpMethod::kPost;
  if (is("GET")) return HttpMethod::kGet;
  return std::nullopt;
}

}  // namespace callsim
