#pragma once
// What a run prints when it ends, the same for both clients.
#include <iosfwd>
#include <string>
#include <vector>

#include "options.hpp"
#include "record.hpp"
#include "stats.hpp"
#include "terminal.hpp"

namespace kit {

// "request 2: connection refused (localhost:8000)"
std::string failure_line(const RequestRecord& record);

// "2 requests, 2 ok, 0 failed in 1.003 s"
std::string recap_line(const Tally& tally, Seconds elapsed);

// 0 when every request succeeded, 1 otherwise.
int exit_code_for(const Tally& tally);

// The hey-style report: totals, histogram, percentiles, status and error counts.
std::string summary_text(const Summary& summary, const TerminalStyle& style);

// One line per failure, up to a screenful; --summary counts the rest by kind.
inline constexpr int most_failure_lines = 100;

struct RunResult {
  Tally tally;  // every request counted: the recap, the exit code and --summary
  // In request order: every record when a report shows each request (bodies,
  // --timeline, --svg, --json, --csv), and none otherwise.
  std::vector<RequestRecord> records;
  std::vector<RequestRecord> failures_shown;  // the first failures by request number, at most most_failure_lines
  Seconds elapsed{};
  double unix_start = 0;  // when the run's clock started, in Unix seconds
  int cancelled = 0;      // requests cut off by the end of a -z run, not counted
  int unsent = 0;         // -z with --rate: requests due before the end that no lane was free to send

  // Counts a finished request, keeps it if it is among the failures shown,
  // and keeps its record when `keep_record`.
  void add(RequestRecord record, bool keep_record);
};

// Bodies to `out` in request order (unless quiet), one line per failure and
// the recap to `err`, then the reports the options ask for. When JSON or CSV
// goes to stdout, bodies are left out and the human reports go to `err`.
// Returns the exit code.
int report_run(RunResult run, const ClientOptions& options, std::ostream& out, std::ostream& err,
               const TerminalStyle& style = {});

}  // namespace kit
