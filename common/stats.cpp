#include "stats.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace kit {

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
    latencies.add(r.duration().count());
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

  const Latencies& latencies = tally.latencies;
  if (latencies.count() > 0) {
    s.fastest = latencies.fastest();
    s.slowest = latencies.slowest();
    s.average = latencies.mean();
    for (double p : reported_percentiles) s.percentiles.emplace_back(p, *latencies.percentile(p));
    s.histogram = latencies.histogram();
  }
  return s;
}

Summary summarize(const std::vector<RequestRecord>& records, Seconds elapsed) {
  return summarize(tally_of(records), elapsed);
}

}  // namespace kit
