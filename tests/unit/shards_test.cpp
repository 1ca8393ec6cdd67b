// --shard, --result and --merge: N shards together plan exactly what one
// run would, and their results add up to what one process fed the same
// records would report, bucket for bucket.
#include <gtest/gtest.h>

#include <limits>
#include <random>
#include <set>

#include "records.hpp"
#include "result_file.hpp"
#include "run_plan.hpp"
#include "shard.hpp"

namespace kit {

namespace {

ClientOptions plan_options() {
  ClientOptions options;
  options.quiet = true;
  options.targets = {parse_http_url("http://127.0.0.1:9/a"), parse_http_url("http://127.0.0.1:9/b")};
  options.shapes.resize(2);
  options.requests = 500;
  return options;
}

// Every ticket a plan hands out: (number, URL, due time).
std::set<std::tuple<int, int, double>> tickets_of(const ClientOptions& options) {
  const RunClock clock;
  RunPlan plan(options, clock);
  std::set<std::tuple<int, int, double>> tickets;
  while (const auto ticket = plan.next()) {
    tickets.emplace(ticket->number, ticket->url, ticket->due ? ticket->due->count() : -1.0);
  }
  return tickets;
}

// For N from 1 to 7: the shards' tickets, none twice, are the whole plan's.
void expect_shards_make_the_whole(ClientOptions options) {
  const auto whole = tickets_of(options);
  ASSERT_FALSE(whole.empty());
  for (int n = 1; n <= 7; ++n) {
    std::set<std::tuple<int, int, double>> together;
    std::size_t handed_out = 0;
    for (int k = 0; k < n; ++k) {
      options.shard = Shard{k, n};
      const auto part = tickets_of(options);
      handed_out += part.size();
      together.insert(part.begin(), part.end());
    }
    EXPECT_EQ(handed_out, whole.size()) << n << " shards";
    EXPECT_EQ(together, whole) << n << " shards";
  }
}

}  // namespace

TEST(Shards, TogetherTheyAreTheWholePlanForACount) { expect_shards_make_the_whole(plan_options()); }

TEST(Shards, TogetherTheyAreTheWholeScheduleForARate) {
  ClientOptions options = plan_options();
  options.rate = 250;
  expect_shards_make_the_whole(options);
}

TEST(Shards, TogetherTheyAreTheWholeScheduleForStages) {
  ClientOptions options = plan_options();
  options.rate = 10;
  options.stages = parse_stages("1s:100,2s:100,1s:0");
  options.requests = 1'000'000;  // the stages end the plan
  expect_shards_make_the_whole(options);
}

TEST(Shards, ConcurrencyIsSplitWithTheRemainderSpread) {
  EXPECT_EQ(share_of_concurrency(10, {0, 4}), 3);
  EXPECT_EQ(share_of_concurrency(10, {1, 4}), 3);
  EXPECT_EQ(share_of_concurrency(10, {2, 4}), 2);
  EXPECT_EQ(share_of_concurrency(10, {3, 4}), 2);
  EXPECT_EQ(share_of_requests(10, {3, 4}), 2);  // 3 and 7
  EXPECT_EQ(share_of_requests(2, {3, 4}), 0);
}

TEST(Shards, ParsesKOfNAndRefusesTheRest) {
  EXPECT_EQ(parse_shard("2/4").index, 2);
  EXPECT_EQ(parse_shard("2/4").count, 4);
  for (const char* bad : {"4/4", "1/0", "x", "1/", "/4", "-1/4", "1/4/", " 1/4", "1/100000"}) {
    EXPECT_THROW(parse_shard(bad), std::invalid_argument) << bad;
  }
}

TEST(Shards, StartAtTakesUnixSecondsAndRfc3339WithinADay) {
  const double now = 1796680000;  // 2026-12-07T21:46:40Z
  EXPECT_DOUBLE_EQ(parse_start_at("1796680010.25", now), 1796680010.25);
  EXPECT_DOUBLE_EQ(parse_start_at("2026-12-07T21:47:00Z", now), 1796680020);
  EXPECT_DOUBLE_EQ(parse_start_at("2026-12-07T22:47:00.5+01:00", now), 1796680020.5);
  for (const char* bad : {"1796679990", "2026-12-09T21:47:00Z", "tomorrow", "2026-12-07T21:47:00", "2026-12-07 21:47",
                          "2026-12-07T21:47:00+1", "nan", "inf"}) {
    EXPECT_THROW(parse_start_at(bad, now), std::invalid_argument) << bad;
  }
}

namespace {

// Records with latencies spread over five orders of magnitude.
std::vector<RequestRecord> spread_records(int count) {
  std::mt19937 random(7);
  std::lognormal_distribution<double> seconds(-5, 2);
  std::vector<RequestRecord> records;
  for (int n = 1; n <= count; ++n) {
    const double start = n * 0.001;
    records.push_back(n % 50 == 0 ? test::refused(n) : test::answered(n, start, start + seconds(random)));
    records.back().url = n % 2;
  }
  return records;
}

ShardResult through_a_file(const std::vector<RequestRecord>& records, const ClientOptions& options) {
  return parse_result_line(result_line(test::run_of(records, Seconds(2)), options, 0));
}

}  // namespace

TEST(Shards, MergedPercentilesAreOneProcesssBucketForBucket) {
  const ClientOptions options = plan_options();
  const std::vector<RequestRecord> records = spread_records(20'000);
  const Tally whole = through_a_file(records, options).run.tally;
  for (int n : {2, 3, 7}) {
    Tally merged;
    for (int k = 0; k < n; ++k) {
      std::vector<RequestRecord> part;
      for (const RequestRecord& r : records) {
        if ((r.number - 1) % n == k) part.push_back(r);
      }
      const Tally shard = through_a_file(part, options).run.tally;
      if (k == 0)
        merged = shard;
      else
        merged.add(shard);
    }
    EXPECT_EQ(merged.requests, whole.requests);
    EXPECT_EQ(merged.failed, whole.failed);
    EXPECT_EQ(merged.latencies.count(), whole.latencies.count());
    EXPECT_EQ(merged.latencies.fastest(), whole.latencies.fastest());
    EXPECT_EQ(merged.latencies.slowest(), whole.latencies.slowest());
    for (double p : {1.0, 10.0, 50.0, 90.0, 99.0, 99.9, 100.0}) {
      EXPECT_EQ(merged.latencies.percentile(p), whole.latencies.percentile(p)) << "p" << p << ", " << n << " shards";
    }
    ASSERT_EQ(merged.by_url.size(), 2u);
    EXPECT_EQ(merged.by_url[1].requests, whole.by_url[1].requests);
  }
}

TEST(Shards, AResultLineReadsBackAsItWasWritten) {
  ClientOptions options = plan_options();
  options.shard = Shard{1, 3};
  const std::string line = result_line(test::run_of(spread_records(100), Seconds(2)), options, 1);
  EXPECT_EQ(line.find('\n'), std::string::npos);
  const ShardResult result = parse_result_line(line);
  EXPECT_EQ(result.shard.index, 1);
  EXPECT_EQ(result.shard.count, 3);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.urls, (std::vector<std::string>{"http://127.0.0.1:9/a", "http://127.0.0.1:9/b"}));
  EXPECT_EQ(result.run.tally.requests, 100);
  EXPECT_EQ(result.run.tally.failed, 2);
  EXPECT_EQ(result.run.tally.error_counts.at("refused"), 2);
  EXPECT_EQ(result.run.elapsed, Seconds(2));
}

TEST(Shards, RefusesATruncatedCorruptOrForeignLine) {
  const std::string line = result_line(test::run_of(spread_records(100), Seconds(2)), plan_options(), 0);
  auto refused_with = [](const std::string& text) {
    try {
      parse_result_line(text);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_NE(refused_with(line.substr(0, line.size() / 2)).find("truncated"), std::string::npos);
  std::string other_version = line;
  const std::string version = "\"version\":" + std::to_string(result_version);
  other_version.replace(other_version.find(version), version.size(), "\"version\":99");
  EXPECT_NE(refused_with(other_version).find("version"), std::string::npos);
  std::string other_plan = line;
  other_plan.replace(other_plan.find("/a\""), 3, "/c\"");
  EXPECT_NE(refused_with(other_plan).find("digest"), std::string::npos);
  std::string bad_count = line;
  bad_count.replace(bad_count.find("\"requests\":100"), 14, "\"requests\":101");
  EXPECT_NE(refused_with(bad_count).find("add up"), std::string::npos);
  std::string escape = line;
  escape.replace(escape.find("\"refused\""), 9, "\"\\u001b]0;x\"");
  EXPECT_NE(refused_with(escape).find("unknown kind"), std::string::npos);
  EXPECT_NE(refused_with("{\"format\":\"something else\"}").find("not a slowkit-result"), std::string::npos);
}

}  // namespace kit

namespace kit {

TEST(Shards, CountsThatWouldOverflowWhenAddedAreRefused) {
  Tally big, more;
  big.requests = big.ok = std::numeric_limits<int>::max();
  more.requests = more.ok = 1;
  EXPECT_THROW(big.add(more), std::invalid_argument);
  Tally statuses, more_statuses;
  statuses.status_counts[200] = std::numeric_limits<int>::max();
  more_statuses.status_counts[200] = 1;
  EXPECT_THROW(statuses.add(more_statuses), std::invalid_argument);
}

}  // namespace kit
