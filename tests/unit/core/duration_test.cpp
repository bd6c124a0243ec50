#include "core/duration.h"

#include <gtest/gtest.h>

namespace callsim {
namespace {

using namespace std::chrono_literals;

TEST(Duration, ParsesEveryUnit) {
  EXPECT_EQ(parse_duration("250ms"), 250ms);
  EXPECT_EQ(parse_duration("20s"), 20s);
  EXPECT_EQ(parse_duration("1.5s"), 1500ms);
  EXPECT_EQ(parse_duration("2m"), 120s);
  EXPECT_EQ(parse_duration("1h"), 3600s);
  EXPECT_EQ(parse_duration("100us"), 100us);
  EXPECT_EQ(parse_duration("7ns"), 7ns);
  EXPECT_EQ(parse_duration("0"), 0ns);
}

TEST(Duration, RejectsAmbiguousOrBrokenValues) {
  for (const char* bad :
       {"", "5", "-1s", "+1s", "s", "1 s", "1sec", "nan", "inf", "1e30h", " 1s"}) {
    EXPECT_THROW(parse_duration(bad), InputError) << bad;
  }
}

TEST(Duration, FormatsRoundTrip) {
  EXPECT_EQ(format_duration(0ns), "0s");
  EXPECT_EQ(format_duration(5ms), "5ms");
  EXPECT_EQ(format_duration(1500ms), "1.5s");
  EXPECT_EQ(format_duration(10s), "10s");
  EXPECT_EQ(format_duration(120s), "2m");
  EXPECT_EQ(format_duration(20us), "20us");
  for (Nanos d : {Nanos(5ms), Nanos(1500ms), Nanos(10s), Nanos(120s), Nanos(20us)}) {
    EXPECT_EQ(parse_duration(format_duration(d)), d);
  }
}

}  // namespace
}  // namespace callsim
