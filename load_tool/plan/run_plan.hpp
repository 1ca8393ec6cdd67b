#pragma once
// How many requests a run makes, to which URL, when each is due and when the
// run stops: -n N requests, or as many as fit in -z DURATION; with --rate
// or --stages, request k is due on its schedule whatever became of the others. Both clients ask it
// for the next request and hand it every finished try; it is safe to share
// between threads.
#include <functional>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "schedule.hpp"

#include "options.hpp"
#include "record.hpp"
#include "report.hpp"

namespace kit {

// One request to make.
struct Ticket {
  int number = 0;              // 1-based
  int url = 0;                 // index into the options' URLs: number - 1 mod their count
  std::optional<Seconds> due;  // --rate: when it should go out, since the run started
};

// The record of a ticket's first try, going out at `now`.
RequestRecord first_try(const Ticket& ticket, int lane, Seconds now);
// The record of the try after `tried`, going out at `now`; its time counts from the first's.
RequestRecord next_try(const RequestRecord& tried, Seconds now);
// The same try begun afresh at `now`: a reconnect, or a redirect's next hop.
RequestRecord try_again_now(const RequestRecord& tried, Seconds now);

class RunPlan {
 public:
  RunPlan(const ClientOptions& options, const RunClock& clock);

  // The next request, or nullopt once the run is over.
  std::optional<Ticket> next();

  // client_sync --processes, in a worker process: this plan hands out only
  // every `every`th request, from the `offset`th (0-based), and hands every
  // finished try to `forward` (to the process that reports) instead of counting it.
  void share(int every, int offset, std::function<void(const RequestRecord&)> forward);

  // False once a -z run's time is up: nothing new should start, not even a retry.
  bool running() const;

  // How long a try about to start may take: --timeout, cut short by
  // --deadline (counted from `began`, when the request was due or first
  // went out) and by the end of a -z run, so that no request outlives it.
  Seconds time_allowed(Seconds began) const;
  // Why a try given `allowed` ran out: "timed out after 2 s" or "deadline of 3 s reached".
  std::string timeout_message(Seconds allowed) const;

  // How long to wait before trying `tried` again, or nullopt when it is the
  // request's last try: not worth retrying, --retry used up, or the wait
  // would pass --deadline or the end of a -z run.
  std::optional<Seconds> retry_wait(const RequestRecord& tried);

  // Counts `record` as a try that will be asked again (kept for the
  // timeline) and turns it into the record of the next try, whose start is
  // set when it goes out. Not a coroutine, so that a waiting request's frame
  // holds one record, not two.
  void retry(RequestRecord& record);

  // Counts a finished try, and keeps its record when a report will show it.
  // A request cut off by the end of a -z run is not a failure of the server:
  // it is counted as cancelled instead.
  void finish(RequestRecord record);

  // What the reports need, records in request order, tries in order.
  RunResult take_result(Seconds elapsed);

 private:
  // -z with --rate: how many requests the schedule has before the end.
  int due_before_the_end() const;

  const ClientOptions& options_;
  const std::optional<Schedule> schedule_;  // --rate or --stages: when each request is due
  const RunClock& clock_;
  const bool keep_records_;  // a report shows each request; else counting them is enough
  int share_every_ = 1;      // share()
  std::function<void(const RequestRecord&)> forward_;
  std::mutex mutex_;
  int started_ = 0;
  std::minstd_rand jitter_;  // backoff jitter; under mutex_
  RunResult result_;
};

}  // namespace kit
