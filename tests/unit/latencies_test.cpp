// Latencies in fixed memory: exact for short runs, within 0.1% past them.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "latencies.hpp"

namespace kit {

namespace {

// Adds every value to a Latencies and checks each reported percentile
// against the exact nearest-rank value of the same data.
void expect_within_a_thousandth(const std::vector<double>& values) {
  Latencies latencies;
  for (double v : values) latencies.add(v);
  ASSERT_FALSE(latencies.exact()) << "the test needs more than exact_limit values";
  for (double p : {1.0, 10.0, 25.0, 50.0, 75.0, 90.0, 95.0, 99.0, 99.9, 99.99, 100.0}) {
    const double exact = *percentile(values, p);
    const double estimate = *latencies.percentile(p);
    EXPECT_NEAR(estimate, exact, exact * 0.001 + 1e-9) << "p" << p;
  }
  EXPECT_DOUBLE_EQ(*latencies.fastest(), *std::min_element(values.begin(), values.end()));
  EXPECT_DOUBLE_EQ(*latencies.slowest(), *std::max_element(values.begin(), values.end()));
  double sum = 0;
  for (double v : values) sum += v;
  EXPECT_NEAR(*latencies.mean(), sum / values.size(), 1e-12);
  EXPECT_EQ(latencies.count(), values.size());
}

constexpr std::size_t many = Latencies::exact_limit * 3;

}  // namespace

TEST(Latencies, ShortRunsStayExact) {
  Latencies latencies;
  for (double v : {0.3, 0.1, 0.2, 0.4}) latencies.add(v);
  EXPECT_TRUE(latencies.exact());
  EXPECT_DOUBLE_EQ(*latencies.percentile(50), 0.2);
  EXPECT_DOUBLE_EQ(*latencies.percentile(75), 0.3);
  EXPECT_DOUBLE_EQ(*latencies.percentile(100), 0.4);
  EXPECT_EQ(latencies.histogram().size(), 10u);
  EXPECT_FALSE(Latencies().percentile(50));
}

TEST(Latencies, RandomDataWithinAThousandth) {
  std::mt19937_64 random(42);
  std::lognormal_distribution<double> latency(std::log(0.002), 1.0);  // around 2 ms, a long tail
  std::vector<double> values(many);
  for (double& v : values) v = latency(random);
  expect_within_a_thousandth(values);
}

TEST(Latencies, AllEqual) {
  const std::vector<double> values(many, 1.000123);
  expect_within_a_thousandth(values);
  Latencies latencies;
  for (double v : values) latencies.add(v);
  const auto buckets = latencies.histogram();
  ASSERT_EQ(buckets.size(), 1u);
  EXPECT_EQ(static_cast<std::size_t>(buckets[0].count), many);
}

TEST(Latencies, TwoClustersAndOneHugeOutlier) {
  std::vector<double> values;
  for (std::size_t i = 0; i < many / 2; ++i) values.push_back(0.000050 + 1e-9 * (i % 1000));  // 50 µs
  for (std::size_t i = 0; i < many / 2; ++i) values.push_back(1.0 + 1e-6 * (i % 1000));       // 1 s
  values.push_back(3600.0);  // one request that took an hour
  std::shuffle(values.begin(), values.end(), std::mt19937_64(7));
  expect_within_a_thousandth(values);
}

TEST(Latencies, TinyAndZeroValues) {
  std::vector<double> values;
  for (std::size_t i = 0; i < many; ++i) values.push_back(static_cast<double>(i % 3000) * 1e-9);  // 0-3 µs
  expect_within_a_thousandth(values);
}

TEST(Latencies, HistogramCountsEveryValue) {
  std::mt19937_64 random(1);
  std::uniform_real_distribution<double> latency(0.001, 0.002);
  Latencies latencies;
  for (std::size_t i = 0; i < many; ++i) latencies.add(latency(random));
  int counted = 0;
  for (const auto& bucket : latencies.histogram()) counted += bucket.count;
  EXPECT_EQ(static_cast<std::size_t>(counted), many);
}

}  // namespace kit
