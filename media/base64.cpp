#include "base64.h"

#include <openssl/evp.h>

namespace callsim::media {

std::string base64_encode(const uint8_t* data, size_t size) {
  std::string out(4 * ((size + 2) / 3), '\0');
  int written =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(size));
  out.resize(static_cast<size_t>(written));
  return out;
}

bool base64_decode_into(std::string_view text, std::vector<uint8_t>& out) {
  if (text.size() % 4 != 0) return false;
  out.resize(text.size() / 4 * 3);
  int written = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  if (written < 0) return false;
  // EVP_DecodeBlock keeps the bytes that padding stands for; drop them.
  size_t padding = 0;
  if (!text.empty() && text.back() == '=') ++padding;
  if (text.size() > 1 && text[text.size() - 2] == '=') ++padding;
  out.resize(static_cast<size_t>(written) - padding);
  return true;
}

std::optional<std::vector<uint8_t>> base64_decode(std::string_view text) {
  std::vector<uint8_t> out;
  if (!base64_decode_into(text, out)) return std::nullopt;
  return out;
}

}  // namespace callsim::media
