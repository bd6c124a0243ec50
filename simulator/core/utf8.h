#pragma once

#include <string>
#include <string_view>

namespace callsim {

// Makes arbitrary bytes valid UTF-8, as JSON requires of the report: valid text passes
// unchanged, and each maximal ill-formed subsequence becomes U+FFFD (the practice of Unicode
// §3.9 that Python's errors="replace" and browsers follow). Overlong forms, surrogates and
// code points above U+10FFFF are ill-formed. The input may arrive in pieces split anywhere.
class Utf8Repair {
 public:
  void feed(std::string_view bytes, std::string& out);
  // Ends the input: a sequence cut short at the end becomes U+FFFD.
  void finish(std::string& out);

 private:
  void start(unsigned char byte, std::string& out);

  std::string pending_;  // the lead and continuation bytes of an incomplete sequence
  int missing_ = 0;      // continuation bytes still expected
  unsigned char low_ = 0x80, high_ = 0xBF;  // the range the next continuation byte must be in
};

std::string repair_utf8(std::string_view bytes);

}  // namespace callsim
