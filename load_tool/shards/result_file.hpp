#pragma once
// --result: a run's result as one line of JSON that --merge adds up. It
// holds counts, not records (the latency histogram's fixed buckets add
// exactly), so its size does not grow with the run. Its fields are in
// docs/distributed.md, for other tools to read.
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "options.hpp"
#include "report.hpp"

namespace kit {

inline constexpr std::string_view result_format = "slowkit-result";
inline constexpr int result_version = 2;
// How the latency buckets are numbered; a file with another layout is refused.
inline constexpr std::string_view latency_layout = "ns-2048-exact-then-1024-per-doubling-to-2^46";
// A longer line is refused before it is parsed.
inline constexpr std::size_t longest_result_line = 64 << 20;

// What one shard's file says.
struct ShardResult {
  std::string plan_digest;                        // the same for every shard of one plan
  std::vector<std::string> urls, hosts, methods;  // the plan's, made printable
  Shard shard;
  int exit_code = 0;  // the shard's own: 1 when some of its requests failed
  RunResult run;      // its tally, elapsed time, start (Unix seconds), cancelled and unsent
};

// The line (without its newline) for a finished run.
std::string result_line(const RunResult& run, const ClientOptions& options, int exit_code);

// Reads one line; throws std::invalid_argument saying what is wrong with it.
ShardResult parse_result_line(std::string_view line);

}  // namespace kit
