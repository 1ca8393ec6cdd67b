// What a run keeps of its requests: every record when a report shows each
// one, otherwise only the counts and the failures that get a line.
#include <gtest/gtest.h>

#include "records.hpp"
#include "run_plan.hpp"

namespace kit {

namespace {

ClientOptions counting_only() {
  ClientOptions options;
  options.requests = 1000;
  options.quiet = true;
  options.summary = true;
  return options;
}

using test::refused;
RequestRecord answered(int number, double seconds) { return test::answered(number, 0, seconds); }

}  // namespace

TEST(RunPlan, CountsWithoutKeepingRecordsWhenNoReportShowsEachRequest) {
  const ClientOptions options = counting_only();
  const RunClock clock;
  RunPlan plan(options, clock);
  for (int n = 1; n <= 300; ++n) plan.finish(n % 3 == 0 ? refused(n) : answered(n, 0.001 * n));

  const RunResult run = plan.take_result(Seconds(1));
  EXPECT_TRUE(run.records.empty());
  EXPECT_EQ(run.tally.requests, 300);
  EXPECT_EQ(run.tally.ok, 200);
  EXPECT_EQ(run.tally.failed, 100);
  EXPECT_EQ(run.tally.latencies.count(), 200u);
  EXPECT_EQ(run.elapsed, Seconds(1));
}

TEST(RunPlan, KeepsTheFirstFailuresByNumberWhateverTheOrderTheyFinish) {
  const ClientOptions options = counting_only();
  const RunClock clock;
  RunPlan plan(options, clock);
  for (int n = 500; n >= 1; --n) plan.finish(refused(n));  // the last finish first

  const RunResult run = plan.take_result(Seconds(1));
  ASSERT_EQ(run.failures_shown.size(), static_cast<std::size_t>(most_failure_lines));
  for (int i = 0; i < most_failure_lines; ++i) EXPECT_EQ(run.failures_shown[i].number, i + 1);
  EXPECT_EQ(run.tally.failed, 500);
}

TEST(RunPlan, KeepsEveryRecordInOrderForPerRequestReports) {
  ClientOptions options = counting_only();
  options.csv_path = "-";
  const RunClock clock;
  RunPlan plan(options, clock);
  plan.finish(answered(3, 0.3));
  plan.finish(refused(1));
  plan.finish(answered(2, 0.2));

  const RunResult run = plan.take_result(Seconds(1));
  ASSERT_EQ(run.records.size(), 3u);
  EXPECT_EQ(run.records[0].number, 1);
  EXPECT_EQ(run.records[1].number, 2);
  EXPECT_EQ(run.records[2].number, 3);
  EXPECT_EQ(run.records[0].failure, Failure::refused);
}

TEST(RunPlan, ARequestCutOffByTheEndOfATimedRunIsNotCountedButItsConnectionIs) {
  ClientOptions options = counting_only();
  options.duration = Seconds(1);
  options.timeout = 30;
  const RunClock clock;
  RunPlan plan(options, clock);
  RequestRecord cut{.number = 1, .lane = 1, .start = Seconds(0.5), .end = Seconds(1), .new_connection = true};
  cut.fail(Failure::timeout, "timed out after 30 s");
  plan.finish(cut);

  const RunResult run = plan.take_result(Seconds(1));
  EXPECT_EQ(run.cancelled, 1);
  EXPECT_EQ(run.tally.requests, 0);
  EXPECT_EQ(run.tally.failed, 0);
  EXPECT_EQ(run.tally.connections_opened, 1);
}

TEST(RunPlan, SummaryFromCountsMatchesSummaryFromRecords) {
  std::vector<RequestRecord> records;
  for (int n = 1; n <= 50; ++n) records.push_back(n % 7 == 0 ? refused(n) : answered(n, 0.01 * (n % 11 + 1)));
  const ClientOptions options = counting_only();
  const RunClock clock;
  RunPlan plan(options, clock);
  for (const RequestRecord& r : records) plan.finish(r);

  const Summary counted = summarize(plan.take_result(Seconds(2)).tally, Seconds(2));
  const Summary kept = summarize(records, Seconds(2));
  EXPECT_EQ(counted.requests, kept.requests);
  EXPECT_EQ(counted.failed, kept.failed);
  EXPECT_EQ(counted.percentiles, kept.percentiles);
  EXPECT_EQ(counted.error_counts, kept.error_counts);
  EXPECT_EQ(counted.status_counts, kept.status_counts);
}

}  // namespace kit
