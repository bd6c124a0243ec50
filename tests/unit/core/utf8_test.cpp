#include "core/utf8.h"

#include <gtest/gtest.h>

namespace callsim {
namespace {

const std::string kFffd = "\xEF\xBF\xBD";

TEST(Utf8Repair, ValidTextPassesUnchanged) {
  for (std::string text : {std::string(""), std::string("plain ascii"), std::string("caf\xC3\xA9"),
                           std::string("\xE2\x82\xAC 5"), std::string("\xF0\x9F\x93\x9E call"),
                           std::string("\xF4\x8F\xBF\xBF"), std::string("nul\0byte", 8)}) {
    EXPECT_EQ(repair_utf8(text), text);
  }
}

TEST(Utf8Repair, EachMaximalIllFormedSubpartBecomesOneReplacement) {
  EXPECT_EQ(repair_utf8("caf\xE9"), "caf" + kFffd);                           // Latin-1
  EXPECT_EQ(repair_utf8("\xFF\xFE"), kFffd + kFffd);                          // never valid
  EXPECT_EQ(repair_utf8("\x80x"), kFffd + "x");                               // stray continuation
  EXPECT_EQ(repair_utf8("\xC0\xAF"), kFffd + kFffd);                          // overlong '/'
  EXPECT_EQ(repair_utf8("\xE0\x80\xAF"), kFffd + kFffd + kFffd);              // overlong, 3 bytes
  EXPECT_EQ(repair_utf8("\xED\xA0\x80"), kFffd + kFffd + kFffd);              // a surrogate
  EXPECT_EQ(repair_utf8("\xF4\x90\x80\x80"), kFffd + kFffd + kFffd + kFffd);  // > U+10FFFF
  EXPECT_EQ(repair_utf8("\xE2\x82x"), kFffd + "x");  // truncated, then a new character
  EXPECT_EQ(repair_utf8("\xF0\x9F\x93"), kFffd);     // truncated at the end
  EXPECT_EQ(repair_utf8("\xE2\x82\xC3\xA9"), kFffd + "\xC3\xA9");
}

TEST(Utf8Repair, PiecesSplitInsideASequenceGiveTheSameResult) {
  const std::string text = "a\xF0\x9F\x93\x9E\xE9z\xE2\x82\xAC";
  for (size_t cut = 0; cut <= text.size(); ++cut) {
    Utf8Repair repair;
    std::string out;
    repair.feed(std::string_view(text).substr(0, cut), out);
    repair.feed(std::string_view(text).substr(cut), out);
    repair.finish(out);
    EXPECT_EQ(out, repair_utf8(text)) << cut;
  }
  EXPECT_EQ(repair_utf8(text), "a\xF0\x9F\x93\x9E" + kFffd + "z\xE2\x82\xAC");
}

}  // namespace
}  // namespace callsim
