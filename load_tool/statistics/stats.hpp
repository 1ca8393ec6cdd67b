#pragma once
// The numbers a load tool reports, computed from the records alone. Pure
// functions: no printing, no clocks.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "latencies.hpp"
#include "record.hpp"
#include "stage_tally.hpp"

namespace kit {

struct Summary {
  std::string method = "GET";  // what every request asked with
  int requests = 0;
  int ok = 0;
  int failed = 0;
  double total_seconds = 0;
  double requests_per_second = 0;  // all requests, finished or failed, per second of the run
  std::size_t total_bytes = 0;
  int connections_opened = 0;  // fewer than requests when connections were kept alive
  // client_async --http2: requests that went as streams, and those that waited for the server's limit on them.
  int http2_requests = 0, held_by_stream_limit = 0;
  bool http2_asked = false;  // --http2 was given: requests over HTTP/1.1 are the server's choice
  // Averages over new connections, where the client measured them (client_async).
  std::optional<double> connect_average, handshake_average;
  // Over the answers whose server sent Server-Timing with a queue figure.
  std::optional<double> server_queue_average, server_queue_slowest;
  // Latency of the successful requests; empty when none succeeded.
  std::optional<double> fastest, slowest, average;
  std::vector<std::pair<double, double>> percentiles;  // (p, seconds)
  // --rate and --stages: the same from each request's send, not its due time.
  std::optional<double> service_average;
  std::vector<std::pair<double, double>> service_percentiles;
  std::vector<HistogramBucket> histogram;
  std::map<int, int> status_counts;         // every request's last answer, 4xx/5xx included
  std::map<std::string, int> error_counts;  // by failure name
  // --retry: tries that were asked again, requests that needed them, and of
  // those, the ones whose last try failed too.
  int retries = 0, retried_requests = 0, failed_after_retries = 0;
  // --rate: requests that went out more than late_after their due time.
  int scheduled = 0, late = 0;
  std::optional<double> late_average, late_most;
  // With URLs on more than one host: each host's share, in the order first named.
  struct HostLine {
    std::string host;
    int requests = 0, ok = 0, failed = 0;
    std::optional<double> average;
  };
  std::vector<HostLine> hosts;
  std::vector<StageLine> stages;       // --stages: a line per stage
  std::vector<Latencies> load_slices;  // --stages: the tally's, for the SVG's chart
  double success_rate() const { return requests ? 100.0 * ok / requests : 0; }
};

inline constexpr double reported_percentiles[] = {10, 25, 50, 75, 90, 95, 99, 99.9};

// Timers wake a little after their time; a request counts as late past this.
inline constexpr Seconds late_after{0.001};

// One URL's share of a run.
struct UrlTally {
  int requests = 0, ok = 0, failed = 0;
  double ok_seconds = 0;  // latencies of the successful requests, added up
};

// What the summary needs of each request, gathered as requests finish: a long
// run need not keep every record, and its latencies take fixed memory.
struct Tally {
  int requests = 0;
  int ok = 0;
  int failed = 0;
  std::size_t total_bytes = 0;
  int connections_opened = 0;
  int http2_requests = 0, held_by_stream_limit = 0;  // by the last try of each request
  double connect_total = 0, handshake_total = 0;     // over `connects` and `handshakes` new connections
  int connects = 0, handshakes = 0;
  double server_queue_total = 0, server_queue_slowest = 0;  // over `server_queues` answers
  int server_queues = 0;
  Latencies latencies;      // of the successful requests
  Latencies service_times;  // of the successful requests that had a due time (--rate, --stages)
  std::map<int, int> status_counts;
  std::map<std::string, int> error_counts;
  int retries = 0, retried_requests = 0, failed_after_retries = 0;
  int scheduled = 0, late = 0;
  double late_total = 0, late_most = 0;
  std::vector<UrlTally> by_url;                  // indexed by RequestRecord::url
  std::vector<StageTally> stages;                // --stages: set before the run, one per stage
  std::vector<Latencies> load_slices;            // --stages: see add_to_load_slices()
  std::optional<Seconds> first_send, last_send;  // of any try, since the run started

  // Counts a request by its last try; an earlier try (retried) counts as a retry.
  void add(const RequestRecord& record);
  // Adds another shard's tally of the same plan, its times on this one's
  // clock; throws std::invalid_argument when their stages differ.
  void add(const Tally& other);
};

Tally tally_of(const std::vector<RequestRecord>& records);

// `host_of_url` names each URL's host ("localhost:8000"), for the lines by
// host; none are made when the URLs share one host.
Summary summarize(Tally tally, Seconds elapsed, const std::vector<std::string>& host_of_url = {});
Summary summarize(const std::vector<RequestRecord>& records, Seconds elapsed);

}  // namespace kit
