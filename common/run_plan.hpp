#pragma once
// How many requests a run makes and when it stops: -n N requests, or as many
// as fit in -z DURATION. Both clients ask it for the next request number and
// hand it every finished record; it is safe to share between threads.
#include <mutex>
#include <optional>
#include <vector>

#include "options.hpp"
#include "record.hpp"
#include "report.hpp"

namespace kit {

class RunPlan {
 public:
  RunPlan(const ClientOptions& options, const RunClock& clock);

  // The next request's number (1-based), or nullopt once the run is over.
  std::optional<int> next();

  // False once a -z run's time is up: nothing new should start, not even a retry.
  bool running() const;

  // How long the request about to start may take: --timeout, cut short by the
  // end of a -z run so that no request outlives it.
  Seconds time_allowed() const;

  // Counts a finished request, and keeps its record when a report will show
  // it. A request cut off by the end of a -z run is not a failure of the
  // server: it is counted as cancelled instead.
  void finish(RequestRecord record);

  // What the reports need, records in request order.
  RunResult take_result(Seconds elapsed);

 private:
  const ClientOptions& options_;
  const RunClock& clock_;
  const bool keep_records_;  // a report shows each request; else counting them is enough
  std::mutex mutex_;
  int started_ = 0;
  RunResult result_;
};

}  // namespace kit
