#include "result_file.hpp"

#include <boost/json.hpp>
#include <cstdio>

#include "result_json.hpp"

namespace kit {

namespace json = boost::json;

namespace {

json::value optional_value(const std::optional<double>& value) {
  return value ? json::value(*value) : json::value(nullptr);
}

// What every shard of one run shares; its digest tells two plans apart.
json::object plan_of(const ClientOptions& options) {
  json::array urls, hosts, methods, stages;
  for (const HttpTarget& target : options.targets) {
    urls.emplace_back(target.url);
    hosts.emplace_back(target.host_header);
  }
  for (const RequestShape& shape : options.shapes) methods.emplace_back(shape.method);
  for (const Stage& stage : options.stages) stages.push_back(json::array{stage.length.count(), stage.rate});
  const bool timed = options.duration.has_value();
  return {{"urls", urls},
          {"hosts", hosts},
          {"methods", methods},
          {"requests", timed ? json::value(nullptr) : json::value(options.requests)},
          {"duration", timed ? json::value(options.duration->count()) : json::value(nullptr)},
          {"rate", optional_value(options.rate)},
          {"stages", stages},
          {"start_at", optional_value(options.start_at)},
          {"shards", options.shard.count}};
}

// FNV-1a, 64 bits, as 16 hex digits: stable everywhere, enough to tell plans apart.
std::string digest_of(std::string_view text) {
  std::uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : text) hash = (hash ^ c) * 1099511628211ull;
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
  return hex;
}

}  // namespace

std::string plan_digest(const json::object& plan) { return digest_of(json::serialize(plan)); }

std::string result_line(const RunResult& run, const ClientOptions& options, int exit_code) {
  const json::object plan = plan_of(options);
  const json::object result{{"format", result_format},
                            {"version", result_version},
                            {"latency_layout", latency_layout},
                            {"program", options.program},
                            {"plan_digest", plan_digest(plan)},
                            {"plan", plan},
                            {"shard", json::array{options.shard.index, options.shard.count}},
                            {"exit", exit_code},
                            {"unix_start", run.unix_start},
                            {"elapsed", run.elapsed.count()},
                            {"cancelled", run.cancelled},
                            {"unsent", run.unsent},
                            {"tally", tally_json(run.tally)}};
  return json::serialize(result);
}

}  // namespace kit
