#pragma once
// How many requests a run makes and when it stops: -n N requests, or as many
// as fit in -z DURATION. Both clients ask it for the next request number and
// hand it every finished record; it is safe to share between threads.
#include <mutex>
#include <optional>
#include <vector>

#include "options.hpp"
#include "record.hpp"

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

  // Keeps a finished record. A request cut off by the end of a -z run is not
  // a failure of the server: it is counted as cancelled instead.
  void finish(RequestRecord record);

  // Every kept record, in request order.
  std::vector<RequestRecord> take_records();
  int cancelled() const { return cancelled_; }

 private:
  const ClientOptions& options_;
  const RunClock& clock_;
  std::mutex mutex_;
  int started_ = 0;
  int cancelled_ = 0;
  std::vector<RequestRecord> records_;
};

}  // namespace kit
