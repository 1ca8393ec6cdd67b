#include "rate_limit.hpp"

#include <algorithm>
#include <cmath>

namespace kit {

TokenBucket::TokenBucket(double rate, double burst, Clock::time_point now)
    : rate_(rate), burst_(burst), tokens_(burst), updated_(now) {}

TokenBucket::Decision TokenBucket::take(Clock::time_point now) {
  std::lock_guard lock(mutex_);
  if (now > updated_) {
    tokens_ = std::min(burst_, tokens_ + std::chrono::duration<double>(now - updated_).count() * rate_);
    updated_ = now;
  }
  if (tokens_ >= 1) {
    tokens_ -= 1;
    return {true, static_cast<int>(std::floor(tokens_)), 0};
  }
  return {false, 0, (1 - tokens_) / rate_};
}

std::optional<RateLimitHeaders> admit(std::optional<TokenBucket>& bucket, TokenBucket::Clock::time_point at) {
  if (!bucket) return std::nullopt;
  const TokenBucket::Decision admission = bucket->take(at);
  // Retry-After takes whole seconds: round up, so that the token is there.
  const int retry_after = admission.allowed ? 0 : std::max(1, static_cast<int>(std::ceil(admission.retry_after)));
  return RateLimitHeaders{bucket->limit(), admission.remaining, retry_after};
}

}  // namespace kit
