// End-to-end tests of build/server: both models, through real sockets.
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <future>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <thread>

#include "durations.hpp"
#include "process.hpp"
#include "text.hpp"

namespace kit::test {

namespace {

const std::string delay = "0.2";  // seconds: short, but long enough to see
const std::string body = "This is a slow web api";

std::vector<std::string> with(std::vector<std::string> flags, const std::vector<std::string>& more) {
  flags.insert(flags.end(), more.begin(), more.end());
  return flags;
}

std::string get(const std::string& target, const std::string& extra_headers = "Connection: close\r\n") {
  return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra_headers + "\r\n";
}

double seconds_of(const std::function<void()>& work) {
  const auto start = std::chrono::steady_clock::now();
  work();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

class BothModels : public ::testing::TestWithParam<Model> {
 protected:
  std::vector<std::string> flags(const std::vector<std::string>& more = {}) const {
    return with(GetParam().flags, more);
  }
};

}  // namespace

// An answer with its Server-Timing durations, which differ from run to run, as "X".
std::string with_timings_as_x(const std::string& response) {
  return std::regex_replace(response, std::regex(R"(dur=\d+\.\d)"), "dur=X");
}

TEST(Server, BothModelsSendTheSameBytes) {
  ServerProcess pool({"--delay", "0"});
  ServerProcess loop({"--delay", "0", "--async"});
  ASSERT_TRUE(pool.started() && loop.started()) << pool.log() << loop.log();

  const std::string expected =
      "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 22\r\n"
      "Content-Type: text/plain; charset=utf-8\r\nServer-Timing: queue;dur=X, app;dur=X\r\n\r\n"
      "This is a slow web api";
  EXPECT_EQ(with_timings_as_x(raw_exchange(pool.port(), get("/"))), expected);
  EXPECT_EQ(with_timings_as_x(raw_exchange(loop.port(), get("/"))), expected);

  for (const std::string& request :
       {get("/any/path?x=1"), std::string("HEAD / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"),
        std::string("GET / HTTP/1.0\r\n\r\n"), get("/?delay=abc"), get("/?status=503"),
        std::string("DELETE / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n")}) {
    const std::string from_pool = with_timings_as_x(raw_exchange(pool.port(), request));
    EXPECT_FALSE(from_pool.empty()) << request;
    EXPECT_EQ(from_pool, with_timings_as_x(raw_exchange(loop.port(), request))) << request;
  }
}

TEST_P(BothModels, ServingLineNamesTheRealPortAndModel) {
  ServerProcess server(flags({"--delay", delay}));
  ASSERT_TRUE(server.started()) << server.log();
  const std::regex line(
      R"(Serving on http://127\.0\.0\.1:(\d+) \((worker pool|event loop), \d+ (workers?|threads?)\) \.\.\.\n)");
  std::smatch match;
  ASSERT_TRUE(std::regex_match(server.serving_line(), match, line)) << server.serving_line();
  EXPECT_EQ(std::stoi(match[1]), server.port());
  EXPECT_NE(server.port(), 8000);
}

TEST_P(BothModels, HeadAnswersHeadersOnly) {
  ServerProcess server(flags({"--delay", "0"}));
  ASSERT_TRUE(server.started()) << server.log();
  const std::string response = raw_exchange(server.port(), "HEAD / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(status_line(response), "HTTP/1.1 200 OK");
  EXPECT_NE(response.find("Content-Length: 22\r\n"), std::string::npos);
  EXPECT_EQ(response.find(body), std::string::npos);
}

TEST_P(BothModels, QueryDelayChangesTheWaitOfOneRequest) {
  ServerProcess server(flags({"--delay", delay}));
  ASSERT_TRUE(server.started()) << server.log();
  std::string quick, slow;
  const double quick_seconds = seconds_of([&] { quick = raw_exchange(server.port(), get("/?delay=0")); });
  const double slow_seconds = seconds_of([&] { slow = raw_exchange(server.port(), get("/?delay=0.4")); });
  EXPECT_EQ(status_line(quick), "HTTP/1.1 200 OK");
  EXPECT_EQ(status_line(slow), "HTTP/1.1 200 OK");
  EXPECT_GE(slow_seconds, 0.4);
  EXPECT_DURATION_LT(quick_seconds, slow_seconds / 2);
}

TEST_P(BothModels, BadDelayGets400WithAReason) {
  ServerProcess server(flags({"--delay", delay}));
  ASSERT_TRUE(server.started()) << server.log();
  for (const char* value : {"abc", "-1", "61", "nan"}) {
    const std::string response = raw_exchange(server.port(), get(std::string("/?delay=") + value));
    EXPECT_EQ(status_line(response), "HTTP/1.1 400 Bad Request") << value;
    EXPECT_NE(response.find(std::string("\r\n\r\nbad delay '") + value + "': expected seconds from 0 to 60\n"),
              std::string::npos)
        << response;
  }
}

TEST_P(BothModels, StatusQueryAnswersThatStatus) {
  ServerProcess server(flags({"--delay", "0"}));
  ASSERT_TRUE(server.started()) << server.log();
  EXPECT_EQ(status_line(raw_exchange(server.port(), get("/?status=503"))), "HTTP/1.1 503 Service Unavailable");
}

TEST_P(BothModels, OtherMethodsGet405WithAllow) {
  ServerProcess server(flags({"--delay", "0"}));
  ASSERT_TRUE(server.started()) << server.log();
  const std::string response = raw_exchange(server.port(), "BREW / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(status_line(response), "HTTP/1.1 405 Method Not Allowed");
  EXPECT_NE(response.find("Allow: GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS\r\n"), std::string::npos) << response;
}

// As a WSGI app reads wsgi.input: the body is read, and the answer says how much.
TEST_P(BothModels, MethodsWithABodyAreServedAndSayHowMuchTheyRead) {
  ServerProcess server(flags({"--delay", delay}));
  ASSERT_TRUE(server.started()) << server.log();
  for (const std::string method : {"POST", "PUT", "PATCH", "DELETE"}) {
    const std::string sized = raw_exchange(
        server.port(), method + " / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello");
    EXPECT_EQ(status_line(sized), "HTTP/1.1 200 OK") << method << sized;
    EXPECT_NE(sized.find("X-Body-Bytes: 5\r\n"), std::string::npos) << method << sized;
    EXPECT_NE(sized.find("Server-Timing: queue;dur="), std::string::npos) << sized;
    EXPECT_EQ(sized.substr(sized.size() - body.size()), body) << sized;
    const std::string chunked = raw_exchange(
        server.port(), method +
                           " / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                           "4\r\nwiki\r\n6\r\npedia!\r\n0\r\n\r\n");
    EXPECT_EQ(status_line(chunked), "HTTP/1.1 200 OK") << method << chunked;
    EXPECT_NE(chunked.find("X-Body-Bytes: 10\r\n"), std::string::npos) << method << chunked;
  }
  // Each waited the delay, like GET: 0.2 s and more, a little more on a busy sanitizer build.
  EXPECT_EQ(count_of(server.log(), "POST / 200 0.2") + count_of(server.log(), "POST / 200 0.3"), 2)
      << "waited the delay, like GET: " << server.log();
}

TEST_P(BothModels, OptionsAnswersAllowAtOnce) {
  ServerProcess server(flags({"--delay", "5"}));
  ASSERT_TRUE(server.started()) << server.log();
  const std::string response =
      raw_exchange(server.port(), "OPTIONS / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n", 3);
  EXPECT_EQ(status_line(response), "HTTP/1.1 204 No Content") << response;
  EXPECT_NE(response.find("Allow: GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS\r\n"), std::string::npos) << response;
}

// A client that waits before sending its body is told to go on, and one
// whose Content-Length is over --max-body is refused before it sends it.
TEST_P(BothModels, ExpectContinueIsAnsweredAndTooLargeIsRefusedBeforeTheBody) {
  ServerProcess server(flags({"--delay", "0", "--max-body", "1k"}));
  ASSERT_TRUE(server.started()) << server.log();
  RawConnection waits(server.port());
  ASSERT_TRUE(
      waits.send("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nExpect: 100-continue\r\n"
                 "Connection: close\r\n\r\n"));
  EXPECT_EQ(waits.receive(0.5), "HTTP/1.1 100 Continue\r\n\r\n");
  ASSERT_TRUE(waits.send("abc"));
  const std::string answer = waits.receive();
  EXPECT_EQ(status_line(answer), "HTTP/1.1 200 OK") << answer;
  EXPECT_NE(answer.find("X-Body-Bytes: 3\r\n"), std::string::npos) << answer;

  RawConnection too_large(server.port());
  ASSERT_TRUE(too_large.send("PUT / HTTP/1.1\r\nHost: h\r\nContent-Length: 1025\r\nExpect: 100-continue\r\n\r\n"));
  const std::string refused = too_large.receive(3);
  EXPECT_EQ(status_line(refused), "HTTP/1.1 413 Payload Too Large") << refused;
  EXPECT_NE(refused.find("at most 1024 bytes"), std::string::npos) << refused;
  EXPECT_EQ(refused.find("100 Continue"), std::string::npos) << refused;
}

TEST_P(BothModels, AccessLogHasOneLinePerRequestUnlessQuiet) {
  {
    ServerProcess server(flags({"--delay", "0"}));
    ASSERT_TRUE(server.started()) << server.log();
    raw_exchange(server.port(), get("/?delay=0&n=1"));
    raw_exchange(server.port(), get("/?delay=abc"));
    ASSERT_EQ(server.stop(SIGTERM), 0);
    // The pool counts a request's queue from when the kernel received it, so
    // a slow build (the sanitizers, beside test.sh's builds) may show some milliseconds of it here.
    const std::regex line(R"(GET /\?delay=0&n=1 200 \d+\.\d{3} s (\(queued 0\.0\d\d s\) )?(worker|thread) \d+\n)");
    EXPECT_TRUE(std::regex_search(server.log(), line)) << server.log();
    EXPECT_NE(server.log().find("GET /?delay=abc 400 "), std::string::npos) << server.log();
  }
  ServerProcess quiet(flags({"--delay", "0", "--quiet"}));
  ASSERT_TRUE(quiet.started()) << quiet.log();
  raw_exchange(quiet.port(), get("/"));
  ASSERT_EQ(quiet.stop(SIGTERM), 0);
  EXPECT_EQ(quiet.log().find("GET /"), std::string::npos) << quiet.log();
}

TEST_P(BothModels, SigtermLetsRequestsInFlightFinishThenExitsZero) {
  ServerProcess server(flags({"--delay", "0.5"}));
  ASSERT_TRUE(server.started()) << server.log();
  const long idle = server.descriptors();
  auto client = std::async(std::launch::async, [&] { return run_program("client_async", {server.url(), "-n", "2"}); });
  // Both requests are waiting once both connections are in: the client may
  // take a while to start (the sanitizers), so watch rather than guess.
  for (int i = 0; i < 100 && server.descriptors() < idle + 2; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(server.stop(SIGTERM), 0) << server.log();
  const ProgramResult result = client.get();
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, body + "\n" + body + "\n");
  EXPECT_NE(server.log().find("SIGTERM received"), std::string::npos) << server.log();
}

TEST_P(BothModels, SecondSignalExitsAtOnce) {
  ServerProcess server(flags({"--delay", "3", "--drain", "30"}));
  ASSERT_TRUE(server.started()) << server.log();
  RawConnection waiting(server.port());
  ASSERT_TRUE(waiting.send(get("/")));  // will wait 3 s
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  ASSERT_EQ(server.stop(SIGTERM, 0.3), -1) << "the first signal waits for the request";
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(server.stop(SIGTERM, 5), 1) << server.log();
  EXPECT_DURATION_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 1.0);
  EXPECT_NE(server.log().find("second signal, exiting now"), std::string::npos) << server.log();
}

TEST_P(BothModels, SigintWithAnIdleKeepAliveConnectionExitsZeroAtOnce) {
  ServerProcess server(flags({"--delay", "0", "--drain", "30"}));
  ASSERT_TRUE(server.started()) << server.log();
  RawConnection idle(server.port());
  ASSERT_TRUE(idle.send(get("/", "")));  // keep-alive: the connection stays open after the answer
  EXPECT_EQ(status_line(idle.receive(0.3)), "HTTP/1.1 200 OK");
  // With 30 s of drain allowed, only closing the idle connection lets it exit within 5 s.
  EXPECT_EQ(server.stop(SIGINT, 5), 0) << server.log();
}

TEST_P(BothModels, PortInUseExitsTwoWithOneLine) {
  ServerProcess first(flags({"--delay", delay}));
  ASSERT_TRUE(first.started()) << first.log();
  const ProgramResult second =
      run_program("server", flags({"--host", "127.0.0.1", "--port", std::to_string(first.port())}), 10);
  EXPECT_EQ(second.exit_code, 2);
  EXPECT_EQ(second.out, "");
  EXPECT_EQ(second.err,
            "server: cannot listen on 127.0.0.1:" + std::to_string(first.port()) + " (Address already in use)\n");
}

TEST_P(BothModels, PastTheRateLimitA429SaysWhenToComeBack) {
  // A token every 2 s: the test is over long before the next one.
  ServerProcess server(flags({"--delay", "0", "--rate-limit", "0.5", "--burst", "2"}));
  ASSERT_TRUE(server.started()) << server.log();
  const std::string first = raw_exchange(server.port(), get("/"));
  const std::string second = raw_exchange(server.port(), get("/"));
  const std::string third = raw_exchange(server.port(), get("/"));
  EXPECT_EQ(status_line(first), "HTTP/1.1 200 OK");
  EXPECT_NE(first.find("RateLimit-Limit: 2\r\nRateLimit-Remaining: 1\r\n"), std::string::npos) << first;
  EXPECT_NE(second.find("RateLimit-Remaining: 0\r\n"), std::string::npos) << second;
  EXPECT_EQ(status_line(third), "HTTP/1.1 429 Too Many Requests");
  EXPECT_NE(third.find("Retry-After: 2\r\n"), std::string::npos) << third;
  EXPECT_NE(third.find("RateLimit-Remaining: 0\r\n"), std::string::npos) << third;
  EXPECT_NE(third.find("Server-Timing: queue;dur="), std::string::npos) << third;
  EXPECT_NE(third.find("\r\n\r\ntoo many requests: this server takes 0.5 a second; retry after 2 s\n"),
            std::string::npos)
      << third;
  ASSERT_EQ(server.stop(SIGTERM), 0);
  // A few milliseconds; up to some tens under the sanitizers beside a build.
  EXPECT_TRUE(std::regex_search(server.log(), std::regex(R"(GET / 429 0\.\d\d\d s rate limited\n)"))) << server.log();
}

TEST(Server, RateLimitedRequestsNeverTakeAWorker) {
  // One worker busy for 0.5 s; the two requests past the limit are answered at once.
  ServerProcess server({"--workers", "1", "--delay", "0.5", "--rate-limit", "0.5", "--burst", "1", "--quiet"});
  ASSERT_TRUE(server.started()) << server.log();
  RawConnection admitted(server.port());
  ASSERT_TRUE(admitted.send(get("/")));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  for (int i = 0; i < 2; ++i) {
    std::string refused;
    const double seconds = seconds_of([&] { refused = raw_exchange(server.port(), get("/")); });
    EXPECT_EQ(status_line(refused), "HTTP/1.1 429 Too Many Requests");
    EXPECT_DURATION_LT(seconds, 0.25) << "not queued behind the worker";
  }
  EXPECT_EQ(status_line(admitted.receive(5)), "HTTP/1.1 200 OK");
}

INSTANTIATE_TEST_SUITE_P(Models, BothModels,
                         ::testing::Values(Model{"WorkerPool", {}}, Model{"EventLoop", {"--async"}},
                                           Model{"EventLoopThreads", {"--async", "--threads", "3"}}),
                         [](const auto& info) { return info.param.name; });

TEST(Server, BadFlagsExitTwoWithOneLine) {
  for (const std::vector<std::string>& args : {std::vector<std::string>{"--bogus"},
                                               {"--workers", "0"},
                                               {"--port", "70000"},
                                               {"--delay", "-1"},
                                               {"--delay", "soon"},
                                               {"--threads", "2"},
                                               {"--async", "--workers", "2"},
                                               {"--async", "--queue", "5"},
                                               {"--queue", "-1"},
                                               {"--delay", "1e19"},
                                               {"--delay", "1e300"},
                                               {"--max-delay", "86401"},
                                               {"--drain", "1e19"},
                                               {"--delay", "\x1b]0;pwned\x07"}}) {
    const ProgramResult result = run_program("server", args, 10);
    EXPECT_EQ(result.exit_code, 2) << args[0] << " " << args.back();
    EXPECT_EQ(result.err.rfind("server: ", 0), 0u) << result.err;
    EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << result.err;
    EXPECT_EQ(result.err.find('\x1b'), std::string::npos) << "an argument is echoed printable";
  }
}

TEST(Server, TheDashboardOnTheServersOwnPortIsRefusedWithTheReason) {
  const int port = unused_port();
  const ProgramResult result =
      run_program("server", {"--port", std::to_string(port), "--dashboard", std::to_string(port)}, 10);
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("--port and --dashboard must differ"), std::string::npos) << result.err;
}

// Requests sent together, on connections of their own.
std::vector<std::unique_ptr<RawConnection>> send_together(int port, int requests) {
  std::vector<std::unique_ptr<RawConnection>> connections;
  for (int i = 0; i < requests; ++i) {
    connections.push_back(std::make_unique<RawConnection>(port));
    connections.back()->send(get("/"));
  }
  return connections;
}

// The queue;dur= and app;dur= of each answer's Server-Timing header, in
// seconds, sorted by queue.
std::vector<std::pair<double, double>> server_timings(std::vector<std::unique_ptr<RawConnection>>& connections) {
  std::vector<std::pair<double, double>> timings;
  const std::regex header(R"(\r\nServer-Timing: queue;dur=(\d+\.\d), app;dur=(\d+\.\d)\r\n)");
  for (auto& connection : connections) {
    const std::string response = connection->receive(10);
    std::smatch match;
    if (!std::regex_search(response, match, header)) {
      ADD_FAILURE() << "no Server-Timing in: " << response;
      continue;
    }
    timings.emplace_back(std::stod(match[1]) / 1000, std::stod(match[2]) / 1000);
  }
  std::sort(timings.begin(), timings.end());
  return timings;
}

std::vector<std::pair<double, double>> server_timings(int port, int requests) {
  auto connections = send_together(port, requests);
  return server_timings(connections);
}

TEST(Server, ServerTimingShowsTheWaitForAFreeWorker) {
  ServerProcess server({"--workers", "2", "--delay", delay});
  ASSERT_TRUE(server.started()) << server.log();
  const auto timings = server_timings(server.port(), 4);
  ASSERT_EQ(timings.size(), 4u);
  for (int i = 0; i < 4; ++i) {
    const auto [queue, app] = timings[i];
    EXPECT_GE(app, 0.2) << i;
    EXPECT_DURATION_LT(app, 0.3) << i;
    if (i < 2) {
      EXPECT_DURATION_LT(queue, 0.05) << "two start at once";
    } else {
      EXPECT_GT(queue, 0.15) << "two wait for a worker";
      EXPECT_DURATION_LT(queue, 0.35);
    }
  }
  ASSERT_EQ(server.stop(SIGTERM), 0);
  EXPECT_TRUE(std::regex_search(server.log(), std::regex(R"(GET / 200 0\.\d{3} s \(queued 0\.\d{3} s\) worker \d)")))
      << server.log();
}

// One worker and room for one more request: the pool takes no more, and the
// other connections wait unaccepted in the kernel's backlog, as they do for
// gunicorn. Their wait there still counts in Server-Timing.
TEST(Server, AFullPoolLeavesNewConnectionsInTheKernelsBacklog) {
  ServerProcess server({"--workers", "1", "--queue", "1", "--delay", "0.25", "--quiet"});
  ASSERT_TRUE(server.started()) << server.log();
  auto connections = send_together(server.port(), 6);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_GE(accept_backlog(server.port()), 2) << "at most a few accepted before the pool was full";
  const auto timings = server_timings(connections);
  ASSERT_EQ(timings.size(), 6u);
  // One after another, 0.25 s each: the last waited about 1.25 s in all, of
  // which only the last 0.25 s or so inside the server.
  EXPECT_GT(timings.back().first, 0.95);
  EXPECT_DURATION_LT(timings.back().first, 2.5);
}

TEST(Server, ServerTimingInTheEventLoopHasNoQueueUnlessItBlocks) {
  ServerProcess event_loop({"--async", "--delay", delay, "--quiet"});
  ServerProcess blocking({"--async", "--blocking", "--delay", delay, "--quiet"});
  ASSERT_TRUE(event_loop.started() && blocking.started()) << event_loop.log() << blocking.log();
  for (const auto& [queue, app] : server_timings(event_loop.port(), 3)) {
    EXPECT_DURATION_LT(queue, 0.05);
    EXPECT_GE(app, 0.2);
  }
  // The blocked loop reads nothing while it sleeps: the others wait unread,
  // one and two sleeps long.
  const auto queued = server_timings(blocking.port(), 3);
  ASSERT_EQ(queued.size(), 3u);
  EXPECT_GT(queued[1].first, 0.15);
  EXPECT_GT(queued[2].first, 0.35);
}

TEST(Server, VersionNamesTheKitAndItsLibraries) {
  for (const std::string program : {"server", "client_sync", "client_async"}) {
    const ProgramResult result = run_program(program, {"--version"}, 10);
    EXPECT_EQ(result.exit_code, 0) << program;
    const std::regex text(program +
                          R"( \d+\.\d+\.\d+ \(slow-server demo kit\)\n)"
                          R"(built with Boost 1\.\d+\.\d+, cpp-httplib 0\.\d+\.\d+, OpenSSL \d+\.\d+\.\d+.*\n)");
    EXPECT_TRUE(std::regex_match(result.out, text)) << result.out;
  }
}

TEST(Server, BeyondLoopbackItSaysSoOnceAndWhereStudentsCanConnect) {
  ServerProcess everywhere({"--host", "0.0.0.0", "--delay", "0"});
  ASSERT_TRUE(everywhere.started()) << everywhere.log();
  // Reached here over loopback only.
  EXPECT_EQ(status_line(raw_exchange(everywhere.port(), get("/"))), "HTTP/1.1 200 OK");
  ASSERT_EQ(everywhere.stop(SIGTERM), 0);
  const std::string log = everywhere.log();
  EXPECT_EQ(count_of(log, "anyone on the network can reach it"), 1) << log;
  const std::regex address(R"(server: students can use http://(\d+\.\d+\.\d+\.\d+|\[[0-9a-f:]+\]):(\d+)/\n)");
  for (std::sregex_iterator it(log.begin(), log.end(), address), end; it != end; ++it) {
    EXPECT_EQ(std::stoi((*it)[2]), everywhere.port());
    EXPECT_NE((*it)[1], "127.0.0.1");
  }

  ServerProcess local({"--delay", "0"});  // 127.0.0.1, the default
  ASSERT_TRUE(local.started()) << local.log();
  ASSERT_EQ(local.stop(SIGTERM), 0);
  EXPECT_EQ(local.log().find("anyone on the network"), std::string::npos) << local.log();
}

// Each kind of flag error is one sentence in the user's terms, and exit 2.
TEST(Server, FlagErrorsSayWhatWasExpected) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--delay", "-1"}, "server: --delay: expected a number of seconds, from 0 to 86400; got '-1' (see --help)"},
      {{"--delay", "abc"}, "--delay: expected a number of seconds, from 0 to 86400; got 'abc'"},
      {{"--port", "70000"}, "--port: expected a port number, from 0 to 65535; got '70000'"},
      {{"--workers", "0"}, "--workers: expected a number of workers, from 1 to 10000; got '0'"},
      {{"--max-body", "1q"}, "--max-body: expected a size in bytes, like 100, 64k or 10m; got '1q'"},
      {{"--bogus"}, "unknown flag or argument '--bogus'"},
      {{"--delay"}, "--delay needs a value"},
      {{"--async", "--workers", "2"}, "cannot be used together"}};
  for (const auto& [args, expected] : cases) {
    const ProgramResult result = run_program("server", args, 10);
    EXPECT_EQ(result.exit_code, 2) << args[0];
    EXPECT_NE(result.err.find(expected), std::string::npos) << result.err;
    EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << result.err;
    EXPECT_EQ(result.err.find("000000"), std::string::npos) << result.err;
  }
}

TEST(Server, HelpShowsExamples) {
  const ProgramResult result = run_program("server", {"--help"}, 10);
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_NE(result.out.find("\nExamples:\n  server  "), std::string::npos)
      << "each on a line of its own: " << result.out;
  EXPECT_NE(result.out.find("\n  server --workers 1 "), std::string::npos) << result.out;
}

}  // namespace kit::test
