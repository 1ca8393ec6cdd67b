#pragma once
// Records for the unit tests of the reports: requests that were answered and
// requests that failed, as the clients would have recorded them, and runs of them.
#include <string>
#include <utility>
#include <vector>

#include "record.hpp"
#include "report.hpp"

namespace kit::test {

inline RequestRecord answered(int number, double start, double end, int status = 200, int lane = 1) {
  RequestRecord r{.number = number, .lane = lane, .start = Seconds(start), .end = Seconds(end)};
  r.set_response(status, "This is a slow web api");
  return r;
}

inline RequestRecord failed(int number, Failure kind, std::string why, double start = 0, double end = 0, int lane = 1) {
  RequestRecord r{.number = number, .lane = lane, .start = Seconds(start), .end = Seconds(end)};
  r.fail(kind, std::move(why));
  return r;
}

inline RequestRecord refused(int number) { return failed(number, Failure::refused, "connection refused (h:1)"); }

// A run whose every record was kept, as RunPlan hands one to the reports.
inline RunResult run_of(std::vector<RequestRecord> records, Seconds elapsed) {
  RunResult run{.elapsed = elapsed};
  for (RequestRecord& record : records) run.add(std::move(record), true);
  return run;
}

}  // namespace kit::test
