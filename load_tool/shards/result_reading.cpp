#include <boost/json.hpp>
#include <stdexcept>

#include "json_fields.hpp"
#include "result_file.hpp"
#include "result_json.hpp"
#include "safe_text.hpp"

namespace kit {

namespace json = boost::json;
using namespace json_fields;

namespace {

int small_count(const json::object& object, std::string_view key, int most) {
  const json::value& value = field(object, key);
  if (!value.is_int64() || value.get_int64() < 0 || value.get_int64() > most) {
    throw std::invalid_argument("'" + std::string(key) + "' is not a count from 0 to " + std::to_string(most));
  }
  return static_cast<int>(value.get_int64());
}

// The plan's lists of text, made printable: they reach a terminal, JSON and SVG.
std::vector<std::string> texts(const json::object& plan, std::string_view key) {
  const json::value& value = field(plan, key);
  if (!value.is_array()) throw std::invalid_argument("the plan's '" + std::string(key) + "' is not a list");
  std::vector<std::string> texts;
  for (const json::value& item : value.get_array()) {
    if (!item.is_string()) throw std::invalid_argument("the plan's '" + std::string(key) + "' holds a non-text");
    texts.push_back(printable(item.get_string(), 2048));
  }
  return texts;
}

// The format, its version and the latency layout, before anything else is read.
void check_kind(const json::object& result) {
  const json::value* format = result.if_contains("format");
  if (format == nullptr || !format->is_string() || format->get_string() != result_format) {
    throw std::invalid_argument("not a " + std::string(result_format) + " line");
  }
  const json::value* version = result.if_contains("version");
  if (version == nullptr || !version->is_int64() || version->get_int64() != result_version) {
    throw std::invalid_argument("a result of another version (this program reads version " +
                                std::to_string(result_version) + ")");
  }
  const json::value* layout = result.if_contains("latency_layout");
  if (layout == nullptr || !layout->is_string() || layout->get_string() != latency_layout) {
    throw std::invalid_argument("latency buckets of a layout this program does not know");
  }
}

Shard shard_of(const json::object& result) {
  const json::value& value = field(result, "shard");
  const json::array* pair = value.if_array();
  if (pair == nullptr || pair->size() != 2 || !(*pair)[0].is_int64() || !(*pair)[1].is_int64()) {
    throw std::invalid_argument("'shard' is not [K, N]");
  }
  const auto k = (*pair)[0].get_int64(), n = (*pair)[1].get_int64();
  if (n < 1 || n > 10000 || k < 0 || k >= n) throw std::invalid_argument("'shard' is not [K, N] with 0 <= K < N");
  return Shard{static_cast<int>(k), static_cast<int>(n)};
}

}  // namespace

ShardResult parse_result_line(std::string_view line) {
  if (line.size() > longest_result_line) throw std::invalid_argument("a line longer than a result can be");
  boost::system::error_code error;
  json::value value = json::parse(line, error);
  if (error || !value.is_object()) throw std::invalid_argument("not JSON (truncated or corrupt)");
  const json::object& result = value.get_object();
  check_kind(result);
  const json::value& plan = field(result, "plan");
  const json::value& digest = field(result, "plan_digest");
  if (!plan.is_object() || !digest.is_string() || plan_digest(plan.get_object()) != digest.get_string()) {
    throw std::invalid_argument("a plan that does not match its digest (corrupt)");
  }
  ShardResult shard{.plan_digest = std::string(digest.get_string()),
                    .urls = texts(plan.get_object(), "urls"),
                    .hosts = texts(plan.get_object(), "hosts"),
                    .methods = texts(plan.get_object(), "methods"),
                    .shard = shard_of(result),
                    .exit_code = small_count(result, "exit", 255)};
  if (small_count(plan.get_object(), "shards", 10000) != shard.shard.count) {
    throw std::invalid_argument("a shard of another count than its plan's");
  }
  RunResult& run = shard.run;
  run.elapsed = Seconds(number(result, "elapsed"));
  run.unix_start = number(result, "unix_start");
  run.cancelled = small_count(result, "cancelled", 1 << 30);
  run.unsent = small_count(result, "unsent", 1 << 30);
  const json::value& tally = field(result, "tally");
  if (!tally.is_object()) throw std::invalid_argument("'tally' is not an object");
  run.tally = tally_from_json(tally.get_object());
  return shard;
}

}  // namespace kit
