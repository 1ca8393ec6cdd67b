// --retry's arithmetic: Retry-After in both its forms, the backoff's bounds,
// what is worth asking again, and how a run counts the tries.
#include <gtest/gtest.h>

#include <chrono>

#include "records.hpp"
#include "retry.hpp"
#include "run_plan.hpp"

namespace kit {

namespace {

// 1994-11-06 08:49:37 UTC, the example date of the HTTP specifications.
const auto example_date = std::chrono::system_clock::from_time_t(784111777);

RequestRecord answered_with(int status, std::optional<Seconds> retry_after = {}) {
  RequestRecord r = test::answered(1, 0, 0.01, status);
  r.retry_after = retry_after;
  return r;
}

}  // namespace

TEST(RetryAfter, DelaySeconds) {
  EXPECT_EQ(parse_retry_after("3", example_date), Seconds(3));
  EXPECT_EQ(parse_retry_after(" 0 ", example_date), Seconds(0));
  EXPECT_EQ(parse_retry_after("120", example_date), Seconds(120));
}

TEST(RetryAfter, HttpDateInAllThreeForms) {
  const auto ten_seconds_before = example_date - std::chrono::seconds(10);
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", ten_seconds_before), Seconds(10));
  EXPECT_EQ(parse_retry_after("Sunday, 06-Nov-94 08:49:37 GMT", ten_seconds_before), Seconds(10));
  EXPECT_EQ(parse_retry_after("Sun Nov  6 08:49:37 1994", ten_seconds_before), Seconds(10));
}

TEST(RetryAfter, ADateInThePastMeansNow) {
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", example_date + std::chrono::hours(1)), Seconds(0));
}

TEST(RetryAfter, AnythingElseIsIgnored) {
  for (const char* value : {"", "soon", "-1", "1.5", "3s", "Sun, 06 Nov 1994 08:49:37", "Sun, 06 Nov 1994"}) {
    EXPECT_FALSE(parse_retry_after(value, example_date)) << value;
  }
  EXPECT_GT(*parse_retry_after("99999999999999999999999", example_date), longest_retry_wait);
}

TEST(RetryAfter, AFarDateIsALongWaitWithoutOverflow) {
  const auto far = parse_retry_after("Fri, 31 Dec 9999 23:59:59 GMT", example_date);
  ASSERT_TRUE(far);
  EXPECT_GT(*far, longest_retry_wait);
  EXPECT_GT(far->count(), 2.5e11) << "about 8000 years";
}

TEST(Backoff, DoublesFromTheFirstWaitUpToTheCapWithJitterInItsUpperHalf) {
  EXPECT_EQ(backoff(1, 0.0), first_backoff / 2);
  for (int attempt = 1; attempt <= 12; ++attempt) {
    const Seconds ceiling = std::min(backoff_cap, first_backoff * (1 << (attempt - 1)));
    EXPECT_DOUBLE_EQ(backoff(attempt, 0.0).count(), ceiling.count() / 2) << attempt;
    EXPECT_LE(backoff(attempt, 0.99).count(), ceiling.count()) << attempt;
    EXPECT_GT(backoff(attempt, 0.99), backoff(attempt, 0.5)) << "the jitter spreads the waits";
  }
  EXPECT_EQ(backoff(1000, 0.999), backoff(40, 0.999)) << "no overflow far past the cap";
}

TEST(WorthRetrying, RateLimitedBusyAndResetBeforeAnyAnswer) {
  EXPECT_TRUE(worth_retrying(answered_with(429)));
  EXPECT_TRUE(worth_retrying(answered_with(503)));
  EXPECT_FALSE(worth_retrying(answered_with(200)));
  EXPECT_FALSE(worth_retrying(answered_with(500)));
  EXPECT_FALSE(worth_retrying(answered_with(404)));
  RequestRecord reset = test::failed(1, Failure::reset, "connection closed before the response headers");
  EXPECT_TRUE(worth_retrying(reset));
  reset.answer_started = true;  // the server may have acted on it
  EXPECT_FALSE(worth_retrying(reset));
  EXPECT_FALSE(worth_retrying(test::failed(1, Failure::timeout, "timed out after 1 s")));
  EXPECT_FALSE(worth_retrying(test::refused(1)));
}

// Both clients' second looks, decided in one place.
TEST(SecondLook, AResetOnAReusedConnectionBeforeAnyAnswerIsAskedAgainOnce) {
  RequestRecord reused;
  reused.fail(Failure::reset, "connection closed");
  EXPECT_TRUE(ask_again_on_a_new_connection(reused, true));
  EXPECT_FALSE(ask_again_on_a_new_connection(reused, false)) << "not once the run is over";
  RequestRecord fresh = reused;
  fresh.new_connection = true;
  EXPECT_FALSE(ask_again_on_a_new_connection(fresh, true)) << "a new connection that resets is the server's answer";
  RequestRecord begun = reused;
  begun.answer_started = true;
  EXPECT_FALSE(ask_again_on_a_new_connection(begun, true)) << "the server may have acted on it";
}

TEST(SecondLook, RedirectsAreFollowedOnTheSameHostAtMostFiveTimes) {
  const HttpTarget at = parse_http_url("http://127.0.0.1:8000/a/b");
  RequestRecord redirected;
  redirected.set_response(302, "", "c?x=1");
  const auto next = next_hop(redirected, at, 0);
  ASSERT_TRUE(next);
  EXPECT_EQ(next->target, "/a/c?x=1");
  EXPECT_FALSE(next_hop(redirected, at, most_redirects));
  EXPECT_EQ(redirected.error, "more than 5 redirects, last to c?x=1");
  RequestRecord elsewhere;
  elsewhere.set_response(301, "", "http://other.example/");
  EXPECT_FALSE(next_hop(elsewhere, at, 0));
  EXPECT_EQ(elsewhere.failure, Failure::redirect);
  EXPECT_NE(elsewhere.error.find("redirect to another host (http://other.example/)"), std::string::npos);
  RequestRecord nowhere;
  nowhere.set_response(302, "", "http://[::1");
  EXPECT_FALSE(next_hop(nowhere, at, 0));
  EXPECT_EQ(nowhere.failure, Failure::bad_response);
}

TEST(RunPlanRetries, WaitsAsRetryAfterSaysUntilTheRetriesAreUsedUp) {
  ClientOptions options;
  options.retries = 2;
  const RunClock clock;
  RunPlan plan(options, clock);
  RequestRecord first = answered_with(429, Seconds(0.5));
  EXPECT_EQ(plan.retry_wait(first), Seconds(0.5));
  RequestRecord second = next_try(first, Seconds(0.6));
  second.set_response(429, "");
  second.retry_after = Seconds(0.5);
  EXPECT_EQ(second.attempt, 2);
  EXPECT_EQ(second.began(), first.start) << "a later try's time counts from the first";
  EXPECT_TRUE(plan.retry_wait(second));
  RequestRecord third = next_try(second, Seconds(1.2));
  third.set_response(429, "");
  EXPECT_FALSE(plan.retry_wait(third)) << "--retry 2 allows three tries";
  EXPECT_FALSE(plan.retry_wait(answered_with(200)));
}

TEST(RunPlanRetries, NoWaitPastTheDeadlineOrTheLongestRetryAfter) {
  ClientOptions options;
  options.retries = 5;
  options.deadline = Seconds(1);
  const RunClock clock;
  RunPlan plan(options, clock);
  EXPECT_TRUE(plan.retry_wait(answered_with(429, Seconds(0.5))));
  EXPECT_FALSE(plan.retry_wait(answered_with(429, Seconds(2)))) << "past --deadline";
  options.deadline.reset();
  EXPECT_TRUE(plan.retry_wait(answered_with(429, Seconds(2))));
  EXPECT_FALSE(plan.retry_wait(answered_with(429, longest_retry_wait + Seconds(1))));
  const auto backed_off = plan.retry_wait(answered_with(503));
  ASSERT_TRUE(backed_off) << "no Retry-After: the backoff";
  EXPECT_GE(*backed_off, first_backoff / 2);
  EXPECT_LE(*backed_off, first_backoff);
}

TEST(RunPlanRetries, ARetriedTryIsARetryNotARequest) {
  ClientOptions options;
  options.quiet = true;
  options.timeline = true;
  const RunClock clock;
  RunPlan plan(options, clock);
  RequestRecord refused_once = answered_with(429);
  RequestRecord then_ok = next_try(refused_once, Seconds(1));
  then_ok.set_response(200, "ok");
  then_ok.end = Seconds(1.25);
  refused_once.retried = true;
  plan.finish(std::move(refused_once));
  plan.finish(std::move(then_ok));
  RequestRecord failed_twice = next_try(answered_with(429), Seconds(1));
  failed_twice.number = 2;
  failed_twice.set_response(429, "");
  plan.finish(std::move(failed_twice));

  const RunResult run = plan.take_result(Seconds(2));
  EXPECT_EQ(run.tally.requests, 2);
  EXPECT_EQ(run.tally.ok, 1);
  EXPECT_EQ(run.tally.retries, 1);
  EXPECT_EQ(run.tally.retried_requests, 2);
  EXPECT_EQ(run.tally.failed_after_retries, 1);
  EXPECT_EQ(run.tally.status_counts.at(200), 1) << "a request's last answer counts, not every try's";
  EXPECT_EQ(run.tally.status_counts.at(429), 1);
  EXPECT_DOUBLE_EQ(*run.tally.latencies.percentile(50), 1.25) << "from the first try's start to the end";
  ASSERT_EQ(run.records.size(), 3u) << "every try is kept for the timeline";
  EXPECT_EQ(run.records[0].attempt, 1);
  EXPECT_EQ(run.records[1].attempt, 2);
  EXPECT_EQ(failure_line(run.failures_shown.at(0)), "request 2: HTTP 429 (try 2, the last)");
}

TEST(RunPlanSchedule, RateGivesEachRequestItsDueTimeAndUrlsTakeTurns) {
  ClientOptions options;
  options.requests = 5;
  options.rate = 4;
  options.targets = {parse_http_url("http://a/"), parse_http_url("http://b/")};
  const RunClock clock;
  RunPlan plan(options, clock);
  for (int k = 0; k < 5; ++k) {
    const auto ticket = plan.next();
    ASSERT_TRUE(ticket);
    EXPECT_EQ(ticket->number, k + 1);
    EXPECT_EQ(ticket->url, k % 2);
    EXPECT_DOUBLE_EQ(ticket->due->count(), k / 4.0);
  }
  EXPECT_FALSE(plan.next());
}

// -z 0.5s --rate 100: 50 requests due.
ClientOptions half_a_second_at_100() {
  ClientOptions options;
  options.rate = 100;
  options.duration = Seconds(0.5);
  options.targets = {parse_http_url("http://a/")};
  return options;
}

TEST(RunPlanSchedule, ATimedRunAtARateEndsWithItsLastDueTime) {
  const ClientOptions options = half_a_second_at_100();
  const RunClock clock;
  RunPlan plan(options, clock);
  int tickets = 0;
  while (plan.next()) ++tickets;  // handed out at once: the schedule, not the clock, decides
  EXPECT_EQ(tickets, 50);
  EXPECT_EQ(plan.take_result(Seconds(0.5)).unsent, 0);
}

TEST(RunPlanSchedule, RequestsThatNoLaneSentBeforeTheEndAreCounted) {
  const ClientOptions options = half_a_second_at_100();
  const RunClock clock;
  RunPlan plan(options, clock);
  for (int k = 0; k < 10; ++k) ASSERT_TRUE(plan.next());
  EXPECT_EQ(plan.take_result(Seconds(0.5)).unsent, 40) << "50 were due before the end, 10 went out";
}

TEST(LateRequests, CountOnlyTheFirstTryOfScheduledRequests) {
  RequestRecord on_time = test::answered(1, 0.1005, 0.2);
  on_time.due = Seconds(0.1);
  RequestRecord held_back = test::answered(2, 0.9, 1.0);
  held_back.due = Seconds(0.2);
  const RequestRecord unscheduled = test::answered(3, 0.5, 0.6);
  const Summary s = summarize({on_time, held_back, unscheduled}, Seconds(1));
  EXPECT_EQ(s.scheduled, 2);
  EXPECT_EQ(s.late, 1);
  EXPECT_NEAR(*s.late_most, 0.7, 1e-9);
  EXPECT_NEAR(*s.slowest, 0.8, 1e-9) << "a held-back request's latency counts from its due time";
}

}  // namespace kit
