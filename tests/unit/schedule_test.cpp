// When requests are due: k/R at a constant rate, and along --stages' ramps.
#include <gtest/gtest.h>

#include <stdexcept>

#include "schedule.hpp"

namespace kit {

namespace {

long due_within(const Schedule& schedule, double from, double to) {
  return schedule.due_before(Seconds(to)) - schedule.due_before(Seconds(from));
}

}  // namespace

TEST(Schedule, AConstantRateIsKOverR) {
  const Schedule schedule(20);
  EXPECT_DOUBLE_EQ(schedule.due(0)->count(), 0.0);
  EXPECT_DOUBLE_EQ(schedule.due(10)->count(), 0.5);
  EXPECT_EQ(schedule.due_before(Seconds(1)), 20);
}

// The example: 20 in the first second, then a ramp from 20 to 120
// whose integral over its second is 70.
TEST(Schedule, StagesRampLinearlyAndEndWithTheLast) {
  const Schedule schedule(20, parse_stages("1s:20,1s:120"));
  EXPECT_EQ(due_within(schedule, 0, 1), 20);
  EXPECT_EQ(due_within(schedule, 1, 2), 70);
  EXPECT_NEAR(schedule.due(20)->count(), 1.0, 1e-9);
  EXPECT_FALSE(schedule.due(91)) << "nothing is due after the last stage";
  for (long k = 1; k < 90; ++k) EXPECT_LT(*schedule.due(k - 1), *schedule.due(k)) << k;
  // Within the ramp, request k is due where 20 t + 50 t^2 = k - 20.
  const double t = schedule.due(45)->count() - 1;
  EXPECT_NEAR(20 * t + 50 * t * t, 25, 1e-9);
}

TEST(Schedule, FromZeroAndDownToZero) {
  const Schedule up(0, parse_stages("2s:100"));
  EXPECT_EQ(due_within(up, 0, 1), 25) << "half the time, a quarter of the 100";
  const Schedule down(100, parse_stages("1s:0"));
  EXPECT_EQ(down.due_before(Seconds(1)), 50);
  EXPECT_FALSE(down.due(51));
}

TEST(Schedule, ParsesDurationsWithUnitsAndRefusesTheRest) {
  const auto stages = parse_stages("500ms:10,2m:0.5,3s:0");
  ASSERT_EQ(stages.size(), 3u);
  EXPECT_DOUBLE_EQ(stages[0].length.count(), 0.5);
  EXPECT_DOUBLE_EQ(stages[1].length.count(), 120);
  EXPECT_DOUBLE_EQ(stages[1].rate, 0.5);
  for (const char* bad : {"", "1s", "1:10", "0s:10", "1s:-1", "1s:x", "1s:10,", "1s:10,,2s:3", "-1s:3", "1h:3"}) {
    EXPECT_THROW(parse_stages(bad), std::invalid_argument) << bad;
  }
}

}  // namespace kit
