#include "stats.hpp"

#include "counts.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace kit {

void Tally::add(const RequestRecord& r) {
  if (!stages.empty()) {
    add_to_stages(stages, r);
    add_to_load_slices(load_slices, stages.back().end, r);
  }
  first_send = std::min(first_send.value_or(r.start), r.start);
  last_send = std::max(last_send.value_or(r.start), r.start);
  if (r.due && r.attempt == 1) {
    ++scheduled;
    if (r.late() > late_after) {
      ++late;
      late_total += r.late().count();
      late_most = std::max(late_most, r.late().count());
    }
  }
  if (r.connect.count() > 0) connect_total += r.connect.count(), ++connects;
  if (r.handshake.count() > 0) handshake_total += r.handshake.count(), ++handshakes;
  if (r.server_queue) {
    server_queue_total += r.server_queue->count();
    server_queue_slowest = std::max(server_queue_slowest, r.server_queue->count());
    ++server_queues;
  }
  connections_opened += r.new_connection;
  if (r.retried) {
    ++retries;
    return;
  }
  ++requests;
  http2_requests += r.http2;
  held_by_stream_limit += r.held_by_stream_limit;
  total_bytes += r.bytes;
  if (r.attempt > 1) ++retried_requests;
  if (r.status != 0) ++status_counts[r.status];
  if (by_url.size() <= static_cast<std::size_t>(r.url)) by_url.resize(static_cast<std::size_t>(r.url) + 1);
  UrlTally& url = by_url[static_cast<std::size_t>(r.url)];
  ++url.requests;
  if (r.ok()) {
    ++ok;
    ++url.ok;
    url.ok_seconds += r.duration().count();
    latencies.add(r.duration().count());
    if (r.due) service_times.add(r.service_time().count());
  } else {
    ++failed;
    ++url.failed;
    failed_after_retries += r.attempt > 1;
    ++error_counts[std::string(failure_name(r.failure))];
  }
}

namespace {

template <class Key>
void add_counts(std::map<Key, int>& to, const std::map<Key, int>& from) {
  for (const auto& [key, count] : from) add_count(to[key], count);
}

std::optional<Seconds> earliest(std::optional<Seconds> a, std::optional<Seconds> b) {
  return a && b ? std::min(*a, *b) : a ? a : b;
}

std::optional<Seconds> latest(std::optional<Seconds> a, std::optional<Seconds> b) {
  return a && b ? std::max(*a, *b) : a ? a : b;
}

}  // namespace

void Tally::add(const Tally& other) {
  if (other.stages.size() != stages.size()) throw std::invalid_argument("tallies of different stages");
  for (auto [to, from] : {std::pair{&requests, other.requests},
                          {&ok, other.ok},
                          {&failed, other.failed},
                          {&connections_opened, other.connections_opened},
                          {&http2_requests, other.http2_requests},
                          {&held_by_stream_limit, other.held_by_stream_limit},
                          {&connects, other.connects},
                          {&handshakes, other.handshakes},
                          {&server_queues, other.server_queues},
                          {&retries, other.retries},
                          {&retried_requests, other.retried_requests},
                          {&failed_after_retries, other.failed_after_retries},
                          {&scheduled, other.scheduled},
                          {&late, other.late}}) {
    add_count(*to, from);
  }
  total_bytes += other.total_bytes;
  connect_total += other.connect_total, handshake_total += other.handshake_total;
  server_queue_total += other.server_queue_total, late_total += other.late_total;
  server_queue_slowest = std::max(server_queue_slowest, other.server_queue_slowest);
  late_most = std::max(late_most, other.late_most);
  latencies.add(other.latencies.counted());
  service_times.add(other.service_times.counted());
  add_counts(status_counts, other.status_counts);
  add_counts(error_counts, other.error_counts);
  if (by_url.size() < other.by_url.size()) by_url.resize(other.by_url.size());
  for (std::size_t k = 0; k < other.by_url.size(); ++k) {
    add_count(by_url[k].requests, other.by_url[k].requests);
    add_count(by_url[k].ok, other.by_url[k].ok);
    add_count(by_url[k].failed, other.by_url[k].failed);
    by_url[k].ok_seconds += other.by_url[k].ok_seconds;
  }
  for (std::size_t k = 0; k < stages.size(); ++k) add_stage(stages[k], other.stages[k]);
  if (load_slices.size() < other.load_slices.size()) load_slices.resize(other.load_slices.size());
  for (std::size_t k = 0; k < other.load_slices.size(); ++k) load_slices[k].add(other.load_slices[k].counted());
  first_send = earliest(first_send, other.first_send);
  last_send = latest(last_send, other.last_send);
}

namespace {

// Each host's share, in the order the URLs first name it; empty for one host.
std::vector<Summary::HostLine> by_host(const std::vector<UrlTally>& by_url,
                                       const std::vector<std::string>& host_of_url) {
  std::vector<Summary::HostLine> hosts;
  std::vector<double> ok_seconds;
  for (std::size_t k = 0; k < by_url.size() && k < host_of_url.size(); ++k) {
    auto line = std::find_if(hosts.begin(), hosts.end(), [&](const auto& h) { return h.host == host_of_url[k]; });
    if (line == hosts.end()) {
      hosts.push_back({.host = host_of_url[k]});
      ok_seconds.push_back(0);
      line = hosts.end() - 1;
    }
    line->requests += by_url[k].requests;
    line->ok += by_url[k].ok;
    line->failed += by_url[k].failed;
    ok_seconds[static_cast<std::size_t>(line - hosts.begin())] += by_url[k].ok_seconds;
  }
  for (std::size_t h = 0; h < hosts.size(); ++h) {
    if (hosts[h].ok > 0) hosts[h].average = ok_seconds[h] / hosts[h].ok;
  }
  if (hosts.size() < 2) hosts.clear();
  return hosts;
}

}  // namespace

Tally tally_of(const std::vector<RequestRecord>& records) {
  Tally tally;
  for (const RequestRecord& r : records) tally.add(r);
  return tally;
}

Summary summarize(Tally tally, Seconds elapsed, const std::vector<std::string>& host_of_url) {
  Summary s;
  s.requests = tally.requests;
  s.ok = tally.ok;
  s.failed = tally.failed;
  s.total_seconds = elapsed.count();
  s.requests_per_second = s.total_seconds > 0 ? s.requests / s.total_seconds : 0;
  s.total_bytes = tally.total_bytes;
  s.connections_opened = tally.connections_opened;
  s.http2_requests = tally.http2_requests;
  s.held_by_stream_limit = tally.held_by_stream_limit;
  if (tally.connects > 0) s.connect_average = tally.connect_total / tally.connects;
  if (tally.handshakes > 0) s.handshake_average = tally.handshake_total / tally.handshakes;
  if (tally.server_queues > 0) {
    s.server_queue_average = tally.server_queue_total / tally.server_queues;
    s.server_queue_slowest = tally.server_queue_slowest;
  }
  s.retries = tally.retries;
  s.retried_requests = tally.retried_requests;
  s.failed_after_retries = tally.failed_after_retries;
  s.scheduled = tally.scheduled;
  s.late = tally.late;
  if (tally.late > 0) {
    s.late_average = tally.late_total / tally.late;
    s.late_most = tally.late_most;
  }
  s.hosts = by_host(tally.by_url, host_of_url);
  s.stages = stage_lines(tally.stages);
  s.load_slices = std::move(tally.load_slices);
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
  if (tally.service_times.count() > 0) {
    s.service_average = tally.service_times.mean();
    for (double p : reported_percentiles) s.service_percentiles.emplace_back(p, *tally.service_times.percentile(p));
  }
  return s;
}

Summary summarize(const std::vector<RequestRecord>& records, Seconds elapsed) {
  return summarize(tally_of(records), elapsed);
}

}  // namespace kit
