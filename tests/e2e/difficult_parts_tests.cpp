// The talk's "where it gets difficult", through the real binaries: rate
// limits and retries, an open-loop arrival rate, and many URLs on several hosts.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <thread>

#include "durations.hpp"
#include "fault_server.hpp"
#include "json_records.hpp"
#include "process.hpp"
#include "text.hpp"

namespace kit::test {

namespace {

class BothClients : public ::testing::TestWithParam<std::string> {
 protected:
  bool sync() const { return GetParam() == "client_sync"; }
  // `lanes` requests at once: threads for client_sync, in flight for client_async.
  std::vector<std::string> lanes(int count) const { return {sync() ? "--threads" : "-c", std::to_string(count)}; }
  ProgramResult run(std::vector<std::string> args, double timeout = 60) const {
    return run_program(GetParam(), args, timeout);
  }
};

std::vector<std::string> joined(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

}  // namespace

// A rate-limited API: one request a second. Two at once: the second gets 429
// with Retry-After 1, waits that second and succeeds.
TEST_P(BothClients, RetryWaitsAsRetryAfterSays) {
  ServerProcess server({"--async", "--delay", "0", "--quiet", "--rate-limit", "1"});
  ASSERT_TRUE(server.started()) << server.log();
  const ProgramResult without = run(joined({server.url(), "-n", "2", "-q"}, lanes(2)));
  EXPECT_EQ(without.exit_code, 1);
  EXPECT_NE(without.err.find(": HTTP 429"), std::string::npos) << without.err;
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // the bucket fills again

  const ProgramResult with = run(joined({server.url(), "-n", "2", "--retry", "3", "--json", "-"}, lanes(2)));
  ASSERT_EQ(with.exit_code, 0) << with.err;
  EXPECT_NE(with.err.find("2 requests, 2 ok, 0 failed in 1."), std::string::npos) << with.err;
  EXPECT_NE(with.err.find("(1 retry)"), std::string::npos) << with.err;
  const auto requests = requests_in(with.out);
  ASSERT_EQ(requests.size(), 3u) << "one record per try";
  const auto refused =
      std::find_if(requests.begin(), requests.end(), [](const auto& r) { return r.at("retried").as_bool(); });
  ASSERT_NE(refused, requests.end());
  EXPECT_EQ(refused->at("status").as_int64(), 429);
  const auto& again = *(refused + 1);
  EXPECT_EQ(again.at("attempt").as_int64(), 2);
  EXPECT_EQ(again.at("status").as_int64(), 200);
  const double waited = again.at("start").as_double() - refused->at("end").as_double();
  EXPECT_GE(waited, 0.9) << "Retry-After: 1";
  EXPECT_DURATION_LT(waited, 3.0);
  EXPECT_GE(again.at("duration").as_double(), waited) << "the request's time includes its wait";
}

// No Retry-After: a reset before any answer is asked again after a short
// backoff; a body cut short is not (the server may have acted on it).
TEST_P(BothClients, RetryBacksOffAfterResetsButNotAfterATruncatedBody) {
  FaultServer resets(Fault::reset);
  const ProgramResult reset = run({resets.url(), "-n", "1", "--retry", "2"});
  EXPECT_EQ(reset.exit_code, 1);
  EXPECT_NE(reset.err.find("(try 3, the last)"), std::string::npos) << reset.err;
  EXPECT_NE(reset.err.find("(2 retries)"), std::string::npos) << reset.err;
  EXPECT_GE(reset.seconds, 0.1) << "two backoffs of at least 0.05 s and 0.1 s";

  FaultServer truncates(Fault::truncated_body);
  const ProgramResult truncated = run({truncates.url(), "-n", "1", "--retry", "2"});
  EXPECT_EQ(truncated.exit_code, 1);
  EXPECT_EQ(truncated.err.find("retr"), std::string::npos) << truncated.err;
}

// --deadline bounds the whole request, when --timeout alone would wait longer.
TEST_P(BothClients, DeadlineEndsTheRequest) {
  ServerProcess server({"--async", "--delay", "2", "--quiet"});
  ASSERT_TRUE(server.started()) << server.log();
  const ProgramResult result = run({server.url(), "-n", "1", "--timeout", "10", "--deadline", "0.3"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("request 1: deadline of 0.3 s reached"), std::string::npos) << result.err;
  EXPECT_DURATION_LT(result.seconds, 1.5);
}

// --rate R: requests go out on a schedule of R a second, counted as they
// reach the server's access log; without it, all at once.
TEST_P(BothClients, RateSendsOnSchedule) {
  ServerProcess server({"--async", "--delay", "0"});
  ASSERT_TRUE(server.started()) << server.log();
  constexpr int requests = 30;
  constexpr double rate = 20;
  ProgramResult result;
  std::thread client([&] {
    result = run(joined({server.url(), "-n", std::to_string(requests), "-q", "--rate", "20", "--summary"}, lanes(4)));
  });
  const auto logged = [&] { return count_of(server.log(), "GET / 200"); };
  const auto began = std::chrono::steady_clock::now();
  while (logged() == 0 && std::chrono::steady_clock::now() - began < std::chrono::seconds(10)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  const int in_window = logged();  // about 1 + 0.7 s x 20
  client.join();
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(logged(), requests);
  EXPECT_GE(in_window, 7) << "0.7 s at 20 a second";
  EXPECT_LE(in_window, 23) << "0.7 s at 20 a second";
  EXPECT_GE(result.seconds, 0.7 * (requests - 1) / rate);
  EXPECT_NE(result.out.find("Late:"), std::string::npos) << result.out;
}

// Coordinated omission: one lane, and the server holds the first request for
// 1 s. A closed loop sends the others late and times them from then, so they
// look fast; --rate times them from when they were due.
TEST_P(BothClients, RateCountsLatencyFromTheDueTime) {
  ServerProcess server({"--async", "--delay", "0", "--quiet"});
  ASSERT_TRUE(server.started()) << server.log();
  const std::vector<std::string> urls{server.url("/?delay=1"), server.url(), server.url(), server.url(), server.url()};
  const auto slowest_of_the_rest = [](const std::string& json) {
    double slowest = 0;
    for (const auto& r : requests_in(json)) {
      if (r.at("number").as_int64() > 1) slowest = std::max(slowest, r.at("duration").as_double());
    }
    return slowest;
  };
  const ProgramResult closed = run(joined(joined(urls, lanes(1)), {"--json", "-"}));
  const ProgramResult open = run(joined(joined(urls, lanes(1)), {"--rate", "20", "--json", "-", "--summary"}));
  ASSERT_EQ(closed.exit_code, 0) << closed.err;
  ASSERT_EQ(open.exit_code, 0) << open.err;
  EXPECT_DURATION_LT(slowest_of_the_rest(closed.out), 0.3) << "the stall is hidden";
  EXPECT_GT(slowest_of_the_rest(open.out), 0.7) << "request 2, due at 0.05 s, went out at 1 s";
  for (const auto& r : requests_in(open.out)) {
    const double due = r.at("due").as_double();
    EXPECT_NEAR(due, 0.05 * static_cast<double>(r.at("number").as_int64() - 1), 1e-9);
    if (r.at("number").as_int64() > 1) {
      EXPECT_GT(r.at("start").as_double() - due, 0.5) << "sent late";
      EXPECT_DURATION_LT(r.at("service_time").as_double(), 0.3) << "fast once sent: the server's part";
    }
  }
  // Both views side by side: what a user waited, and what the server took.
  const auto summary = boost::json::parse(open.out).at("summary");
  EXPECT_GT(summary.at("percentiles").at("p50").as_double(), 0.5);
  EXPECT_DURATION_LT(summary.at("service_percentiles").at("p50").as_double(), 0.3);
  EXPECT_NE(open.err.find("% in "), std::string::npos) << open.err;
  EXPECT_NE(open.err.find(" (service time "), std::string::npos) << open.err;
  // The four held back at least; the first too on a slow start (sanitizers).
  EXPECT_GE(boost::json::parse(open.out).at("summary").at("late").as_int64(), 4);
  EXPECT_NE(open.err.find(" of 5 went out more than 1.0 ms after their due time"), std::string::npos) << open.err;
}

// Several URLs on two servers: the bodies print in the order of the URLs,
// as asyncio.gather returns them, whichever server answers first.
TEST_P(BothClients, BodiesOfSeveralUrlsPrintInOrder) {
  ServerProcess slow({"--async", "--delay", "0.3", "--quiet", "--body", "from the slow one"});
  ServerProcess quick({"--async", "--delay", "0", "--quiet", "--body", "from the quick one"});
  ASSERT_TRUE(slow.started() && quick.started());
  const ProgramResult result = run(joined({slow.url(), quick.url(), slow.url("/?delay=0.1"), "--summary"}, lanes(3)));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out.substr(0, result.out.find("\nSummary")),
            "from the slow one\nfrom the quick one\nfrom the slow one\n");
  EXPECT_NE(result.err.find("3 requests, 3 ok"), std::string::npos) << result.err;
  EXPECT_NE(result.out.find("By host:"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("127.0.0.1:" + std::to_string(quick.port()) + "  1 requests"), std::string::npos)
      << result.out;
}

// With -n larger than the list, request k takes URL k mod count; kept-alive
// connections are per host: one lane, two hosts, two connections.
TEST_P(BothClients, UrlsTakeTurnsWithAConnectionPerHost) {
  ServerProcess a({"--async", "--delay", "0", "--quiet", "--body", "a"});
  ServerProcess b({"--async", "--delay", "0", "--quiet", "--body", "b"});
  ASSERT_TRUE(a.started() && b.started());
  const ProgramResult result = run(joined({a.url(), b.url(), "-n", "6", "--keep-alive", "--json", "-"}, lanes(1)));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto document = boost::json::parse(result.out);
  EXPECT_EQ(document.at("summary").at("connections_opened").as_int64(), 2);
  for (const auto& r : document.at("requests").as_array()) {
    const auto number = r.at("number").as_int64();
    EXPECT_EQ(r.at("url").as_string(), number % 2 == 1 ? a.url() : b.url());
  }
}

// A host that does not resolve fails its own requests, each with a line; the others succeed.
TEST_P(BothClients, AnUnresolvableHostFailsAlone) {
  ServerProcess server({"--async", "--delay", "0", "--quiet"});
  ASSERT_TRUE(server.started()) << server.log();
  const ProgramResult result = run({server.url(), "http://no-such-host.invalid:8000/", server.url(), "-n", "4"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out, "This is a slow web api\nThis is a slow web api\nThis is a slow web api\n");
  EXPECT_NE(result.err.find("request 2: cannot resolve host 'no-such-host.invalid'"), std::string::npos) << result.err;
  EXPECT_EQ(count_of(result.err, "cannot resolve"), 1) << result.err;
  EXPECT_NE(result.err.find("4 requests, 3 ok, 1 failed"), std::string::npos) << result.err;
}

// --urls FILE, with comments, and - for stdin; -n defaults to one request per URL.
TEST_P(BothClients, UrlsFromAFileOrStdin) {
  ServerProcess server({"--async", "--delay", "0", "--quiet", "--body", "listed"});
  ASSERT_TRUE(server.started()) << server.log();
  const std::string list = ::testing::TempDir() + "urls-" + GetParam() + ".txt";
  std::ofstream(list) << "# two pages\n" << server.url("/one") << "\n\n  " << server.url("/two") << "\n";
  const ProgramResult from_file = run({"--urls", list});
  EXPECT_EQ(from_file.exit_code, 0) << from_file.err;
  EXPECT_EQ(from_file.out, "listed\nlisted\n");
  const ProgramResult from_stdin =
      run_program(GetParam(), {"--urls", "-"}, 60, {"/bin/sh", "-c", "echo '" + server.url() + "' | \"$0\" \"$@\""});
  EXPECT_EQ(from_stdin.exit_code, 0) << from_stdin.err;
  EXPECT_EQ(from_stdin.out, "listed\n");
  std::ofstream(list) << "# only comments\n";
  const ProgramResult empty = run({"--urls", list});
  EXPECT_EQ(empty.exit_code, 2);
  EXPECT_NE(empty.err.find("no URL in"), std::string::npos) << empty.err;
  std::remove(list.c_str());
}

INSTANTIATE_TEST_SUITE_P(DifficultParts, BothClients, ::testing::Values("client_sync", "client_async"),
                         [](const auto& info) { return info.param; });

}  // namespace kit::test
