#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace callsim::media {

// Standard base64 (RFC 4648, with padding), as Twilio uses for media payloads; OpenSSL does the
// work.
std::string base64_encode(const uint8_t* data, size_t size);
inline std::string base64_encode(std::string_view bytes) {
  return base64_encode(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
}

// nullopt when the text is not valid padded base64.
std::optional<std::vector<uint8_t>> base64_decode(std::string_view text);
// The same into `out`, whose capacity is reused (no allocation once it has grown to the largest
// payload); false, with `out` unspecified, when the text is not valid padded base64.
bool base64_decode_into(std::string_view text, std::vector<uint8_t>& out);

}  // namespace callsim::media
