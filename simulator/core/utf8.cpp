#include "core/utf8.h"

namespace callsim {

namespace {
constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD
}  // namespace

void Utf8Repair::start(unsigned char byte, std::string& out) {
  // Well-formed sequences, Unicode Table 3-7: the lead byte decides the length and the range of
  // the first continuation byte (which rules out overlongs, surrogates and > U+10FFFF).
  auto begin = [&](int missing, unsigned char low, unsigned char high) {
    pending_.assign(1, static_cast<char>(byte));
    missing_ = missing;
    low_ = low;
    high_ = high;
  };
  if (byte < 0x80) {
    out.push_back(static_cast<char>(byte));
  } else if (byte >= 0xC2 && byte <= 0xDF) {
    begin(1, 0x80, 0xBF);
  } else if (byte == 0xE0) {
    begin(2, 0xA0, 0xBF);
  } else if (byte == 0xED) {
    begin(2, 0x80, 0x9F);
  } else if (byte >= 0xE1 && byte <= 0xEF) {
    begin(2, 0x80, 0xBF);
  } else if (byte == 0xF0) {
    begin(3, 0x90, 0xBF);
  } else if (byte >= 0xF1 && byte <= 0xF3) {
    begin(3, 0x80, 0xBF);
  } else if (byte == 0xF4) {
    begin(3, 0x80, 0x8F);
  } else {
    out.append(kReplacement);  // a stray continuation byte, C0, C1, F5..FF
  }
}

void Utf8Repair::feed(std::string_view bytes, std::string& out) {
  for (char c : bytes) {
    const auto byte = static_cast<unsigned char>(c);
    if (missing_ == 0) {
      start(byte, out);
      continue;
    }
    if (byte < low_ || byte > high_) {
      // The sequence so far is one maximal ill-formed subpart; this byte starts afresh.
      out.append(kReplacement);
      pending_.clear();
      missing_ = 0;
      start(byte, out);
      continue;
    }
    pending_.push_back(c);
    low_ = 0x80;
    high_ = 0xBF;
    if (--missing_ == 0) {
      out.append(pending_);
      pending_.clear();
    }
  }
}

void Utf8Repair::finish(std::string& out) {
  if (missing_ > 0) out.append(kReplacement);
  pending_.clear();
  missing_ = 0;
}

std::string repair_utf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  Utf8Repair repair;
  repair.feed(bytes, out);
  repair.finish(out);
  return out;
}

}  // namespace callsim
