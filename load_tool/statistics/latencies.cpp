#include "latencies.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace kit {

namespace {

double percentile_of_sorted(const std::vector<double>& values, double p) {
  const double n = static_cast<double>(values.size());
  // Rounded first: 99.9% of 1000 is 999 exactly, not 999.0000001.
  const double rank = std::ceil(std::round(p / 100.0 * n * 1e9) / 1e9);
  const auto index = static_cast<std::size_t>(std::clamp(rank, 1.0, n)) - 1;
  return values[index];
}

// The histogram counts whole nanoseconds. Below 2048 ns every value has its
// own bucket; above, each doubling [2^m, 2^(m+1)) has 1024 buckets of equal
// width 2^(m-10), so a bucket is at most 1/1024 (under 0.1%) of its values wide.
constexpr int exact_bits = 11;   // 2048 one-nanosecond buckets
constexpr int sub_bits = 10;     // 1024 buckets per doubling
constexpr int highest_bit = 45;  // up to 2^46 ns, about 19 hours
constexpr std::size_t fine_bucket_count =
    (std::size_t{1} << exact_bits) + static_cast<std::size_t>(highest_bit - exact_bits + 1) * (1u << sub_bits);

std::size_t bucket_of(std::uint64_t ns) {
  ns = std::min<std::uint64_t>(ns, (std::uint64_t{1} << (highest_bit + 1)) - 1);
  if (ns < (std::uint64_t{1} << exact_bits)) return static_cast<std::size_t>(ns);
  const int bit = std::bit_width(ns) - 1;  // >= exact_bits
  const int shift = bit - sub_bits;
  const std::uint64_t sub = (ns >> shift) - (std::uint64_t{1} << sub_bits);  // 0 .. 1023
  return (std::size_t{1} << exact_bits) + static_cast<std::size_t>(bit - exact_bits) * (1u << sub_bits) +
         static_cast<std::size_t>(sub);
}

// The middle of a bucket, in seconds: within half a bucket of every value in it.
double middle_of(std::size_t bucket) {
  if (bucket < (std::size_t{1} << exact_bits)) return static_cast<double>(bucket) * 1e-9;
  const std::size_t above = bucket - (std::size_t{1} << exact_bits);
  const int bit = exact_bits + static_cast<int>(above >> sub_bits);
  const int shift = bit - sub_bits;
  const std::uint64_t low = ((std::uint64_t{1} << sub_bits) + (above & ((1u << sub_bits) - 1))) << shift;
  return (static_cast<double>(low) + static_cast<double>(std::uint64_t{1} << shift) / 2) * 1e-9;
}

}  // namespace

std::optional<double> percentile(std::vector<double> values, double p) {
  if (values.empty()) return std::nullopt;
  std::sort(values.begin(), values.end());
  return percentile_of_sorted(values, p);
}

std::vector<HistogramBucket> histogram(const std::vector<double>& values, int buckets) {
  if (values.empty()) return {};
  const auto [low, high] = std::minmax_element(values.begin(), values.end());
  const double width = (*high - *low) / buckets;
  if (width <= 0) return {{*high, static_cast<int>(values.size())}};

  std::vector<HistogramBucket> result(static_cast<std::size_t>(buckets));
  for (int i = 0; i < buckets; ++i) result[i].upper = *low + width * (i + 1);
  result.back().upper = *high;
  for (double v : values) {
    const int index = std::min(buckets - 1, static_cast<int>((v - *low) / width));
    ++result[static_cast<std::size_t>(index)].count;
  }
  return result;
}

void Latencies::add(double seconds) {
  if (count_ == 0) {
    min_ = max_ = seconds;
  } else {
    min_ = std::min(min_, seconds);
    max_ = std::max(max_, seconds);
  }
  ++count_;
  sum_ += seconds;
  if (!exact()) return count_in_histogram(seconds);
  values_.push_back(seconds);
  sorted_ = false;
  if (values_.size() > exact_limit) to_histogram();
}

void Latencies::to_histogram() {
  counts_.assign(fine_bucket_count, 0);
  for (double v : values_) count_in_histogram(v);
  std::vector<double>().swap(values_);  // give the memory back
}

void Latencies::count_in_histogram(double seconds) {
  ++counts_[bucket_of(static_cast<std::uint64_t>(std::llround(std::max(0.0, seconds) * 1e9)))];
}

std::optional<double> Latencies::fastest() const { return count_ ? std::optional(min_) : std::nullopt; }
std::optional<double> Latencies::slowest() const { return count_ ? std::optional(max_) : std::nullopt; }
std::optional<double> Latencies::mean() const {
  return count_ ? std::optional(sum_ / static_cast<double>(count_)) : std::nullopt;
}

std::optional<double> Latencies::percentile(double p) const {
  if (count_ == 0) return std::nullopt;
  const double n = static_cast<double>(count_);
  // Rounded first: 99.9% of 1000 is 999 exactly, not 999.0000001.
  const double rank = std::clamp(std::ceil(std::round(p / 100.0 * n * 1e9) / 1e9), 1.0, n);
  if (exact()) {
    if (!sorted_) std::sort(values_.begin(), values_.end());
    sorted_ = true;
    return percentile_of_sorted(values_, p);
  }
  std::uint64_t seen = 0;
  for (std::size_t bucket = 0; bucket < counts_.size(); ++bucket) {
    seen += counts_[bucket];
    if (static_cast<double>(seen) >= rank) return std::clamp(middle_of(bucket), min_, max_);
  }
  return max_;
}

std::size_t Latencies::bucket_count() { return fine_bucket_count; }

CountedLatencies Latencies::counted() const {
  CountedLatencies counted{.count = count_, .sum = sum_, .min = min_, .max = max_};
  if (exact()) {
    std::vector<std::size_t> buckets;
    buckets.reserve(values_.size());
    for (double v : values_)
      buckets.push_back(bucket_of(static_cast<std::uint64_t>(std::llround(std::max(0.0, v) * 1e9))));
    std::sort(buckets.begin(), buckets.end());
    for (std::size_t bucket : buckets) {
      if (counted.buckets.empty() || counted.buckets.back().first != bucket) counted.buckets.emplace_back(bucket, 0);
      ++counted.buckets.back().second;
    }
    return counted;
  }
  for (std::size_t bucket = 0; bucket < counts_.size(); ++bucket) {
    if (counts_[bucket] > 0) counted.buckets.emplace_back(bucket, counts_[bucket]);
  }
  return counted;
}

void Latencies::add(const CountedLatencies& other) {
  std::uint64_t in_buckets = 0;
  for (const auto& [bucket, count] : other.buckets) {
    if (bucket >= fine_bucket_count) throw std::invalid_argument("a latency bucket past the last");
    in_buckets += count;
  }
  if (in_buckets != other.count) throw std::invalid_argument("latency buckets that do not add up to their count");
  if (other.count == 0) return;
  if (exact()) to_histogram();
  for (const auto& [bucket, count] : other.buckets) counts_[bucket] += count;
  min_ = count_ ? std::min(min_, other.min) : other.min;
  max_ = count_ ? std::max(max_, other.max) : other.max;
  count_ += other.count;
  sum_ += other.sum;
}

std::vector<HistogramBucket> Latencies::histogram(int buckets) const {
  if (exact()) return kit::histogram(values_, buckets);
  const double width = (max_ - min_) / buckets;
  if (width <= 0) return {{max_, static_cast<int>(count_)}};
  std::vector<HistogramBucket> result(static_cast<std::size_t>(buckets));
  for (int i = 0; i < buckets; ++i) result[i].upper = min_ + width * (i + 1);
  result.back().upper = max_;
  for (std::size_t bucket = 0; bucket < counts_.size(); ++bucket) {
    if (counts_[bucket] == 0) continue;
    const double value = std::clamp(middle_of(bucket), min_, max_);
    const int index = std::min(buckets - 1, static_cast<int>((value - min_) / width));
    result[static_cast<std::size_t>(index)].count += static_cast<int>(counts_[bucket]);
  }
  return result;
}

}  // namespace kit
