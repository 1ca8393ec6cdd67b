#include <gtest/gtest.h>

#include "units.hpp"

namespace kit {

TEST(FormatDuration, PicksTheUnitThatReadsBest) {
  EXPECT_EQ(format_duration(1.0034), "1.003 s");
  EXPECT_EQ(format_duration(0.0124), "12.4 ms");
  EXPECT_EQ(format_duration(0.000085), "85 \u00b5s");
  EXPECT_EQ(format_duration(0.000085, true), "85 us");
  EXPECT_EQ(format_duration(0), "0.000 s");
}

TEST(FormatNumber, DropsTrailingZeros) {
  EXPECT_EQ(format_number(30), "30");
  EXPECT_EQ(format_number(0.25), "0.25");
  EXPECT_EQ(format_number(0.1), "0.1");
  EXPECT_EQ(format_number(1.23456, 2), "1.23");
}

TEST(FormatFixed, KeepsTheDigits) {
  EXPECT_EQ(format_fixed(1.0), "1.000");
  EXPECT_EQ(format_fixed(0.4016), "0.402");
}

}  // namespace kit
