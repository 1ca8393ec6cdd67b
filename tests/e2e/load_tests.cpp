// Many connections, timed runs and kept-alive connections, through the real binaries.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>

#include <boost/json/parse.hpp>
#include <cstdlib>
#include <map>

#include "durations.hpp"
#include "process.hpp"
#include "text.hpp"

namespace kit::test {

namespace {

bool hard_limit_allows(rlim_t descriptors) {
  rlimit limit{};
  return ::getrlimit(RLIMIT_NOFILE, &limit) == 0 && (limit.rlim_max == RLIM_INFINITY || limit.rlim_max >= descriptors);
}

struct TimedRun {
  int requests = 0;
  int ok = 0;
  int opened = 0;
  std::map<int, std::vector<std::pair<double, double>>> lanes;  // lane -> (start, end)
};

TimedRun read_json(const std::string& text) {
  TimedRun run;
  const boost::json::value document = boost::json::parse(text);
  for (const auto& r : document.at("requests").as_array()) {
    ++run.requests;
    run.ok += r.at("ok").as_bool();
    run.opened += r.at("new_connection").as_bool();
    run.lanes[static_cast<int>(r.at("lane").as_int64())].emplace_back(r.at("start").as_double(),
                                                                      r.at("end").as_double());
  }
  return run;
}

class BothClients : public ::testing::TestWithParam<std::string> {
 protected:
  std::string lanes_flag() const { return GetParam() == "client_sync" ? "--threads" : "-c"; }
};

}  // namespace

TEST(Load, TwoThousandRequestsAtOnceAllSucceed) {
  if (!hard_limit_allows(2100)) GTEST_SKIP() << "the descriptor hard limit is below 2100 here";
  ServerProcess server({"--async", "--delay", "0.2", "--quiet"});
  ASSERT_TRUE(server.started()) << server.log();
  const ProgramResult result = run_program("client_async", {server.url(), "-n", "2000", "-q"});
  EXPECT_EQ(result.exit_code, 0) << result.err.substr(0, 2000);
  EXPECT_EQ(result.err.find("2000 requests, 2000 ok, 0 failed in "), 0u) << result.err.substr(0, 2000);
}

// A burst a hundred times the pool's queue: the connections it cannot take
// yet wait in the kernel's backlog, and every one is answered.
TEST(Load, APoolWithASmallQueueAnswersAFarLargerBurst) {
  if (!hard_limit_allows(1100)) GTEST_SKIP() << "the descriptor hard limit is below 1100 here";
  ServerProcess server({"--workers", "4", "--queue", "10", "--delay", "0.001", "--quiet"});
  ASSERT_TRUE(server.started()) << server.log();
  const ProgramResult result = run_program("client_async", {server.url(), "-n", "1000", "-q"});
  EXPECT_EQ(result.exit_code, 0) << result.err.substr(0, 2000);
  EXPECT_EQ(result.err.find("1000 requests, 1000 ok, 0 failed in "), 0u) << result.err.substr(0, 2000);
}

// Runs a program and, while it runs, watches how many threads it has; the
// most seen goes to stderr as "threads N".
const std::vector<std::string> counting_threads = {
    "/bin/bash", "-c",
    "\"$@\" & pid=$!; most=0\n"
    "while kill -0 $pid 2>/dev/null; do\n"
    "  now=$(awk '/^Threads:/ { print $2 }' /proc/$pid/status 2>/dev/null || true)\n"
    "  [ \"${now:-0}\" -gt \"$most\" ] && most=$now\n"
    "  sleep 0.02\n"
    "done\n"
    "echo \"threads $most\" >&2; wait $pid",
    "bash"};

// The "threads N" line counting_threads leaves on stderr, or -1.
int threads_seen(const std::string& err) {
  const auto at = err.rfind("threads ");
  return at == std::string::npos ? -1 : std::atoi(err.c_str() + at + 8);
}

TEST(Load, LoopsShareTheRequestsOnThreadsOfTheirOwn) {
  ServerProcess server({"--async", "--delay", "1"});
  ASSERT_TRUE(server.started()) << server.log();
  // The default, one loop: the threads any run has.
  const ProgramResult one_loop =
      run_program("client_async", {server.url("/?delay=0.3"), "-n", "20", "-q"}, 60, counting_threads);
  ASSERT_EQ(one_loop.exit_code, 0) << one_loop.err;
  const int baseline = threads_seen(one_loop.err);
  ASSERT_GE(baseline, 1) << one_loop.err;

  const ProgramResult result =
      run_program("client_async", {server.url(), "-n", "200", "--loops", "3", "--json", "-"}, 60, counting_threads);
  ASSERT_EQ(result.exit_code, 0) << result.err.substr(0, 2000);
  // Two loops besides the main thread's (ThreadSanitizer starts a thread of
  // its own once a program has a second one).
  EXPECT_GE(threads_seen(result.err), baseline + 2) << result.err;
  EXPECT_LE(threads_seen(result.err), baseline + 3) << result.err;
  TimedRun run;
  ASSERT_NO_THROW(run = read_json(result.out)) << result.out.substr(0, 2000);
  EXPECT_EQ(run.ok, 200);
  ASSERT_EQ(run.lanes.size(), 200u) << "every lane ran, on one loop or another";
  double last_start = 0, first_end = 1e9;
  for (const auto& [lane, spans] : run.lanes) {
    ASSERT_EQ(spans.size(), 1u) << "lane " << lane;
    last_start = std::max(last_start, spans[0].first);
    first_end = std::min(first_end, spans[0].second);
  }
  EXPECT_LT(last_start, first_end) << "all 200 were on their way before the first answer came back";

  ASSERT_EQ(server.stop(SIGTERM), 0);
  EXPECT_EQ(count_of(server.log(), "GET / 200"), 200) << "the 200 of the three loops, each once";
}

TEST_P(BothClients, TooFewDescriptorsAreExplainedBeforeTheRun) {
  const ProgramResult result = run_program(GetParam(), {"http://127.0.0.1:9/", "-n", "300", lanes_flag(), "300"}, 30,
                                           {"/usr/bin/prlimit", "--nofile=64:64"});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_NE(result.err.find("300 connections at once need about 332 open files"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("ulimit -n 332"), std::string::npos) << result.err;
  EXPECT_EQ(result.err.find("request 1:"), std::string::npos) << "no request was tried";
}

TEST_P(BothClients, DurationStopsOnTimeAndCountsEveryRequest) {
  // Each lane's answers end near 0.4 and 0.8 s; its third request, in flight
  // from 0.8 to 1.2 s, is cut off at 1 s and not counted.
  ServerProcess server({"--async", "--delay", "0.4"});
  ASSERT_TRUE(server.started()) << server.log();
  const ProgramResult result = run_program(GetParam(), {server.url(), "-z", "1s", lanes_flag(), "3", "--json", "-"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_GE(result.seconds, 1.0);
  EXPECT_DURATION_LT(result.seconds, 1.6);
  TimedRun run;
  ASSERT_NO_THROW(run = read_json(result.out)) << result.out;
  EXPECT_EQ(run.ok, run.requests);
  EXPECT_GE(run.requests, 3);
  EXPECT_LE(run.requests, 3 * 2) << "the third of each lane is cut off";
  EXPECT_EQ(run.lanes.size(), 3u);
  for (const auto& [lane, spans] : run.lanes) {
    for (std::size_t i = 1; i < spans.size(); ++i) EXPECT_GE(spans[i].first, spans[i - 1].second);
    EXPECT_DURATION_LT(spans.back().second, 1.0 + 0.1) << "a request counted ended before the run did";
  }
  EXPECT_EQ(run.opened, 3) << "kept alive by default with -z";
  ASSERT_EQ(server.stop(SIGTERM), 0);
  const int served = count_of(server.log(), "GET / 200");
  EXPECT_GE(served, run.requests);
  EXPECT_LE(served, run.requests + 3) << "at most one request per lane cut off at the end";
}

TEST_P(BothClients, KeepAliveReconnectsWhenTheServerCloses) {
  // The worker pool closes every connection after its answer, as gunicorn's sync workers do.
  ServerProcess closing({"--delay", "0", "--quiet"});
  ServerProcess keeping({"--async", "--delay", "0", "--quiet"});
  ASSERT_TRUE(closing.started() && keeping.started());
  const ProgramResult reopened =
      run_program(GetParam(), {closing.url(), "-n", "20", lanes_flag(), "2", "--keep-alive", "--json", "-"});
  ASSERT_EQ(reopened.exit_code, 0) << reopened.err;
  const TimedRun run_closing = read_json(reopened.out);
  EXPECT_EQ(run_closing.ok, 20);
  EXPECT_EQ(run_closing.opened, 20);

  const ProgramResult kept =
      run_program(GetParam(), {keeping.url(), "-n", "20", lanes_flag(), "2", "--keep-alive", "--json", "-"});
  ASSERT_EQ(kept.exit_code, 0) << kept.err;
  const TimedRun run_keeping = read_json(kept.out);
  EXPECT_EQ(run_keeping.ok, 20);
  // One connection per lane that got to run (a fast lane may take all 20).
  EXPECT_EQ(run_keeping.opened, static_cast<int>(run_keeping.lanes.size()));
}

TEST(Load, PastMaxConnectionsNewOnesGet503) {
  ServerProcess server({"--async", "--delay", "0.3", "--max-connections", "2", "--quiet"});
  ASSERT_TRUE(server.started()) << server.log();
  const ProgramResult result = run_program("client_async", {server.url(), "-n", "4"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(count_of(result.err, ": HTTP 503: server busy\n"), 2) << result.err;
  EXPECT_EQ(count_of(result.out, "This is a slow web api\n"), 2) << result.out;
  // Those that were served are unharmed, and the next request is served again.
  const ProgramResult after = run_program("client_async", {server.url("/?delay=0"), "-n", "1"});
  EXPECT_EQ(after.exit_code, 0) << after.err;
}

TEST(Load, ASilentConnectionTakesNoPlaceWhileSilent) {
  // The event loop accepts a connection once its request arrives: one that
  // has said nothing yet does not count against --max-connections.
  ServerProcess server({"--async", "--delay", "0", "--max-connections", "1", "--quiet"});
  ASSERT_TRUE(server.started()) << server.log();
  RawConnection silent(server.port());
  ASSERT_TRUE(silent.connected());
  const std::string response = raw_exchange(server.port(), "GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n", 5);
  EXPECT_EQ(status_line(response), "HTTP/1.1 200 OK") << response;
}

INSTANTIATE_TEST_SUITE_P(Load, BothClients, ::testing::Values("client_sync", "client_async"),
                         [](const auto& info) { return info.param; });

}  // namespace kit::test
