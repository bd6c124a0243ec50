#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace callsim::bot {

// An application/x-www-form-urlencoded body, as Twilio posts its webhooks.
class FormData {
 public:
  // nullopt when the body is not well-formed: a bad percent escape, a field without '=',
  // or more than kMaxFields fields.
  static std::optional<FormData> parse(std::string_view body);
  static constexpr size_t kMaxFields = 256;

  // The first value of the field, if present.
  std::optional<std::string_view> get(std::string_view name) const;
  const std::vector<std::pair<std::string, std::string>>& fields() const { return fields_; }

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

}  // namespace callsim::bot
