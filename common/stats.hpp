#pragma once
// The numbers a load tool reports, computed from the records alone. Pure
// functions: no printing, no clocks.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "latencies.hpp"
#include "record.hpp"

namespace kit {

struct Summary {
  int requests = 0;
  int ok = 0;
  int failed = 0;
  double total_seconds = 0;
  double requests_per_second = 0;  // all requests, finished or failed, per second of the run
  std::size_t total_bytes = 0;
  int connections_opened = 0;      // fewer than requests when connections were kept alive
  // Averages over new connections, where the client measured them (client_async).
  std::optional<double> connect_average, handshake_average;
  // Over the answers whose server sent Server-Timing with a queue figure.
  std::optional<double> server_queue_average, server_queue_slowest;
  // Latency of the successful requests; empty when none succeeded.
  std::optional<double> fastest, slowest, average;
  std::vector<std::pair<double, double>> percentiles;  // (p, seconds)
  std::vector<HistogramBucket> histogram;
  std::map<int, int> status_counts;          // every answer that arrived, 4xx/5xx included
  std::map<std::string, int> error_counts;   // by failure name
  double success_rate() const { return requests ? 100.0 * ok / requests : 0; }
};

inline constexpr double reported_percentiles[] = {10, 25, 50, 75, 90, 95, 99, 99.9};

// What the summary needs of each request, gathered as requests finish: a long
// run need not keep every record, and its latencies take fixed memory.
struct Tally {
  int requests = 0;
  int ok = 0;
  int failed = 0;
  std::size_t total_bytes = 0;
  int connections_opened = 0;
  double connect_total = 0, handshake_total = 0;  // over `connects` and `handshakes` new connections
  int connects = 0, handshakes = 0;
  double server_queue_total = 0, server_queue_slowest = 0;  // over `server_queues` answers
  int server_queues = 0;
  Latencies latencies;  // of the successful requests
  std::map<int, int> status_counts;
  std::map<std::string, int> error_counts;

  void add(const RequestRecord& record);
};

Tally tally_of(const std::vector<RequestRecord>& records);

Summary summarize(Tally tally, Seconds elapsed);
Summary summarize(const std::vector<RequestRecord>& records, Seconds elapsed);

}  // namespace kit
