#include <gtest/gtest.h>

#include "records.hpp"
#include "report.hpp"
#include "stats.hpp"

namespace kit {

namespace {

std::vector<double> one_to(int n) {
  std::vector<double> values;
  for (int i = 1; i <= n; ++i) values.push_back(i);
  return values;
}

using test::refused;
RequestRecord finished(int number, double start, double end, int status = 200) {
  return test::answered(number, start, end, status);
}

}  // namespace

TEST(Percentile, OneValueIsEveryPercentile) {
  for (double p : reported_percentiles) EXPECT_EQ(percentile({0.7}, p), 0.7) << p;
}

TEST(Percentile, TwoValues) {
  EXPECT_EQ(percentile({2, 1}, 10), 1);
  EXPECT_EQ(percentile({2, 1}, 50), 1);
  EXPECT_EQ(percentile({2, 1}, 75), 2);
  EXPECT_EQ(percentile({2, 1}, 99.9), 2);
}

TEST(Percentile, FourValuesNeverGiveZero) {
  // hey prints "10% in 0.0000 secs" for n = 4; a percentile is always one of the values.
  const std::vector<double> four{4, 1, 3, 2};
  EXPECT_EQ(percentile(four, 10), 1);
  EXPECT_EQ(percentile(four, 25), 1);
  EXPECT_EQ(percentile(four, 50), 2);
  EXPECT_EQ(percentile(four, 75), 3);
  EXPECT_EQ(percentile(four, 90), 4);
  EXPECT_EQ(percentile(four, 99.9), 4);
}

TEST(Percentile, AThousandValues) {
  const auto values = one_to(1000);
  EXPECT_EQ(percentile(values, 10), 100);
  EXPECT_EQ(percentile(values, 50), 500);
  EXPECT_EQ(percentile(values, 99), 990);
  EXPECT_EQ(percentile(values, 99.9), 999);
  EXPECT_EQ(percentile(values, 100), 1000);
}

TEST(Percentile, NoValuesNoPercentile) { EXPECT_FALSE(percentile({}, 50)); }

TEST(Histogram, IdenticalValuesMakeOneBucket) {
  const auto buckets = histogram({0.2, 0.2, 0.2});
  ASSERT_EQ(buckets.size(), 1u);
  EXPECT_EQ(buckets[0].count, 3);
  EXPECT_EQ(buckets[0].upper, 0.2);
}

TEST(Histogram, EveryValueLandsInABucket) {
  const auto buckets = histogram(one_to(95), 10);
  ASSERT_EQ(buckets.size(), 10u);
  int total = 0;
  for (const auto& b : buckets) total += b.count;
  EXPECT_EQ(total, 95);
  EXPECT_EQ(buckets.back().upper, 95);
  EXPECT_EQ(buckets.front().count, 10);  // 1 to 10.4
  EXPECT_TRUE(histogram({}).empty());
}

TEST(Summarize, CountsStatusesErrorsAndLatencies) {
  const std::vector<RequestRecord> records{finished(1, 0, 1), finished(2, 0, 3), finished(3, 0, 2, 503), refused(4)};
  const Summary s = summarize(records, Seconds(4));
  EXPECT_EQ(s.requests, 4);
  EXPECT_EQ(s.ok, 2);
  EXPECT_EQ(s.failed, 2);
  EXPECT_DOUBLE_EQ(s.success_rate(), 50);
  EXPECT_DOUBLE_EQ(s.requests_per_second, 1);
  EXPECT_EQ(s.total_bytes, 66u);
  EXPECT_EQ(s.fastest, 1);
  EXPECT_EQ(s.slowest, 3);
  EXPECT_EQ(s.average, 2);
  EXPECT_EQ(s.status_counts, (std::map<int, int>{{200, 2}, {503, 1}}));
  EXPECT_EQ(s.error_counts, (std::map<std::string, int>{{"http status", 1}, {"refused", 1}}));
  EXPECT_EQ(s.percentiles.size(), std::size(reported_percentiles));
}

TEST(Summarize, AllFailedHasNoLatencyAndNoNan) {
  const Summary s = summarize({refused(1), refused(2)}, Seconds(0.001));
  EXPECT_FALSE(s.average);
  EXPECT_TRUE(s.percentiles.empty());
  EXPECT_EQ(s.success_rate(), 0);
  const std::string text = summary_text(s, TerminalStyle{});
  EXPECT_EQ(text.find("nan"), std::string::npos) << text;
  EXPECT_EQ(text.find("inf"), std::string::npos) << text;
  EXPECT_NE(text.find("[2] refused"), std::string::npos) << text;
  EXPECT_NE(text.find("Success rate:   0.0% (0 of 2)"), std::string::npos) << text;
}

TEST(Summarize, NothingAtAll) {
  const Summary s = summarize(std::vector<RequestRecord>{}, Seconds(0));
  EXPECT_EQ(s.requests_per_second, 0);
  EXPECT_EQ(summary_text(s, TerminalStyle{}).find("nan"), std::string::npos);
}

TEST(SummaryText, IdenticalLatenciesMakeOneFullBar) {
  const Summary s = summarize({finished(1, 0, 1), finished(2, 0, 1)}, Seconds(1));
  const std::string text = summary_text(s, TerminalStyle{.utf8 = false});
  EXPECT_NE(text.find("1.000 s [2]\t|" + std::string(40, '#') + "\n"), std::string::npos) << text;
  EXPECT_NE(text.find("  10% in 1.000 s\n"), std::string::npos) << text;
  EXPECT_NE(text.find("  99.9% in 1.000 s\n"), std::string::npos) << text;
  EXPECT_NE(text.find("  [200] 2 responses\n"), std::string::npos) << text;
}

TEST(SummaryText, SmallTimesInMillisecondsOrMicroseconds) {
  const Summary s = summarize({finished(1, 0, 0.0123), finished(2, 0, 0.000050)}, Seconds(0.02));
  EXPECT_NE(summary_text(s, TerminalStyle{.utf8 = true}).find("12.3 ms"), std::string::npos);
  EXPECT_NE(summary_text(s, TerminalStyle{.utf8 = true}).find("50 \u00b5s"), std::string::npos);
  EXPECT_NE(summary_text(s, TerminalStyle{.utf8 = false}).find("50 us"), std::string::npos);
}

}  // namespace kit
