#include "core/status_line.h"

#include <gtest/gtest.h>

namespace callsim {
namespace {

TEST(StatusLine, EveryPrefixOfARealStatusLineCanStartOne) {
  for (std::string line : {"HTTP/1.1 101 Switching Protocols\r\n", "HTTP/1.0 503 \r\n",
                           "HTTP/1.1 404 Not Found\r\n"}) {
    for (size_t n = 0; n <= line.size(); ++n) {
      EXPECT_TRUE(can_start_status_line(line.substr(0, n))) << line.substr(0, n);
    }
  }
}

TEST(StatusLine, BytesThatCannotBeHttpAreCaughtAtTheFirstWrongByte) {
  EXPECT_FALSE(can_start_status_line("\x16"));
  EXPECT_FALSE(can_start_status_line("S"));
  EXPECT_FALSE(can_start_status_line("h"));  // the version's name is case-sensitive
  EXPECT_FALSE(can_start_status_line("HTTX"));
  EXPECT_FALSE(can_start_status_line("HTTP/x"));
  EXPECT_FALSE(can_start_status_line("HTTP/1,"));
  EXPECT_FALSE(can_start_status_line("HTTP/1.1 O"));
  EXPECT_FALSE(can_start_status_line("HTTP/1.1 10x"));
  EXPECT_FALSE(can_start_status_line("HTTP/1.1  101"));
  // The space after the code is required (RFC 9112 4), even with an empty reason.
  EXPECT_FALSE(can_start_status_line("HTTP/1.1 101\r\n"));
  EXPECT_FALSE(can_start_status_line("HTTP/1.1 1010"));
  EXPECT_FALSE(can_start_status_line(std::string("\0", 1)));
}

TEST(StatusLine, OnlyTheFixedStartIsJudged) {
  EXPECT_TRUE(can_start_status_line("HTTP/1.1 101 \x01\x02 anything at all"));
  EXPECT_TRUE(can_start_status_line(""));
}

TEST(StatusLine, QuotedBytesArePrintableAndTruncated) {
  EXPECT_EQ(quote_bytes("SSH-2.0-OpenSSH\r\n"), "\"SSH-2.0-OpenSSH\\r\\n\"");
  EXPECT_EQ(quote_bytes(std::string("\x16\x03\x00\xff\t\"\\", 7)),
            "\"\\x16\\x03\\x00\\xff\\t\\\"\\\\\"");
  EXPECT_EQ(quote_bytes("abcdef", 3), "\"abc\"...");
  EXPECT_EQ(quote_bytes("abc", 3), "\"abc\"");
  EXPECT_EQ(quote_bytes(""), "\"\"");
}

}  // namespace
}  // namespace callsim
