// --fail-if expressions: what they parse to, and kept or crossed against a summary.
#include <gtest/gtest.h>

#include "thresholds.hpp"

namespace kit {

namespace {

Threshold parsed(const std::string& expression) {
  std::string problem;
  const auto threshold = parse_threshold(expression, problem);
  EXPECT_TRUE(threshold) << expression << ": " << problem;
  return threshold.value_or(Threshold{});
}

bool malformed(const std::string& expression) {
  std::string problem;
  const bool refused = !parse_threshold(expression, problem);
  EXPECT_FALSE(refused && problem.empty()) << "a refusal says why: " << expression;
  return refused;
}

Summary run_of(double p99, int requests, int failed, double rps) {
  Summary s;
  s.requests = requests;
  s.failed = failed;
  s.ok = requests - failed;
  s.requests_per_second = rps;
  s.average = s.slowest = p99;
  s.percentiles = {{50, p99 / 2}, {99, p99}, {99.9, p99}};
  return s;
}

}  // namespace

TEST(Thresholds, ParseEveryFigureWithItsUnit) {
  EXPECT_DOUBLE_EQ(parsed("p99 > 200ms").bound, 0.2);
  EXPECT_DOUBLE_EQ(parsed("p99.9>1s").percentile, 99.9);
  EXPECT_DOUBLE_EQ(parsed("avg > 500us").bound, 0.0005);
  EXPECT_EQ(parsed("max > 2s").figure, Threshold::Figure::slowest);
  EXPECT_EQ(parsed("errors > 1%").figure, Threshold::Figure::error_percent);
  EXPECT_EQ(parsed("errors > 0").figure, Threshold::Figure::errors);
  const Threshold rate = parsed(" rps < 100 ");
  EXPECT_EQ(rate.figure, Threshold::Figure::rate);
  EXPECT_FALSE(rate.above);
}

TEST(Thresholds, RefuseWhatTheyCannotCheck) {
  for (const char* expression : {"", "p99", "p99 > ", "p99 > 200", "p98 > 1s", "p99 >= 1s", "rps < 5ms", "errors > 1s",
                                 "latency > 1s", "p99 > -1s", "p99 > 1s extra"}) {
    EXPECT_TRUE(malformed(expression)) << expression;
  }
}

TEST(Thresholds, KeptOrCrossedWithTheMeasuredValue) {
  const Summary summary = run_of(0.3, 200, 3, 50);
  const std::vector<Threshold> thresholds = {parsed("p99 > 200ms"), parsed("p99 > 1s"),  parsed("errors > 1%"),
                                             parsed("errors > 5"),  parsed("rps < 100"), parsed("rps < 10")};
  const auto outcomes = check_thresholds(thresholds, summary);
  ASSERT_EQ(outcomes.size(), 6u);
  EXPECT_TRUE(outcomes[0].crossed);
  EXPECT_FALSE(outcomes[1].crossed);
  EXPECT_TRUE(outcomes[2].crossed) << "3 of 200 is 1.5%";
  EXPECT_DOUBLE_EQ(*outcomes[2].measured, 1.5);
  EXPECT_FALSE(outcomes[3].crossed);
  EXPECT_TRUE(outcomes[4].crossed);
  EXPECT_FALSE(outcomes[5].crossed);
  EXPECT_EQ(threshold_line(thresholds[0], outcomes[0]), "threshold p99 > 200ms: crossed, p99 = 300.0 ms");
  EXPECT_EQ(threshold_line(thresholds[2], outcomes[2]), "threshold errors > 1%: crossed, failed = 1.5%");
}

TEST(Thresholds, ALatencyWithNothingToMeasureIsNotKept) {
  Summary none;
  none.requests = none.failed = 2;
  const auto outcomes = check_thresholds({parsed("p99 > 1s")}, none);
  EXPECT_TRUE(outcomes[0].crossed);
  EXPECT_FALSE(outcomes[0].measured);
}

}  // namespace kit
