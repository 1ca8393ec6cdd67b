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
std::string recap_line(const std::vector<RequestRecord>& records, Seconds elapsed);

// 0 when every request succeeded, 1 otherwise.
int exit_code_for(const std::vector<RequestRecord>& records);

// The hey-style report: totals, histogram, percentiles, status and error counts.
std::string summary_text(const Summary& summary, const TerminalStyle& style);

struct RunResult {
  std::vector<RequestRecord> records;  // in request order
  Seconds elapsed{};
  int cancelled = 0;  // requests cut off by the end of a -z run, not counted
};

// Bodies to `out` in request order (unless quiet), one line per failure and
// the recap to `err`, then the reports the options ask for. When JSON or CSV
// goes to stdout, bodies are left out and the human reports go to `err`.
// Returns the exit code.
int report_run(const RunResult& run, const ClientOptions& options, std::ostream& out,
               std::ostream& err, const TerminalStyle& style = {});

}  // namespace kit
