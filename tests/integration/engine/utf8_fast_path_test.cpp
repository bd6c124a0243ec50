// The ASCII fast path in front of websocketpp's UTF-8 validator (simulator/net/
// utf8_ascii_fast_path.h) must judge every payload, whole or in fragments, exactly as
// websocketpp's byte-at-a-time state machine does.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>
#include <websocketpp/utf8_validator.hpp>

// CMake force-includes the fast path wherever websocketpp is used; without it this test would
// compare websocketpp's state machine with itself.
#ifndef CALLSIM_UTF8_ASCII_FAST_PATH
#error "simulator/net/utf8_ascii_fast_path.h was not force-included"
#endif

namespace callsim {
namespace {

namespace utf8 = websocketpp::utf8_validator;

struct Judged {
  bool rejected = false;
  bool complete = false;
};

// websocketpp's own state machine, one byte at a time, stopping at the first rejection.
Judged reference(const std::vector<std::string>& fragments) {
  uint32_t state = utf8::utf8_accept;
  uint32_t codepoint = 0;
  for (const std::string& fragment : fragments) {
    for (char c : fragment) {
      if (utf8::decode(&state, &codepoint, static_cast<uint8_t>(c)) == utf8::utf8_reject) {
        return {true, false};
      }
    }
  }
  return {false, state == utf8::utf8_accept};
}

// As hybi13 calls it: each fragment appended to the message, the new bytes validated.
Judged fast_path(const std::vector<std::string>& fragments) {
  utf8::validator validator;
  std::string message;
  for (const std::string& fragment : fragments) {
    const size_t offset = message.size();
    message += fragment;
    if (!validator.decode(message.begin() + offset, message.end())) return {true, false};
  }
  return {false, validator.complete()};
}

void expect_same(const std::vector<std::string>& fragments) {
  const Judged want = reference(fragments);
  const Judged got = fast_path(fragments);
  std::string joined;
  for (const auto& f : fragments) joined += f + "|";
  EXPECT_EQ(got.rejected, want.rejected) << joined;
  EXPECT_EQ(got.complete, want.complete) << joined;
}

TEST(Utf8FastPath, JudgesKnownPayloadsAsTheStateMachineDoes) {
  const std::string media = R"({"event":"media","media":{"payload":"/////w=="}})";
  EXPECT_FALSE(fast_path({media}).rejected);
  EXPECT_TRUE(fast_path({media}).complete);
  EXPECT_FALSE(fast_path({""}).rejected);
  // Invalid bytes after a run of ASCII long enough to be skipped eight at a time.
  EXPECT_TRUE(fast_path({"0123456789abcdef\xff"}).rejected);
  EXPECT_TRUE(fast_path({"0123456789abcdef\xc0\xaf"}).rejected);  // overlong '/'
  EXPECT_TRUE(fast_path({"01234567\xed\xa0\x80"}).rejected);      // a UTF-16 surrogate
  // A code point split across the eight-byte boundary and across fragments.
  EXPECT_FALSE(fast_path({"0123456\xe2\x82\xac"
                          "89abcdef"})
                   .rejected);
  const Judged split = fast_path({"0123456789abcd\xf0\x9f",
                                  "\x98\x80"
                                  "0123456789"});
  EXPECT_FALSE(split.rejected);
  EXPECT_TRUE(split.complete);
  const Judged open = fast_path({"0123456789abcdef\xe2\x82"});
  EXPECT_FALSE(open.rejected);
  EXPECT_FALSE(open.complete);
  expect_same({"0123456789abcdef\xe2\x82", "01234567"});
}

// Random payloads of mostly ASCII with valid and invalid sequences mixed in, cut into random
// fragments: what a hostile server could send.
TEST(Utf8FastPath, AgreesWithTheStateMachineOnRandomFragmentedPayloads) {
  const std::vector<std::string> pieces = {"a",
                                           "0123456789abcdef",
                                           "\xc3\xa9",
                                           "\xe2\x82\xac",
                                           "\xf0\x9f\x98\x80",
                                           "\xff",
                                           "\x80",
                                           "\xc0\xaf",
                                           "\xed\xa0\x80",
                                           "\xf4\x90\x80\x80",
                                           "\xe2\x82",
                                           "\xf0\x9f"};
  std::mt19937 rng(20261207);
  for (int round = 0; round < 20000; ++round) {
    std::string payload;
    const int parts = std::uniform_int_distribution<int>(0, 12)(rng);
    for (int i = 0; i < parts; ++i) {
      const bool ascii = std::uniform_int_distribution<int>(0, 3)(rng) != 0;
      payload += ascii ? pieces[std::uniform_int_distribution<size_t>(0, 1)(rng)]
                       : pieces[std::uniform_int_distribution<size_t>(2, pieces.size() - 1)(rng)];
    }
    std::vector<std::string> fragments;
    for (size_t at = 0; at < payload.size();) {
      const size_t take = std::uniform_int_distribution<size_t>(1, payload.size() - at)(rng);
      fragments.push_back(payload.substr(at, take));
      at += take;
    }
    expect_same(fragments);
    if (HasFailure()) return;
  }
}

}  // namespace
}  // namespace callsim
