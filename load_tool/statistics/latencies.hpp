#pragma once
// A run's latencies in memory that does not grow with the run: the first
// `exact_limit` values are kept as they are, so short runs report exact
// figures; past that they go into a log-linear histogram of fixed size (the
// HdrHistogram idea), 1024 buckets per doubling from 2 µs up, so that every
// percentile is within 0.1% of a measured value. The count, fastest, slowest
// and mean are kept apart and stay exact.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace kit {

// The p-th percentile (0 < p <= 100) of values by the nearest-rank method: the
// smallest value with at least p% of the values at or below it. Always one of
// the values, so right for small n too. Empty input gives nullopt.
std::optional<double> percentile(std::vector<double> values, double p);

struct HistogramBucket {
  double upper = 0;  // the bucket holds values up to and including this mark
  int count = 0;
};

// Up to `buckets` equal-width buckets from the smallest to the largest value;
// identical values make a single bucket.
std::vector<HistogramBucket> histogram(const std::vector<double>& values, int buckets = 10);

// Latencies in the form that adds up across processes: every value counted
// in its fine bucket, and the exact count, sum, fastest and slowest.
struct CountedLatencies {
  std::uint64_t count = 0;
  double sum = 0, min = 0, max = 0;
  std::vector<std::pair<std::size_t, std::uint64_t>> buckets;  // (bucket, values in it), in order, none empty
};

class Latencies {
 public:
  // The fine histogram's buckets: below 2048 ns one per nanosecond, then
  // 1024 to each doubling, up to 2^46 ns (docs/distributed.md).
  static std::size_t bucket_count();
  static constexpr std::size_t exact_limit = 1 << 16;  // values kept exactly; past them, the histogram

  void add(double seconds);
  std::size_t count() const { return count_; }
  bool exact() const { return counts_.empty(); }  // every value is still kept
  std::optional<double> fastest() const;
  std::optional<double> slowest() const;
  std::optional<double> mean() const;
  // Nearest rank, as percentile() in stats.hpp: a measured value while
  // exact(), else within 0.1% of one.
  std::optional<double> percentile(double p) const;
  // As histogram() in stats.hpp, from the kept values or the fine buckets.
  std::vector<HistogramBucket> histogram(int buckets = 10) const;

  // Every value counted in its bucket, for a --result file.
  CountedLatencies counted() const;
  // Adds values counted elsewhere; from then on percentiles come from the
  // buckets. Throws std::invalid_argument when `other` does not add up.
  void add(const CountedLatencies& other);

 private:
  void to_histogram();
  void count_in_histogram(double seconds);

  std::size_t count_ = 0;
  double sum_ = 0, min_ = 0, max_ = 0;
  mutable std::vector<double> values_;  // while exact; sorted on demand
  mutable bool sorted_ = true;
  std::vector<std::uint64_t> counts_;  // once past exact_limit
};

}  // namespace kit
