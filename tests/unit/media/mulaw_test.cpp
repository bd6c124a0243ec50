#include "media/mulaw.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdlib>

namespace callsim::media {
namespace {

// ITU-T G.711 Table 2a mu-law decoder outputs, scaled from 14 to 16 bits (x4), indexed by the
// transmitted byte. Identical to the table the ITU-T G.191 software tools produce.
constexpr std::array<int16_t, 256> kG711UlawTable = {
    -32124, -31100, -30076, -29052, -28028, -27004, -25980, -24956,  // 0x00
    -23932, -22908, -21884, -20860, -19836, -18812, -17788, -16764,  // 0x08
    -15996, -15484, -14972, -14460, -13948, -13436, -12924, -12412,  // 0x10
    -11900, -11388, -10876, -10364, -9852,  -9340,  -8828,  -8316,   // 0x18
    -7932,  -7676,  -7420,  -7164,  -6908,  -6652,  -6396,  -6140,   // 0x20
    -5884,  -5628,  -5372,  -5116,  -4860,  -4604,  -4348,  -4092,   // 0x28
    -3900,  -3772,  -3644,  -3516,  -3388,  -3260,  -3132,  -3004,   // 0x30
    -2876,  -2748,  -2620,  -2492,  -2364,  -2236,  -2108,  -1980,   // 0x38
    -1884,  -1820,  -1756,  -1692,  -1628,  -1564,  -1500,  -1436,   // 0x40
    -1372,  -1308,  -1244,  -1180,  -1116,  -1052,  -988,   -924,    // 0x48
    -876,   -844,   -812,   -780,   -748,   -716,   -684,   -652,    // 0x50
    -620,   -588,   -556,   -524,   -492,   -460,   -428,   -396,    // 0x58
    -372,   -356,   -340,   -324,   -308,   -292,   -276,   -260,    // 0x60
    -244,   -228,   -212,   -196,   -180,   -164,   -148,   -132,    // 0x68
    -120,   -112,   -104,   -96,    -88,    -80,    -72,    -64,     // 0x70
    -56,    -48,    -40,    -32,    -24,    -16,    -8,     0,       // 0x78
    32124,  31100,  30076,  29052,  28028,  27004,  25980,  24956,   // 0x80
    23932,  22908,  21884,  20860,  19836,  18812,  17788,  16764,   // 0x88
    15996,  15484,  14972,  14460,  13948,  13436,  12924,  12412,   // 0x90
    11900,  11388,  10876,  10364,  9852,   9340,   8828,   8316,    // 0x98
    7932,   7676,   7420,   7164,   6908,   6652,   6396,   6140,    // 0xA0
    5884,   5628,   5372,   5116,   4860,   4604,   4348,   4092,    // 0xA8
    3900,   3772,   3644,   3516,   3388,   3260,   3132,   3004,    // 0xB0
    2876,   2748,   2620,   2492,   2364,   2236,   2108,   1980,    // 0xB8
    1884,   1820,   1756,   1692,   1628,   1564,   1500,   1436,    // 0xC0
    1372,   1308,   1244,   1180,   1116,   1052,   988,    924,     // 0xC8
    876,    844,    812,    780,    748,    716,    684,    652,     // 0xD0
    620,    588,    556,    524,    492,    460,    428,    396,     // 0xD8
    372,    356,    340,    324,    308,    292,    276,    260,     // 0xE0
    244,    228,    212,    196,    180,    164,    148,    132,     // 0xE8
    120,    112,    104,    96,     88,     80,     72,     64,      // 0xF0
    56,     48,     40,     32,     24,     16,     8,      0,       // 0xF8
};

TEST(Mulaw, DecodesAll256CodesToTheG711Table) {
  for (int code = 0; code < 256; ++code) {
    EXPECT_EQ(ulaw_to_linear(static_cast<uint8_t>(code)), kG711UlawTable[static_cast<size_t>(code)])
        << "code 0x" << std::hex << code;
  }
}

TEST(Mulaw, SilenceIs0xFF) {
  EXPECT_EQ(kUlawSilence, 0xFF);
  EXPECT_EQ(linear_to_ulaw(0), 0xFF);
  EXPECT_EQ(ulaw_to_linear(0xFF), 0);
  // Negative zero: G.191 quantises -1..-4 with the one's complement, into the zero interval.
  EXPECT_EQ(linear_to_ulaw(-1), 0x7F);
  EXPECT_EQ(ulaw_to_linear(0x7F), 0);
}

struct Boundary {
  int16_t input;
  uint8_t code;
};

// G.711 Table 2a decision values 31, 95, 223, 479, 991, 2015, 4063 (14-bit units) start segments
// 1 to 7. In 16 bits a positive input 4d is the first of segment s, 4d - 1 the last (step 15) of
// segment s - 1; negatives mirror around -0.5 (one's complement), so -4d is still segment s - 1
// and -(4d + 1) starts segment s.
constexpr Boundary kSegmentBoundaries[] = {
    {123, 0xF0},
    {124, 0xEF},
    {-124, 0x70},
    {-125, 0x6F},  // segment 0 | 1
    {379, 0xE0},
    {380, 0xDF},
    {-380, 0x60},
    {-381, 0x5F},  // 1 | 2
    {891, 0xD0},
    {892, 0xCF},
    {-892, 0x50},
    {-893, 0x4F},  // 2 | 3
    {1915, 0xC0},
    {1916, 0xBF},
    {-1916, 0x40},
    {-1917, 0x3F},  // 3 | 4
    {3963, 0xB0},
    {3964, 0xAF},
    {-3964, 0x30},
    {-3965, 0x2F},  // 4 | 5
    {8059, 0xA0},
    {8060, 0x9F},
    {-8060, 0x20},
    {-8061, 0x1F},  // 5 | 6
    {16251, 0x90},
    {16252, 0x8F},
    {-16252, 0x10},
    {-16253, 0x0F},  // 6 | 7
    // The first decision value (1) inside segment 0 and the last (7903) inside segment 7; above
    // 8159 is overload and stays at the extreme codes.
    {3, 0xFF},
    {4, 0xFE},
    {-4, 0x7F},
    {-5, 0x7E},
    {31611, 0x81},
    {31612, 0x80},
    {-31612, 0x01},
    {-31613, 0x00},
    {32767, 0x80},
    {-32768, 0x00},
};

TEST(Mulaw, EncodesEverySegmentBoundaryPerG711) {
  for (const Boundary& b : kSegmentBoundaries) {
    EXPECT_EQ(linear_to_ulaw(b.input), b.code) << "input " << b.input;
  }
}

TEST(Mulaw, EncodeInvertsDecodeForEveryCodeButNegativeZero) {
  for (int code = 0; code < 256; ++code) {
    uint8_t expected = code == 0x7F ? 0xFF : static_cast<uint8_t>(code);
    EXPECT_EQ(linear_to_ulaw(ulaw_to_linear(static_cast<uint8_t>(code))), expected)
        << "code 0x" << std::hex << code;
  }
}

// Over the whole 16-bit range the encoder picks the interval around the input: the decoded value
// is never further away than half a quantisation step (plus the overload above 32636).
TEST(Mulaw, QuantisationErrorIsAtMostHalfAStepEverywhere) {
  for (int x = -32768; x <= 32767; ++x) {
    int decoded = ulaw_to_linear(linear_to_ulaw(static_cast<int16_t>(x)));
    int magnitude = std::abs(x);
    int step = 8;  // segment 0 step (2 in 14-bit units), x4, plus rounding of the 2 dropped bits
    for (int edge : {124, 380, 892, 1916, 3964, 8060, 16252}) {
      if (magnitude >= edge) step *= 2;
    }
    int allowed = magnitude > 32636 ? magnitude - 32124 : step / 2 + 4;
    ASSERT_LE(std::abs(decoded - x), allowed) << "input " << x;
  }
}

TEST(Mulaw, EncoderIsMonotonic) {
  int previous = ulaw_to_linear(linear_to_ulaw(-32768));
  for (int x = -32767; x <= 32767; ++x) {
    int decoded = ulaw_to_linear(linear_to_ulaw(static_cast<int16_t>(x)));
    ASSERT_GE(decoded, previous) << "input " << x;
    previous = decoded;
  }
}

}  // namespace
}  // namespace callsim::media
