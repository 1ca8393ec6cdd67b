#include "stage_tally.hpp"

#include "counts.hpp"

#include <algorithm>
#include <stdexcept>

namespace kit {

std::vector<StageTally> stage_tallies(double start_rate, const std::vector<Stage>& stages) {
  std::vector<StageTally> tallies;
  Seconds begun{};
  double rate = start_rate;
  for (const Stage& stage : stages) {
    StageTally tally;
    tally.begin = begun;
    tally.end = begun + stage.length;
    tally.start_rate = rate;
    tally.end_rate = stage.rate;
    tallies.push_back(std::move(tally));
    begun += stage.length;
    rate = stage.rate;
  }
  return tallies;
}

void add_stage(StageTally& stage, const StageTally& other) {
  if (stage.begin != other.begin || stage.end != other.end) throw std::invalid_argument("stages of other times");
  stage.start_rate += other.start_rate, stage.end_rate += other.end_rate;
  add_count(stage.requests, other.requests);
  add_count(stage.ok, other.ok);
  add_count(stage.failed, other.failed);
  add_count(stage.answered, other.answered);
  stage.in_flight_seconds += other.in_flight_seconds;
  stage.latencies.add(other.latencies.counted());
}

void add_to_load_slices(std::vector<Latencies>& slices, Seconds span, const RequestRecord& r) {
  if (r.retried || !r.due || !r.ok() || *r.due >= span || span <= Seconds(0)) return;
  if (slices.empty()) slices.resize(load_slice_count);
  slices[static_cast<std::size_t>(r.due->count() / span.count() * load_slice_count)].add(r.duration().count());
}

void add_to_stages(std::vector<StageTally>& stages, const RequestRecord& r) {
  if (r.retried || !r.due) return;
  for (StageTally& stage : stages) {
    const Seconds overlap = std::min(r.end, stage.end) - std::max(r.began(), stage.begin);
    if (overlap > Seconds(0)) stage.in_flight_seconds += overlap.count();
    if (r.ok() && r.end >= stage.begin && r.end < stage.end) ++stage.answered;
    if (*r.due < stage.begin || *r.due >= stage.end) continue;
    ++stage.requests;
    if (r.ok()) {
      ++stage.ok;
      stage.latencies.add(r.duration().count());
    } else {
      ++stage.failed;
    }
  }
}

std::vector<StageLine> stage_lines(const std::vector<StageTally>& stages) {
  std::vector<StageLine> lines;
  for (const StageTally& stage : stages) {
    const double length = std::max((stage.end - stage.begin).count(), 1e-9);
    StageLine line{.begin = stage.begin, .end = stage.end, .start_rate = stage.start_rate, .end_rate = stage.end_rate};
    line.offered_rate = (stage.start_rate + stage.end_rate) / 2;  // the rate moves linearly
    line.achieved_rate = stage.answered / length;
    line.requests = stage.requests;
    line.errors = stage.failed;
    line.p50 = stage.latencies.percentile(50);
    line.p99 = stage.latencies.percentile(99);
    line.average = stage.latencies.mean();
    line.in_flight = stage.in_flight_seconds / length;
    if (line.average) line.rate_x_latency = line.achieved_rate * *line.average;
    lines.push_back(line);
  }
  return lines;
}

double offered_rate_between(const std::vector<StageLine>& stages, Seconds from, Seconds to) {
  double due = 0;
  for (const StageLine& stage : stages) {
    const Seconds begin = std::max(from, stage.begin), end = std::min(to, stage.end);
    if (end <= begin) continue;
    const double length = std::max((stage.end - stage.begin).count(), 1e-9);
    auto rate_at = [&](Seconds t) {
      return stage.start_rate + (stage.end_rate - stage.start_rate) * (t - stage.begin).count() / length;
    };
    due += (rate_at(begin) + rate_at(end)) / 2 * (end - begin).count();
  }
  return due / std::max((to - from).count(), 1e-9);
}

}  // namespace kit
