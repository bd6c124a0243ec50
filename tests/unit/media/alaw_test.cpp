#include "media/alaw.h"

#include <gtest/gtest.h>

namespace callsim::media {
namespace {

// G.711 Table 1a A-law, scaled to 16 bits: the smallest step is 16 (decoder output +-8), the
// largest segment step 1024 (outputs up to +-32256). Even bits are transmitted inverted.
TEST(Alaw, DecodesG711ReferencePoints) {
  EXPECT_EQ(alaw_to_linear(0xD5), 8);
  EXPECT_EQ(alaw_to_linear(0x55), -8);
  EXPECT_EQ(alaw_to_linear(0xD4), 24);
  EXPECT_EQ(alaw_to_linear(0xC5), 264);  // segment 1 starts at 256
  EXPECT_EQ(alaw_to_linear(0xF5), 528);  // segment 2 starts at 512
  EXPECT_EQ(alaw_to_linear(0xAA), 32256);
  EXPECT_EQ(alaw_to_linear(0x2A), -32256);
}

TEST(Alaw, SignBitMirrorsEveryCode) {
  for (int code = 0; code < 128; ++code) {
    EXPECT_EQ(alaw_to_linear(static_cast<uint8_t>(code | 0x80)),
              -alaw_to_linear(static_cast<uint8_t>(code)));
  }
}

}  // namespace
}  // namespace callsim::media
