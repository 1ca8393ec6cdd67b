#pragma once
// --stages: each stage's share of a run. A line per stage in --summary shows
// where the server stops keeping up (the achieved rate falls behind the
// offered one and latency climbs), with Little's law beside it: the requests
// measured in flight next to rate x latency.
#include <optional>
#include <vector>

#include "latencies.hpp"
#include "record.hpp"
#include "schedule.hpp"

namespace kit {

struct StageTally {
  Seconds begin{}, end{};                // the stage's window, since the run started
  double start_rate = 0, end_rate = 0;   // the offered rate moves linearly between these
  int requests = 0, ok = 0, failed = 0;  // the requests due in the stage
  int answered = 0;                      // successful answers that arrived within the window
  double in_flight_seconds = 0;          // requests in flight, integrated over the window
  Latencies latencies;                   // of the successful requests due in the stage, from the due time
};

// One empty tally per stage, in order; none without stages.
std::vector<StageTally> stage_tallies(double start_rate, const std::vector<Stage>& stages);

// Counts a request (its last try) in the stage it was due in, and its time in
// flight in every stage it overlaps. Earlier tries add nothing: the last
// try's due time is the first one's.
void add_to_stages(std::vector<StageTally>& stages, const RequestRecord& record);

// Adds another shard's tally of the same stage: its share of the offered
// rate and of the requests.
void add_stage(StageTally& stage, const StageTally& other);

// --stages, for the chart of latency against offered load: the successful
// requests' latencies by when they were due, in equal slices of the stages' span.
inline constexpr int load_slice_count = 40;
void add_to_load_slices(std::vector<Latencies>& slices, Seconds span, const RequestRecord& record);

struct StageLine {
  Seconds begin{}, end{};
  double start_rate = 0, end_rate = 0;
  double offered_rate = 0;       // the schedule's average rate over the stage, sent or not
  double achieved_rate = 0;      // successful answers within the stage a second
  int requests = 0, errors = 0;  // the requests due in the stage that went out
  std::optional<double> p50, p99, average;
  double in_flight = 0;                  // measured: the average number in flight
  std::optional<double> rate_x_latency;  // Little's law: achieved rate x average latency
};

std::vector<StageLine> stage_lines(const std::vector<StageTally>& stages);

// The schedule's average rate between two times of the run: what was offered,
// whether or not enough lanes were free to send it.
double offered_rate_between(const std::vector<StageLine>& stages, Seconds from, Seconds to);

}  // namespace kit
