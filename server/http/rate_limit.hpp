#pragma once
// --rate-limit R: the server as a rate-limited API. A token bucket over the
// whole server: it holds at most `burst` tokens and gains `rate` a second;
// a request takes one, and one that finds none gets 429 Too Many Requests at
// once, before it could take a worker. Time comes in as an argument, so the
// arithmetic can be tested on a fake clock.
#include <chrono>
#include <mutex>
#include <optional>

namespace kit {

class TokenBucket {
 public:
  using Clock = std::chrono::steady_clock;

  struct Decision {
    bool allowed = false;
    int remaining = 0;       // whole tokens left after this request
    double retry_after = 0;  // seconds until a token is there (refused only)
  };

  TokenBucket(double rate, double burst, Clock::time_point now);  // starts full
  Decision take(Clock::time_point now);                           // safe from any thread

  double rate() const { return rate_; }
  int limit() const { return static_cast<int>(burst_); }

 private:
  const double rate_, burst_;
  std::mutex mutex_;
  double tokens_;
  Clock::time_point updated_;
};

// What a rate-limited server tells every client (the IETF RateLimit
// headers), and a refused one when to come back.
struct RateLimitHeaders {
  int limit = 0;
  int remaining = 0;
  int retry_after = 0;  // seconds; 0 when the request was let through
};

// Takes a token for a request, when the server is rate-limited (nothing when it is not).
std::optional<RateLimitHeaders> admit(std::optional<TokenBucket>& bucket, TokenBucket::Clock::time_point at);

}  // namespace kit
