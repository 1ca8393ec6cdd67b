#include "distributed_flags.hpp"

#include <unistd.h>

#include "records_export.hpp"
#include "shard.hpp"

namespace kit {

void add_distributed_flags(CLI::App& app, ClientOptions& options, DistributedFlags& flags) {
  if (options.kind == ClientKind::async) {
    app.add_option("--shard", flags.shard,
                   "run shard K of N of the plan (K from 0): the requests numbered K mod N, every Nth due time of "
                   "--rate and --stages, -c split; see docs/distributed.md")
        ->type_name("K/N");
    app.add_option("--start-at", flags.start_at,
                   "wait, then start at this moment (Unix seconds, or RFC 3339 like 2026-12-07T22:00:00Z); the "
                   "schedule counts from it")
        ->type_name("TIME");
  }
  app.add_option("--result", options.result_path,
                 "write the run's result as one line that --merge adds up (- for stdout)")
      ->type_name("FILE");
  app.add_option("--merge", options.merge_paths,
                 "instead of a run: add up --result files (- for stdin, pdsh's 'host: ' prefixes allowed) and "
                 "report as one run would")
      ->type_name("FILE")
      ->expected(1, -1);
}

namespace {

// --merge reads its plan from the results: flags that plan a run have no place.
void check_merge_alone(const CLI::App& app) {
  for (const char* flag :
       {"url",        "--urls",      "--targets", "--requests",   "--duration",  "--rate",        "--stages",
        "--shard",    "--start-at",  "--result",  "--timeline",   "--csv",       "--include",     "--retry",
        "--deadline", "--method",    "--header",  "--data",       "--data-file", "--concurrency", "--loops",
        "--threads",  "--processes", "--follow",  "--keep-alive", "--http2",     "--connections"}) {
    if (app.get_option_no_throw(flag) != nullptr && app.count(flag) > 0) {
      const std::string name = std::string(flag) == "url" ? "a URL" : flag;
      throw CLI::ValidationError("--merge adds up results that name their plan: " + name + " has no place beside it");
    }
  }
}

}  // namespace

void check_distributed_flags(const CLI::App& app, ClientOptions& options, const DistributedFlags& flags,
                             const std::string& url_file) {
  if (options.merging()) return check_merge_alone(app);
  if (options.result_path == "-" && options.data_on_stdout_besides_result()) {
    throw CLI::ValidationError("--result - and --json/--csv - cannot both write to stdout");
  }
  if (!options.result_path.empty()) {
    if (const std::string problem = check_writable(options.result_path); !problem.empty()) {
      throw CLI::ValidationError("--result: " + problem);
    }
  }
  try {
    if (flags.shard) options.shard = parse_shard(*flags.shard);
  } catch (const std::invalid_argument& e) {
    throw CLI::ValidationError("--shard '" + *flags.shard + "': " + e.what());
  }
  try {
    if (flags.start_at) options.start_at = parse_start_at(*flags.start_at, RunClock::unix_now());
  } catch (const std::invalid_argument& e) {
    throw CLI::ValidationError("--start-at '" + *flags.start_at + "': " + e.what());
  }
  if (options.shard.split() && url_file == "-" && isatty(STDIN_FILENO)) {
    throw CLI::ValidationError("--shard: every shard must read the same URLs, not a terminal's: give --urls a file");
  }
  if (options.shard.split() && app.count("--concurrency") > 0 && options.concurrency < options.shard.count) {
    throw CLI::ValidationError("--shard " + *flags.shard + " with -c " + std::to_string(options.concurrency) +
                               ": each shard needs at least one connection");
  }
}

}  // namespace kit
