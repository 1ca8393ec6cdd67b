#include "run_plan.hpp"

#include <limits>

#include <algorithm>
#include <cmath>
#include <utility>

#include "retry.hpp"
#include "units.hpp"

namespace kit {

RequestRecord first_try(const Ticket& ticket, int lane, Seconds now) {
  return RequestRecord{.number = ticket.number, .lane = lane, .url = ticket.url, .start = now, .due = ticket.due};
}

RequestRecord try_again_now(const RequestRecord& tried, Seconds now) {
  return RequestRecord{.number = tried.number,
                       .lane = tried.lane,
                       .url = tried.url,
                       .attempt = tried.attempt,
                       .start = now,
                       .due = tried.due};
}

RequestRecord next_try(const RequestRecord& tried, Seconds now) {
  RequestRecord next = try_again_now(tried, now);
  ++next.attempt;
  next.due = tried.began();
  return next;
}

namespace {

std::optional<Schedule> schedule_of(const ClientOptions& options) {
  if (!options.stages.empty()) return Schedule(options.rate.value_or(0), options.stages);
  if (options.rate) return Schedule(*options.rate);
  return std::nullopt;
}

}  // namespace

RunPlan::RunPlan(const ClientOptions& options, const RunClock& clock)
    : options_(options),
      schedule_(schedule_of(options)),
      clock_(clock),
      keep_records_(options.keep_bodies() || options.timeline || !options.svg_path.empty() ||
                    !options.json_path.empty() || !options.csv_path.empty()),
      jitter_(std::random_device{}()) {
  // A shard's stages offer its share of the rate: the shards' add up to the whole.
  result_.tally.stages =
      stage_tallies(options.rate.value_or(0) / options.shard.count, share_of_stages(options.stages, options.shard));
  share(1, 0, nullptr);
  if (keep_records_ && !options_.duration) result_.records.reserve(static_cast<std::size_t>(options_.requests));
}

// A timed run starts no request in its last millisecond: it could not finish.
constexpr Seconds last_millisecond(0.001);

bool RunPlan::running() const { return !options_.duration || clock_.now() + last_millisecond < *options_.duration; }

int RunPlan::due_before_the_end() const {
  // Due times that come before the last millisecond.
  const Seconds last = std::max(Seconds(0), *options_.duration - last_millisecond);
  return static_cast<int>(std::min<long>(schedule_->due_before(last), std::numeric_limits<int>::max()));
}

void RunPlan::share(int every, int offset, std::function<void(const RequestRecord&)> forward) {
  std::lock_guard lock(mutex_);
  // Within --shard K/N's requests (K, K + N, ...), every `every`th from the `offset`th.
  share_every_ = std::max(1, every) * options_.shard.count;
  started_ = options_.shard.index + offset * options_.shard.count;
  forward_ = std::move(forward);
}

std::optional<Ticket> RunPlan::next() {
  std::lock_guard lock(mutex_);
  if (!options_.duration && started_ >= options_.requests) return std::nullopt;
  const int urls = std::max<int>(1, static_cast<int>(options_.targets.size()));
  Ticket ticket{.number = started_ + 1, .url = started_ % urls};
  if (schedule_) {
    // The schedule, not the clock, decides: a request held back by -c is
    // still due when it was due.
    ticket.due = schedule_->due(started_);
    if (!ticket.due) return std::nullopt;  // the last stage is over
    // A timed run ends with its schedule, and sooner when the lanes fell
    // behind it: a request due before the end is not sent after it.
    if (options_.duration && (started_ >= due_before_the_end() || !running())) return std::nullopt;
  } else if (!running()) {
    return std::nullopt;
  }
  started_ += share_every_;
  return ticket;
}

Seconds RunPlan::time_allowed(Seconds began) const {
  const Seconds now = clock_.now();
  Seconds allowed(options_.timeout);
  if (options_.deadline) allowed = std::min(allowed, began + *options_.deadline - now);
  if (options_.duration) allowed = std::min(allowed, *options_.duration - now);
  return std::max(allowed, Seconds(0));
}

std::string RunPlan::timeout_message(Seconds allowed) const {
  if (options_.deadline && allowed < Seconds(options_.timeout) && allowed < *options_.deadline) {
    return "deadline of " + format_number(options_.deadline->count()) + " s reached";
  }
  return "timed out after " + format_number(options_.timeout) + " s";
}

std::optional<Seconds> RunPlan::retry_wait(const RequestRecord& tried) {
  if (tried.attempt > options_.retries || !worth_retrying(tried)) return std::nullopt;
  Seconds wait;
  if (tried.retry_after) {
    wait = *tried.retry_after;
    if (wait > longest_retry_wait) return std::nullopt;
  } else {
    std::lock_guard lock(mutex_);
    wait = backoff(tried.attempt, std::uniform_real_distribution<double>(0, 1)(jitter_));
  }
  const Seconds next_start = clock_.now() + wait;
  if (options_.deadline && next_start >= tried.began() + *options_.deadline) return std::nullopt;
  if (options_.duration && next_start + Seconds(0.001) >= *options_.duration) return std::nullopt;
  return wait;
}

void RunPlan::retry(RequestRecord& record) {
  RequestRecord tried = std::exchange(record, next_try(record, Seconds(0)));
  tried.retried = true;
  finish(std::move(tried));
}

void RunPlan::finish(RequestRecord record) {
  if (!options_.keep_bodies() || record.retried) record.body = std::string();
  std::lock_guard lock(mutex_);
  if (forward_) return forward_(record);
  // Cut short by the end of the run: its time allowed ended with the run, and
  // so did it (a timer may fire a hair early). Not the server's fault, so not
  // counted as a failure.
  const bool cut_off = options_.duration && !record.ok() && record.failure != Failure::http_status &&
                       record.start + Seconds(options_.timeout) > *options_.duration &&
                       record.end >= *options_.duration - Seconds(0.01);
  if (cut_off) {
    ++result_.cancelled;
    result_.tally.connections_opened += record.new_connection;  // the connection did open
    return;
  }
  result_.add(std::move(record), keep_records_);
}

RunResult RunPlan::take_result(Seconds elapsed) {
  std::lock_guard lock(mutex_);
  std::sort(result_.records.begin(), result_.records.end(), [](const RequestRecord& a, const RequestRecord& b) {
    return a.number != b.number ? a.number < b.number : a.attempt < b.attempt;
  });
  result_.elapsed = elapsed;
  if (schedule_ && options_.duration) {
    const long due = share_of_requests(due_before_the_end(), options_.shard);
    const long sent = share_of_requests(started_, options_.shard);
    result_.unsent = static_cast<int>(std::max(0L, due - sent));
  }
  result_.unix_start = clock_.unix_start();
  return std::move(result_);
}

}  // namespace kit
