#include "merge.hpp"

#include <algorithm>
#include <fstream>
#include <iostream>
#include <map>
#include <stdexcept>

#include "report.hpp"
#include "result_file.hpp"
#include "safe_text.hpp"
#include "units.hpp"

namespace kit {

namespace {

struct Located {
  std::string where;  // "shards.txt line 3"
  ShardResult result;
};

// One line, at most `most` bytes (the rest of a longer one is read and
// dropped); false at the end of the stream.
bool read_bounded_line(std::istream& in, std::string& line, std::size_t most, bool& too_long) {
  line.clear();
  too_long = false;
  std::streambuf* buffer = in.rdbuf();
  for (int c = buffer->sbumpc(); c != std::char_traits<char>::eof(); c = buffer->sbumpc()) {
    if (c == '\n') return true;
    if (line.size() < most)
      line.push_back(static_cast<char>(c));
    else
      too_long = true;
  }
  return !line.empty() || too_long;
}

// pdsh puts "host: " before each line of a host's output.
std::string_view without_host_prefix(std::string_view line) {
  const std::size_t brace = line.find('{');
  if (brace == 0 || brace == std::string_view::npos) return line;
  if (brace >= 2 && line.substr(brace - 2, 2) == ": ") return line.substr(brace);
  return line;
}

void read_results(std::istream& in, const std::string& name, std::vector<Located>& results) {
  std::string line;
  bool too_long = false;
  for (int number = 1; read_bounded_line(in, line, longest_result_line, too_long); ++number) {
    const std::string where = name + " line " + std::to_string(number);
    if (too_long) throw std::invalid_argument(where + ": a line longer than a result can be");
    const std::string_view text = without_host_prefix(line);
    if (text.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    try {
      results.push_back({where, parse_result_line(text)});
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument(where + ": " + e.what());
    }
  }
}

std::vector<Located> read_inputs(const std::vector<std::string>& paths) {
  std::vector<Located> results;
  for (const std::string& path : paths) {
    const std::string name = path == "-" ? "stdin" : printable(path, 256);
    if (path == "-") {
      read_results(std::cin, name, results);
      continue;
    }
    std::ifstream file(path, std::ios::binary);
    if (!file) throw std::invalid_argument("cannot read " + name);
    read_results(file, name, results);
  }
  if (results.empty()) throw std::invalid_argument("no result to merge in the input");
  return results;
}

// One plan, each shard once; in shard order.
void check_one_plan(std::vector<Located>& results) {
  const Located& first = results.front();
  std::map<int, const Located*> seen;
  for (const Located& located : results) {
    if (located.result.plan_digest != first.result.plan_digest) {
      throw std::invalid_argument(located.where + ": a result of another plan than " + first.where + "'s");
    }
    const auto [place, added] = seen.emplace(located.result.shard.index, &located);
    if (!added) {
      throw std::invalid_argument(located.where + ": shard " + std::to_string(located.result.shard.index) + "/" +
                                  std::to_string(located.result.shard.count) + " a second time (first in " +
                                  place->second->where + ")");
    }
  }
  std::sort(results.begin(), results.end(),
            [](const Located& a, const Located& b) { return a.result.shard.index < b.result.shard.index; });
}

}  // namespace

namespace {

// The shards' tallies added up, every time on the earliest shard's clock.
RunResult add_up(const std::vector<Located>& results) {
  RunResult merged;
  merged.unix_start = results.front().result.run.unix_start;
  double end = 0;
  for (const Located& located : results) merged.unix_start = std::min(merged.unix_start, located.result.run.unix_start);
  for (std::size_t k = 0; k < results.size(); ++k) {
    RunResult run = results[k].result.run;
    const Seconds later(run.unix_start - merged.unix_start);
    if (run.tally.first_send) *run.tally.first_send += later;
    if (run.tally.last_send) *run.tally.last_send += later;
    if (k == 0)
      merged.tally = std::move(run.tally);
    else
      merged.tally.add(run.tally);
    merged.cancelled += run.cancelled;
    merged.unsent += run.unsent;
    end = std::max(end, (later + run.elapsed).count());
  }
  merged.elapsed = Seconds(end);
  return merged;
}

// "merged 4 of 4 shards: first sends within 2.1 ms", and a line for each shard missing or failed.
bool say_what_was_merged(const std::vector<Located>& results, std::ostream& err) {
  const int count = results.front().result.shard.count;
  std::vector<double> first_sends;
  for (const Located& located : results) {
    const RunResult& run = located.result.run;
    if (run.tally.first_send) first_sends.push_back(run.unix_start + run.tally.first_send->count());
  }
  err << "merged " << results.size() << " of " << count << (count == 1 ? " shard" : " shards");
  if (first_sends.size() > 1) {
    const auto [low, high] = std::minmax_element(first_sends.begin(), first_sends.end());
    err << ": first sends within " << format_duration(*high - *low);
  }
  err << '\n';
  bool whole = true;
  std::size_t next = 0;
  for (int k = 0; k < count; ++k) {
    if (next < results.size() && results[next].result.shard.index == k) {
      const int code = results[next++].result.exit_code;
      if (code != 0) err << "shard " << k << "/" << count << " ended with exit status " << code << '\n';
      whole = whole && code == 0;
      continue;
    }
    err << "shard " << k << "/" << count << " is missing: no input holds its result\n";
    whole = false;
  }
  return whole;
}

// The plan's URLs and methods, for the lines by host and the reports' titles.
ClientOptions options_of_plan(const ClientOptions& options, const ShardResult& result) {
  ClientOptions plan = options;
  for (std::size_t k = 0; k < result.urls.size(); ++k) {
    HttpTarget target;
    target.url = result.urls[k];
    target.host_header = k < result.hosts.size() ? result.hosts[k] : "";
    plan.targets.push_back(std::move(target));
    RequestShape shape;
    shape.method = k < result.methods.size() ? result.methods[k] : "GET";
    plan.shapes.push_back(std::move(shape));
  }
  plan.quiet = true;
  return plan;
}

}  // namespace

int merge_results(const ClientOptions& options, std::ostream& out, std::ostream& err, const TerminalStyle& style) {
  std::vector<Located> results;
  RunResult merged;
  try {
    results = read_inputs(options.merge_paths);
    check_one_plan(results);
    merged = add_up(results);
  } catch (const std::invalid_argument& e) {
    err << options.program << ": --merge: " << printable(e.what(), 4096) << "; nothing merged\n";
    return 2;
  }
  const bool whole = say_what_was_merged(results, err);
  const int code = report_run(std::move(merged), options_of_plan(options, results.front().result), out, err, style);
  return whole || code != 0 ? code : 1;
}

}  // namespace kit
