#pragma once
// Every record plus the summary figures, for other programs: JSON and CSV.
// Times are seconds since the run started.
#include <iosfwd>
#include <string>
#include <vector>

#include "record.hpp"
#include "stats.hpp"
#include "thresholds.hpp"

namespace kit {

struct RunInfo {
  std::string program;                       // "client_async"
  std::string command;                       // the command line as typed
  std::vector<std::string> urls;             // as given; a record's `url` indexes them
  std::vector<std::string> methods;          // each URL's method
  std::vector<ThresholdOutcome> thresholds;  // --fail-if, as checked after the run
};

// The method every URL is asked with, "mixed" when they differ (--targets), GET for none.
std::string run_method(const std::vector<std::string>& methods);

std::string records_json(const RunInfo& run, const std::vector<RequestRecord>& records, const Summary& summary);

// One row per request; the summary follows as "# name,value" comment lines.
std::string records_csv(const RunInfo& run, const std::vector<RequestRecord>& records, const Summary& summary);

// Writes `content` to `path` through a temporary file beside it (created
// exclusively, flushed to the disk) and a rename, so a reader never sees half
// a file; an existing file keeps its mode. "-" writes to `standard_output` instead.
// Returns an error message, or "".
std::string write_output(const std::string& path, const std::string& content, std::ostream& standard_output);

// "" when `path` can be written later; otherwise why not. Checked before a run.
std::string check_writable(const std::string& path);

}  // namespace kit
