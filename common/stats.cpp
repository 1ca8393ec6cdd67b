#include "stats.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace kit {

namespace {

double percentile_of_sorted(const std::vector<double>& values, double p) {
  const double n = static_cast<double>(values.size());
  // Rounded first: 99.9% of 1000 is 999 exactly, not 999.0000001.
  const double rank = std::ceil(std::round(p / 100.0 * n * 1e9) / 1e9);
  const auto index = static_cast<std::size_t>(std::clamp(rank, 1.0, n)) - 1;
  return values[index];
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

Summary summarize(const std::vector<RequestRecord>& records, Seconds elapsed) {
  Summary s;
  s.requests = static_cast<int>(records.size());
  s.total_seconds = elapsed.count();
  s.requests_per_second = s.total_seconds > 0 ? s.requests / s.total_seconds : 0;

  std::vector<double> latencies;
  double connect_total = 0, handshake_total = 0;
  int connects = 0, handshakes = 0;
  for (const RequestRecord& r : records) {
    if (r.connect.count() > 0) connect_total += r.connect.count(), ++connects;
    if (r.handshake.count() > 0) handshake_total += r.handshake.count(), ++handshakes;
    s.total_bytes += r.bytes;
    s.connections_opened += r.new_connection;
    if (r.status != 0) ++s.status_counts[r.status];
    if (r.ok()) {
      ++s.ok;
      latencies.push_back(r.duration().count());
    } else {
      ++s.failed;
      ++s.error_counts[std::string(failure_name(r.failure))];
    }
  }
  if (connects > 0) s.connect_average = connect_total / connects;
  if (handshakes > 0) s.handshake_average = handshake_total / handshakes;
  if (!latencies.empty()) {
    std::sort(latencies.begin(), latencies.end());
    s.fastest = latencies.front();
    s.slowest = latencies.back();
    s.average = std::accumulate(latencies.begin(), latencies.end(), 0.0) / latencies.size();
    for (double p : reported_percentiles) s.percentiles.emplace_back(p, percentile_of_sorted(latencies, p));
    s.histogram = histogram(latencies);
  }
  return s;
}

}  // namespace kit
