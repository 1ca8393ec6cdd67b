// The token bucket behind --rate-limit, on a fake clock.
#include <gtest/gtest.h>

#include "rate_limit.hpp"

namespace kit {

namespace {

const TokenBucket::Clock::time_point start{};

TokenBucket::Clock::time_point at(double seconds) {
  return start + std::chrono::duration_cast<TokenBucket::Clock::duration>(std::chrono::duration<double>(seconds));
}

}  // namespace

TEST(TokenBucket, StartsFullThenRefuses) {
  TokenBucket bucket(5, 3, start);
  for (int remaining : {2, 1, 0}) {
    const auto d = bucket.take(start);
    EXPECT_TRUE(d.allowed);
    EXPECT_EQ(d.remaining, remaining);
  }
  const auto refused = bucket.take(start);
  EXPECT_FALSE(refused.allowed);
  EXPECT_DOUBLE_EQ(refused.retry_after, 1.0 / 5);  // the next token, a fifth of a second away
  EXPECT_EQ(bucket.limit(), 3);
}

TEST(TokenBucket, RefillsAtTheRate) {
  TokenBucket bucket(5, 1, start);
  EXPECT_TRUE(bucket.take(start).allowed);
  EXPECT_FALSE(bucket.take(at(0.1)).allowed);
  const auto later = bucket.take(at(0.1));
  EXPECT_NEAR(later.retry_after, 0.1, 1e-9) << "half the token is there already";
  EXPECT_TRUE(bucket.take(at(0.2)).allowed);
  EXPECT_FALSE(bucket.take(at(0.2)).allowed);
}

TEST(TokenBucket, FractionalRates) {
  TokenBucket bucket(0.5, 1, start);  // one request every two seconds
  EXPECT_TRUE(bucket.take(start).allowed);
  EXPECT_DOUBLE_EQ(bucket.take(start).retry_after, 2.0);
  EXPECT_FALSE(bucket.take(at(1.9)).allowed);
  EXPECT_TRUE(bucket.take(at(2.0)).allowed);
}

TEST(TokenBucket, AQuietSpellFillsItOnlyToTheBurst) {
  TokenBucket bucket(10, 4, start);
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(bucket.take(start).allowed);
  int allowed = 0;
  for (int i = 0; i < 10; ++i) allowed += bucket.take(at(3600)).allowed;
  EXPECT_EQ(allowed, 4);
}

TEST(TokenBucket, SustainedLoadGetsTheRate) {
  TokenBucket bucket(20, 20, start);
  int allowed = 0;
  for (int ms = 0; ms < 10'000; ++ms) allowed += bucket.take(at(ms / 1000.0)).allowed;  // 1000 a second for 10 s
  EXPECT_NEAR(allowed, 20 + 20 * 10, 1);                                                // the burst, then 20 a second
}

TEST(TokenBucket, TimeGoingBackwardsChangesNothing) {
  TokenBucket bucket(1, 1, at(5));
  EXPECT_TRUE(bucket.take(at(5)).allowed);
  EXPECT_FALSE(bucket.take(at(1)).allowed);
}

}  // namespace kit
