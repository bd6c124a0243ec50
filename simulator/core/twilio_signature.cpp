#include "twilio_signature.h"

#include <algorithm>
#include <vector>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "media/base64.h"

namespace callsim {

std::string twilio_signature(std::string_view auth_token, std::string_view url,
                             const Parameters& params) {
  // Twilio's validators sort by name, and repeated names by value (twilio-python sorts each
  // name's values; twilio-node also drops exact duplicates, which only matters if a caller passes
  // the same pair twice). Bytewise order equals code point order for UTF-8.
  std::vector<const Parameters::value_type*> sorted;
  sorted.reserve(params.size());
  for (const auto& param : params) sorted.push_back(&param);
  std::sort(sorted.begin(), sorted.end(), [](const auto* a, const auto* b) { return *a < *b; });

  std::string data(url);
  for (const auto* param : sorted) data.append(param->first).append(param->second);

  static const unsigned char kEmptyKey = 0;
  const auto* key =
      auth_token.empty() ? &kEmptyKey : reinterpret_cast<const unsigned char*>(auth_token.data());
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_size = 0;
  HMAC(EVP_sha1(), key, static_cast<int>(auth_token.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest, &digest_size);
  return media::base64_encode(digest, digest_size);
}

}  // namespace callsim
