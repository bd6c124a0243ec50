#include "sids.h"

namespace callsim {
namespace {

// Distinct odd constants per SID kind, so the three kinds draw from unrelated sequences.
constexpr uint64_t kAccountSalt = 0x243F6A8885A308D3ULL;
constexpr uint64_t kCallSalt = 0x13198A2E03707345ULL;
constexpr uint64_t kStreamSalt = 0xA4093822299F31D1ULL;
constexpr uint64_t kSecondWordSalt = 0x082EFA98EC4E6C89ULL;
constexpr uint64_t kGolden = 0x9E3779B97F4A7C15ULL;

void append_hex(std::string& out, uint64_t word) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (int shift = 60; shift >= 0; shift -= 4) out.push_back(kHex[(word >> shift) & 0xF]);
}

// The first word is mix64 of an affine, hence bijective, function of the index, and mix64 is
// itself a bijection: two calls of one run can never share a SID, not just rarely.
std::string make_sid(const char* prefix, uint64_t seed, uint64_t salt, uint64_t index) {
  const uint64_t key = mix64(seed ^ salt);
  const uint64_t first = mix64(key + index * kGolden);
  const uint64_t second = mix64(first ^ key ^ kSecondWordSalt);
  std::string sid;
  sid.reserve(34);
  sid.append(prefix);
  append_hex(sid, first);
  append_hex(sid, second);
  return sid;
}

}  // namespace

uint64_t mix64(uint64_t x) {
  uint64_t z = x + kGolden;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

SidGenerator::SidGenerator(uint64_t seed)
    : seed_(seed), account_sid_(make_sid("AC", seed, kAccountSalt, 0)) {}

StreamIdentity SidGenerator::for_call(uint64_t call_index) const {
  StreamIdentity ids;
  ids.account_sid = account_sid_;
  ids.call_sid = make_sid("CA", seed_, kCallSalt, call_index);
  ids.stream_sid = make_sid("MZ", seed_, kStreamSalt, call_index);
  return ids;
}

}  // namespace callsim
