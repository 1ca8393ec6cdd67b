// --stages: each stage's line (offered and achieved rate, latency, errors)
// and Little's law beside it, from records made by hand.
#include <gtest/gtest.h>

#include "schedule.hpp"
#include "stats.hpp"

namespace kit {

namespace {

RequestRecord due_at(double due, double latency, bool ok = true) {
  RequestRecord r;
  r.due = Seconds(due);
  r.start = Seconds(due);
  r.end = Seconds(due + latency);
  if (ok)
    r.set_response(200, "");
  else
    r.fail(Failure::timeout, "timed out");
  return r;
}

}  // namespace

TEST(StageTally, WindowsFollowTheStagesFromTheStartingRate) {
  const auto stages = stage_tallies(20, parse_stages("1s:20,2s:120"));
  ASSERT_EQ(stages.size(), 2u);
  EXPECT_DOUBLE_EQ(stages[1].begin.count(), 1.0);
  EXPECT_DOUBLE_EQ(stages[1].end.count(), 3.0);
  EXPECT_DOUBLE_EQ(stages[1].start_rate, 20);
  EXPECT_DOUBLE_EQ(stages[1].end_rate, 120);
}

// A server that keeps up in the first second (10 a second, 0.1 s each) and
// falls behind in the second (40 due, answers only 20, each waits longer).
TEST(StageTally, AStageThatFallsBehindShowsItsRatesLatencyAndLittlesLaw) {
  Tally tally;
  tally.stages = stage_tallies(10, parse_stages("1s:10,1s:40"));
  for (int k = 0; k < 10; ++k) tally.add(due_at(k * 0.1, 0.1));
  for (int k = 0; k < 20; ++k) tally.add(due_at(1 + k * 0.025, 0.4));    // answered within the second
  for (int k = 0; k < 20; ++k) tally.add(due_at(1.5 + k * 0.025, 0.8));  // answered after it
  tally.add(due_at(1.9, 0.1, false));
  const Summary summary = summarize(tally, Seconds(2.5));
  ASSERT_EQ(summary.stages.size(), 2u);
  const StageLine& first = summary.stages[0];
  EXPECT_DOUBLE_EQ(first.offered_rate, 10);
  EXPECT_EQ(first.errors, 0);
  EXPECT_NEAR(*first.p50, 0.1, 1e-9);
  EXPECT_NEAR(first.in_flight, 1.0, 0.11) << "10 a second for 0.1 s each";
  EXPECT_NEAR(*first.rate_x_latency, first.in_flight, 0.11);

  const StageLine& second = summary.stages[1];
  EXPECT_EQ(second.requests, 41);
  EXPECT_EQ(second.errors, 1);
  EXPECT_DOUBLE_EQ(second.offered_rate, 25) << "the schedule's: from 10 to 40 a second, whatever went out";
  EXPECT_LT(second.achieved_rate, second.offered_rate) << "the answers of the last 20 come after the stage";
  EXPECT_NEAR(*second.p50, 0.4, 1e-9) << "nearest rank: the 20th of 40";
  EXPECT_NEAR(*second.p99, 0.8, 1e-9);
  EXPECT_GT(*second.p99, *first.p99);
}

// What the schedule offered between two times, across a stage's edge: the
// load chart's x axis, which requests that never went out still count in.
TEST(StageTally, OfferedRateBetweenTwoTimesFollowsTheRamps) {
  Tally tally;
  tally.stages = stage_tallies(0, parse_stages("2s:100,1s:100"));
  const std::vector<StageLine> lines = summarize(tally, Seconds(3)).stages;
  EXPECT_NEAR(offered_rate_between(lines, Seconds(0), Seconds(1)), 25, 1e-9);
  EXPECT_NEAR(offered_rate_between(lines, Seconds(1), Seconds(2)), 75, 1e-9);
  EXPECT_NEAR(offered_rate_between(lines, Seconds(1.5), Seconds(2.5)), (87.5 * 0.5 + 100 * 0.5), 1e-9);
  EXPECT_NEAR(lines[0].offered_rate, 50, 1e-9) << "no request went out, the schedule still offered them";
  EXPECT_EQ(lines[0].requests, 0);
}

TEST(StageTally, EarlierTriesAndUnscheduledRequestsAddNothing) {
  Tally tally;
  tally.stages = stage_tallies(0, parse_stages("1s:10"));
  RequestRecord retried = due_at(0.1, 0.1, false);
  retried.retried = true;
  tally.add(retried);
  RequestRecord unscheduled;
  unscheduled.set_response(200, "");
  unscheduled.end = Seconds(0.5);
  tally.add(unscheduled);
  EXPECT_EQ(tally.stages[0].requests, 0);
  EXPECT_DOUBLE_EQ(tally.stages[0].in_flight_seconds, 0);
}

TEST(StageTally, NoStagesNoLines) {
  Tally tally;
  tally.add(due_at(0, 0.1));
  EXPECT_TRUE(summarize(tally, Seconds(1)).stages.empty());
}

}  // namespace kit
