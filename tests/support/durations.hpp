#pragma once
// Durations are a property of the plain build. The sanitizer presets' e2e
// runs (asan-e2e, tsan-e2e) set KIT_DURATIONS=unchecked: their programs run
// several times slower and start in tenths of a second, so there a test
// checks answers, order, counts, overlaps and exit codes, and these checks
// of how long something took pass without comparing.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string_view>

namespace kit::test {

inline bool durations_checked() {
  const char* setting = std::getenv("KIT_DURATIONS");
  return setting == nullptr || std::string_view(setting) != "unchecked";
}

}  // namespace kit::test

// As EXPECT_LT and its kin, for a duration or a ratio of durations; a message may follow with <<.
#define KIT_IF_DURATIONS_CHECKED           \
  if (!::kit::test::durations_checked()) { \
  } else  // NOLINT
#define EXPECT_DURATION_LT(a, b) KIT_IF_DURATIONS_CHECKED EXPECT_LT(a, b)
#define EXPECT_DURATION_LE(a, b) KIT_IF_DURATIONS_CHECKED EXPECT_LE(a, b)
#define EXPECT_DURATION_GT(a, b) KIT_IF_DURATIONS_CHECKED EXPECT_GT(a, b)
#define EXPECT_DURATION_GE(a, b) KIT_IF_DURATIONS_CHECKED EXPECT_GE(a, b)
#define EXPECT_DURATION_NEAR(a, b, within) KIT_IF_DURATIONS_CHECKED EXPECT_NEAR(a, b, within)
// Peak memory where a flood frees small blocks at a high rate (HTTP/2's
// frames): ASan's quarantine keeps every freed block for a while, tens of MB
// the plain build never holds, so the bound is the plain build's too.
#define EXPECT_PEAK_KB_LT(a, b) KIT_IF_DURATIONS_CHECKED EXPECT_LT(a, b)
