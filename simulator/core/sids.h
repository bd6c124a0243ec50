#pragma once

#include <cstdint>
#include <string>

#include "twilio_messages.h"

namespace callsim {

// Deterministic SIDs: the same seed and call index always give the same AC/CA/MZ strings, and
// different calls never share one. The account SID is the same for every call of a run.
class SidGenerator {
 public:
  explicit SidGenerator(uint64_t seed);
  const std::string& account_sid() const { return account_sid_; }
  StreamIdentity for_call(uint64_t call_index) const;

 private:
  uint64_t seed_;
  std::string account_sid_;
};

// Deterministic 64-bit mixing, for anything that must follow from --seed: splitmix64's output for
// state x (golden-ratio increment, then its finaliser), a bijection on 64 bits; mix64(0) is
// 0xe220a8397b1dcdaf, the first output of splitmix64 seeded with 0.
uint64_t mix64(uint64_t x);

// A deterministic draw in [0, 1) from 53 bits of `x` (e.g. mix64 of a seed and a call index).
inline double unit_interval(uint64_t x) {
  return static_cast<double>(x >> 11) * 0x1.0p-53;
}

}  // namespace callsim
