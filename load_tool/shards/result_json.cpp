#include "result_json.hpp"

#include "json_fields.hpp"

#include <boost/json.hpp>
#include <charconv>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace kit {

namespace json = boost::json;
using namespace json_fields;

namespace {

std::optional<Seconds> optional_seconds(const json::object& object, std::string_view key) {
  if (field(object, key).is_null()) return std::nullopt;
  return Seconds(number(object, key));
}

json::value seconds_or_null(const std::optional<Seconds>& value) {
  return value ? json::value(value->count()) : json::value(nullptr);
}

json::object latencies_json(const Latencies& latencies) {
  const CountedLatencies counted = latencies.counted();
  json::array buckets;
  buckets.reserve(counted.buckets.size());
  for (const auto& [bucket, count] : counted.buckets) buckets.push_back(json::array{bucket, count});
  return {{"count", counted.count},
          {"sum", counted.sum},
          {"min", counted.min},
          {"max", counted.max},
          {"buckets", std::move(buckets)}};
}

Latencies latencies_from_json(const json::object& object) {
  CountedLatencies counted{.count = count<std::uint64_t>(object, "count"),
                           .sum = number(object, "sum"),
                           .min = number(object, "min"),
                           .max = number(object, "max")};
  for (const json::value& pair : array_at(object, "buckets")) {
    const json::array* items = pair.if_array();
    if (items == nullptr || items->size() != 2 || !(*items)[0].is_number() || !(*items)[1].is_number()) {
      throw std::invalid_argument("a latency bucket that is not [bucket, count]");
    }
    counted.buckets.emplace_back(count_of<std::size_t>((*items)[0], "buckets"),
                                 count_of<std::uint64_t>((*items)[1], "buckets"));
  }
  Latencies latencies;
  latencies.add(counted);
  return latencies;
}

}  // namespace

namespace {

json::object stage_json(const StageTally& stage) {
  return {{"begin", stage.begin.count()},
          {"end", stage.end.count()},
          {"start_rate", stage.start_rate},
          {"end_rate", stage.end_rate},
          {"requests", stage.requests},
          {"ok", stage.ok},
          {"failed", stage.failed},
          {"answered", stage.answered},
          {"in_flight_seconds", stage.in_flight_seconds},
          {"latency", latencies_json(stage.latencies)}};
}

StageTally stage_from_json(const json::object& object) {
  StageTally stage{.begin = Seconds(number(object, "begin")),
                   .end = Seconds(number(object, "end")),
                   .start_rate = number(object, "start_rate"),
                   .end_rate = number(object, "end_rate"),
                   .requests = count(object, "requests"),
                   .ok = count(object, "ok"),
                   .failed = count(object, "failed"),
                   .answered = count(object, "answered"),
                   .in_flight_seconds = number(object, "in_flight_seconds")};
  stage.latencies = latencies_from_json(object_at(object, "latency"));
  return stage;
}

// Only the names the kit gives failures: a file's text goes to the terminal.
std::string known_failure(std::string_view name) {
  for (Failure failure : {Failure::dns, Failure::refused, Failure::timeout, Failure::reset, Failure::bad_response,
                          Failure::too_large, Failure::tls, Failure::redirect, Failure::http_status, Failure::other}) {
    if (failure_name(failure) == name) return std::string(name);
  }
  throw std::invalid_argument("an error count of an unknown kind");
}

int known_status(std::string_view text) {
  int status = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), status);
  if (error != std::errc() || end != text.data() + text.size() || status < 100 || status > 999) {
    throw std::invalid_argument("a status count of no HTTP status");
  }
  return status;
}

void read_counts(const json::object& object, Tally& tally) {
  for (const auto& [status, n] : object_at(object, "status")) {
    tally.status_counts[known_status(status)] = count_of(n, "status");
  }
  for (const auto& [name, n] : object_at(object, "errors")) {
    tally.error_counts[known_failure(name)] = count_of(n, "errors");
  }
  for (const json::value& url : array_at(object, "urls")) {
    if (!url.is_object()) throw std::invalid_argument("a URL's tally that is not an object");
    const json::object& u = url.get_object();
    tally.by_url.push_back({count(u, "requests"), count(u, "ok"), count(u, "failed"), number(u, "ok_seconds")});
  }
  for (const json::value& stage : array_at(object, "stages")) {
    if (!stage.is_object()) throw std::invalid_argument("a stage's tally that is not an object");
    tally.stages.push_back(stage_from_json(stage.get_object()));
  }
  const json::array& slices = array_at(object, "load_slices");
  if (!slices.empty() && slices.size() != load_slice_count)
    throw std::invalid_argument("'load_slices' of another count");
  for (const json::value& slice : slices) {
    if (!slice.is_object()) throw std::invalid_argument("a load slice that is not an object");
    tally.load_slices.push_back(latencies_from_json(slice.get_object()));
  }
}

}  // namespace

json::object tally_json(const Tally& t) {
  json::object status, errors;
  for (const auto& [code, n] : t.status_counts) status[std::to_string(code)] = n;
  for (const auto& [name, n] : t.error_counts) errors[name] = n;
  json::array urls, stages, slices;
  for (const UrlTally& u : t.by_url) {
    urls.push_back({{"requests", u.requests}, {"ok", u.ok}, {"failed", u.failed}, {"ok_seconds", u.ok_seconds}});
  }
  for (const StageTally& stage : t.stages) stages.push_back(stage_json(stage));
  for (const Latencies& slice : t.load_slices) slices.push_back(latencies_json(slice));
  return {{"requests", t.requests},
          {"ok", t.ok},
          {"failed", t.failed},
          {"bytes", t.total_bytes},
          {"connections", t.connections_opened},
          {"http2_requests", t.http2_requests},
          {"held_by_stream_limit", t.held_by_stream_limit},
          {"connect_total", t.connect_total},
          {"connects", t.connects},
          {"handshake_total", t.handshake_total},
          {"handshakes", t.handshakes},
          {"server_queue_total", t.server_queue_total},
          {"server_queue_slowest", t.server_queue_slowest},
          {"server_queues", t.server_queues},
          {"retries", t.retries},
          {"retried_requests", t.retried_requests},
          {"failed_after_retries", t.failed_after_retries},
          {"scheduled", t.scheduled},
          {"late", t.late},
          {"late_total", t.late_total},
          {"late_most", t.late_most},
          {"first_send", seconds_or_null(t.first_send)},
          {"last_send", seconds_or_null(t.last_send)},
          {"status", std::move(status)},
          {"errors", std::move(errors)},
          {"latency", latencies_json(t.latencies)},
          {"service", latencies_json(t.service_times)},
          {"urls", std::move(urls)},
          {"stages", std::move(stages)},
          {"load_slices", std::move(slices)}};
}

Tally tally_from_json(const json::object& o) {
  Tally t;
  t.requests = count(o, "requests"), t.ok = count(o, "ok"), t.failed = count(o, "failed");
  t.total_bytes = count<std::size_t>(o, "bytes");
  t.connections_opened = count(o, "connections");
  t.http2_requests = count(o, "http2_requests"), t.held_by_stream_limit = count(o, "held_by_stream_limit");
  t.connect_total = number(o, "connect_total"), t.connects = count(o, "connects");
  t.handshake_total = number(o, "handshake_total"), t.handshakes = count(o, "handshakes");
  t.server_queue_total = number(o, "server_queue_total"), t.server_queues = count(o, "server_queues");
  t.server_queue_slowest = number(o, "server_queue_slowest");
  t.retries = count(o, "retries"), t.retried_requests = count(o, "retried_requests");
  t.failed_after_retries = count(o, "failed_after_retries");
  t.scheduled = count(o, "scheduled"), t.late = count(o, "late");
  t.late_total = number(o, "late_total"), t.late_most = number(o, "late_most");
  t.first_send = optional_seconds(o, "first_send"), t.last_send = optional_seconds(o, "last_send");
  t.latencies = latencies_from_json(object_at(o, "latency"));
  t.service_times = latencies_from_json(object_at(o, "service"));
  read_counts(o, t);
  if (t.ok + t.failed != t.requests || t.latencies.count() != static_cast<std::size_t>(t.ok)) {
    throw std::invalid_argument("counts that do not add up");
  }
  return t;
}

}  // namespace kit
