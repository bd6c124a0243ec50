#include "bot/form.h"

#include <curl/curl.h>

#include <cctype>

namespace callsim::bot {

namespace {

// '+' means space in form bodies; libcurl's unescape handles the %XX escapes.
std::optional<std::string> form_decode(std::string_view text) {
  std::string spaced(text);
  for (char& c : spaced) {
    if (c == '+') c = ' ';
  }
  auto hex = [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; };
  for (size_t i = 0; i < spaced.size(); ++i) {
    if (spaced[i] != '%') continue;
    if (i + 2 >= spaced.size() || !hex(spaced[i + 1]) || !hex(spaced[i + 2])) return std::nullopt;
    i += 2;
  }
  int length = 0;
  char* raw = curl_easy_unescape(nullptr, spaced.data(), static_cast<int>(spaced.size()), &length);
  if (!raw) return std::nullopt;
  std::string decoded(raw, static_cast<size_t>(length));
  curl_free(raw);
  return decoded;
}

}  // namespace

std::optional<FormData> FormData::parse(std::string_view body) {
  FormData form;
  while (!body.empty()) {
    auto amp = body.find('&');
    std::string_view pair = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view() : body.substr(amp + 1);
    if (pair.empty()) continue;
    auto eq = pair.find('=');
    if (eq == std::string_view::npos) return std::nullopt;
    auto name = form_decode(pair.substr(0, eq));
    auto value = form_decode(pair.substr(eq + 1));
    if (!name || !value || name->empty()) return std::nullopt;
    if (form.fields_.size() == kMaxFields) return std::nullopt;
    form.fields_.emplace_back(std::move(*name), std::move(*value));
  }
  return form;
}

std::optional<std::string_view> FormData::get(std::string_view name) const {
  for (const auto& [key, value] : fields_) {
    if (key == name) return std::string_view(value);
  }
  return std::nullopt;
}

}  // namespace callsim::bot
