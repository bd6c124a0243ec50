#include "media/base64.h"

#include <gtest/gtest.h>

namespace callsim::media {
namespace {

TEST(Base64, MatchesRfc4648Vectors) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
}

TEST(Base64, TwilioFrameIs216Characters) {
  std::vector<uint8_t> silence(160, 0xFF);
  std::string text = base64_encode(silence.data(), silence.size());
  EXPECT_EQ(text.size(), 216u);
  EXPECT_EQ(text.substr(0, 8), "////////");
  auto back = base64_decode(text);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, silence);
}

TEST(Base64, DecodesPaddingExactlyAndRejectsGarbage) {
  EXPECT_EQ(base64_decode("Zg==")->size(), 1u);
  EXPECT_EQ(base64_decode("Zm8=")->size(), 2u);
  EXPECT_EQ(base64_decode("Zm9v")->size(), 3u);
  EXPECT_FALSE(base64_decode("Zm9"));
  EXPECT_FALSE(base64_decode("Zm!v"));
}

}  // namespace
}  // namespace callsim::media
