#include "run_plan.hpp"

#include <algorithm>

namespace kit {

RunPlan::RunPlan(const ClientOptions& options, const RunClock& clock)
    : options_(options),
      clock_(clock),
      keep_records_(options.keep_bodies() || options.timeline || !options.svg_path.empty() ||
                    !options.json_path.empty() || !options.csv_path.empty()) {
  if (keep_records_ && !options_.duration) result_.records.reserve(static_cast<std::size_t>(options_.requests));
}

bool RunPlan::running() const {
  // A timed run starts no request in its last millisecond: it could not finish.
  return !options_.duration || clock_.now() + Seconds(0.001) < *options_.duration;
}

std::optional<int> RunPlan::next() {
  std::lock_guard lock(mutex_);
  if (!running() || (!options_.duration && started_ >= options_.requests)) return std::nullopt;
  return ++started_;
}

Seconds RunPlan::time_allowed() const {
  const Seconds timeout(options_.timeout);
  if (!options_.duration) return timeout;
  return std::clamp(*options_.duration - clock_.now(), Seconds(0), timeout);
}

void RunPlan::finish(RequestRecord record) {
  if (!options_.keep_bodies()) record.body = std::string();
  std::lock_guard lock(mutex_);
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
  std::sort(result_.records.begin(), result_.records.end(),
            [](const RequestRecord& a, const RequestRecord& b) { return a.number < b.number; });
  result_.elapsed = elapsed;
  return std::move(result_);
}

}  // namespace kit
