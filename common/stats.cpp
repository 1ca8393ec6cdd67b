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

void Tally::add(const RequestRecord& r) {
  ++requests;
  if (r.connect.count() > 0) connect_total += r.connect.count(), ++connects;
  if (r.handshake.count() > 0) handshake_total += r.handshake.count(), ++handshakes;
  if (r.server_queue) {
    server_queue_total += r.server_queue->count();
    server_queue_slowest = std::max(server_queue_slowest, r.server_queue->count());
    ++server_queues;
  }
  total_bytes += r.bytes;
  connections_opened += r.new_connection;
  if (r.status != 0) ++status_counts[r.status];
  if (r.ok()) {
    ++ok;
    latencies.push_back(r.duration().count());
  } else {
    ++failed;
    ++error_counts[std::string(failure_name(r.failure))];
  }
}

Tally tally_of(const std::vector<RequestRecord>& records) {
  Tally tally;
  for (const RequestRecord& r : records) tally.add(r);
  return tally;
}

Summary summarize(Tally tally, Seconds elapsed) {
  Summary s;
  s.requests = tally.requests;
  s.ok = tally.ok;
  s.failed = tally.failed;
  s.total_seconds = elapsed.count();
  s.requests_per_second = s.total_seconds > 0 ? s.requests / s.total_seconds : 0;
  s.total_bytes = tally.total_bytes;
  s.connections_opened = tally.connections_opened;
  if (tally.connects > 0) s.connect_average = tally.connect_total / tally.connects;
  if (tally.handshakes > 0) s.handshake_average = tally.handshake_total / tally.handshakes;
  if (tally.server_queues > 0) {
    s.server_queue_average = tally.server_queue_total / tally.server_queues;
    s.server_queue_slowest = tally.server_queue_slowest;
  }
  s.status_counts = std::move(tally.status_counts);
  s.error_counts = std::move(tally.error_counts);

  std::vector<double>& latencies = tally.latencies;
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

Summary summarize(const std::vector<RequestRecord>& records, Seconds elapsed) {
  return summarize(tally_of(records), elapsed);
}

}  // namespace kit
