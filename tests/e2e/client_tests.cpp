// End-to-end tests of build/client_sync and build/client_async against build/server.
#include <gtest/gtest.h>
#include <netdb.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <fstream>
#include <memory>
#include <regex>
#include <thread>

#include "durations.hpp"
#include "terminal_session.hpp"
#include "json_records.hpp"
#include "process.hpp"
#include "text.hpp"

namespace kit::test {

namespace {

constexpr double delay = 0.2;  // seconds each request waits on the server
const std::string body_line = "This is a slow web api\n";

std::string repeat(const std::string& text, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out += text;
  return out;
}

ServerProcess slow_server(std::vector<std::string> flags = {}) {
  flags.insert(flags.end(), {"--delay", std::to_string(delay), "--quiet"});
  return ServerProcess(flags);
}

class BothClients : public ::testing::TestWithParam<std::string> {
 protected:
  ProgramResult run(const std::vector<std::string>& args, double timeout = 60) const {
    return run_program(GetParam(), args, timeout);
  }
};

}  // namespace

// The talk's demonstration: the same two requests, one after another or at once.
TEST(Clients, SyncTakesTwoDelaysAsyncTakesOne) {
  ServerProcess server = slow_server();
  ASSERT_TRUE(server.started()) << server.log();

  const ProgramResult sync = run_program("client_sync", {server.url()});
  const ProgramResult async = run_program("client_async", {server.url()});
  ASSERT_EQ(sync.exit_code, 0) << sync.err;
  ASSERT_EQ(async.exit_code, 0) << async.err;
  EXPECT_EQ(sync.out, repeat(body_line, 2));
  EXPECT_EQ(async.out, sync.out);
  EXPECT_TRUE(std::regex_match(sync.err, std::regex(R"(2 requests, 2 ok, 0 failed in 0\.\d{3} s\n)"))) << sync.err;

  EXPECT_GE(recap_seconds(sync.err), 2 * delay);
  EXPECT_GE(recap_seconds(async.err), delay);
  EXPECT_DURATION_LT(recap_seconds(async.err), 0.75 * recap_seconds(sync.err)) << async.err << sync.err;
}

// A concurrent client gains nothing when the server serves one request at a time.
TEST(Clients, OneWorkerMakesAsyncAsSlowAsSync) {
  ServerProcess one_worker = slow_server({"--workers", "1"});
  ServerProcess two_workers = slow_server({"--workers", "2"});
  ServerProcess event_loop = slow_server({"--async"});
  ASSERT_TRUE(one_worker.started() && two_workers.started() && event_loop.started());

  const ProgramResult on_one = run_program("client_async", {one_worker.url(), "-n", "2"});
  const ProgramResult on_two = run_program("client_async", {two_workers.url(), "-n", "2"});
  const ProgramResult on_loop = run_program("client_async", {event_loop.url(), "-n", "2"});
  for (const auto* result : {&on_one, &on_two, &on_loop}) {
    EXPECT_EQ(result->exit_code, 0) << result->err;
    EXPECT_EQ(result->out, repeat(body_line, 2));
  }
  // The runs' own times: a sanitizer's start-up, counted in the process's, is no part of the lesson.
  EXPECT_GE(recap_seconds(on_one.err), 2 * delay) << on_one.err;
  EXPECT_DURATION_LT(recap_seconds(on_two.err), 0.75 * recap_seconds(on_one.err)) << on_two.err;
  EXPECT_DURATION_LT(recap_seconds(on_loop.err), 0.75 * recap_seconds(on_one.err)) << on_loop.err;
}

// Silent clients hold no worker: the front end reads requests, and only
// complete ones reach the two workers. Four requests still take two delays.
TEST(Clients, SilentConnectionsHoldNoWorker) {
  ServerProcess server({"--workers", "2", "--delay", "0.5", "--quiet"});
  ASSERT_TRUE(server.started()) << server.log();
  std::vector<std::unique_ptr<RawConnection>> silent;
  for (int i = 0; i < 50; ++i) {
    silent.push_back(std::make_unique<RawConnection>(server.port()));
    ASSERT_TRUE(silent.back()->connected()) << i;
  }
  // The server takes a silent connection after about a second (deferred
  // accept); wait until it has them all, then the header timeout (10 s) runs.
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  const ProgramResult result = run_program("client_async", {server.url(), "-n", "4"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, repeat(body_line, 4));
  EXPECT_GE(recap_seconds(result.err), 2 * 0.5);
  EXPECT_DURATION_LT(recap_seconds(result.err), 3 * 0.5) << "a third delay: a silent connection held a worker";
}

// "Why not threads?": past what the system allows, client_sync says how many
// threads it could start and exits 2, before sending anything.
TEST(Clients, ThreadsTheSystemRefusesAreOneLineAndExitTwo) {
  if (std::getenv("ASAN_OPTIONS") || std::getenv("TSAN_OPTIONS")) {
    GTEST_SKIP() << "the sanitizers need more address space than this test leaves";
  }
  // 1.5 GB of address space holds the stacks of a few hundred threads, not 3000.
  const ProgramResult result = run_program(
      "client_sync", {"http://127.0.0.1:" + std::to_string(unused_port()) + "/", "--threads", "3000", "-n", "3000"}, 30,
      {"/usr/bin/prlimit", "--as=1500000000"});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_EQ(result.out, "");
  EXPECT_TRUE(std::regex_match(result.err, std::regex(R"(client_sync: the system refused thread \d+ of 3000 \(.+\); )"
                                                      R"(\d+ could be started: use fewer --threads\n)")))
      << result.err;
}

// The classic mistake: a blocking sleep inside the event loop serialises everything.
TEST(Clients, BlockingEventLoopQueuesRequestsUp) {
  ServerProcess blocking = slow_server({"--async", "--blocking"});
  ServerProcess event_loop = slow_server({"--async"});
  ASSERT_TRUE(blocking.started() && event_loop.started());
  EXPECT_NE(blocking.serving_line().find("(blocking event loop, 1 thread)"), std::string::npos);
  const ProgramResult queued = run_program("client_async", {blocking.url(), "-n", "3"});
  const ProgramResult together = run_program("client_async", {event_loop.url(), "-n", "3"});
  ASSERT_EQ(queued.exit_code, 0) << queued.err;
  ASSERT_EQ(together.exit_code, 0) << together.err;
  EXPECT_GE(recap_seconds(queued.err), 3 * delay);
  EXPECT_DURATION_LT(recap_seconds(together.err), 0.6 * recap_seconds(queued.err));
}

// The talk's Semaphore(3): nine requests, three at a time, three waves.
TEST(Clients, NineRequestsThreeAtATimeTakeThreeDelays) {
  ServerProcess server = slow_server({"--async"});
  ASSERT_TRUE(server.started()) << server.log();
  const ProgramResult limited = run_program("client_async", {server.url(), "-n", "9", "-c", "3"});
  const ProgramResult all_at_once = run_program("client_async", {server.url(), "-n", "9"});
  ASSERT_EQ(limited.exit_code, 0) << limited.err;
  ASSERT_EQ(all_at_once.exit_code, 0) << all_at_once.err;
  EXPECT_EQ(limited.out, repeat(body_line, 9));
  EXPECT_GE(recap_seconds(limited.err), 3 * delay);
  EXPECT_DURATION_LT(recap_seconds(limited.err), 5 * delay);
  EXPECT_DURATION_LT(recap_seconds(all_at_once.err), 0.6 * recap_seconds(limited.err));
}

// The threading variant: three threads share three requests and wait at the same time.
TEST(Clients, ThreeThreadsWaitAtTheSameTime) {
  ServerProcess server = slow_server();
  ASSERT_TRUE(server.started()) << server.log();
  const auto [threads, records] = run_with_records("client_sync", {server.url(), "--threads", "3", "-n", "3"});
  ASSERT_EQ(threads.exit_code, 0) << threads.err;
  EXPECT_EQ(threads.out, repeat(body_line, 3));
  EXPECT_GE(recap_seconds(threads.err), delay);
  expect_all_waited_at_once(records);
}

// The multiprocessing variant: three worker processes share three requests,
// the bodies still in request order, and the bill: their memory summed; and
// the three wait at the same time.
TEST(Clients, ThreeProcessesWaitAtTheSameTime) {
  ServerProcess server = slow_server();
  ASSERT_TRUE(server.started()) << server.log();
  const auto [processes, records] = run_with_records("client_sync", {server.url(), "--processes", "3", "-n", "3"});
  ASSERT_EQ(processes.exit_code, 0) << processes.err;
  EXPECT_EQ(processes.out, repeat(body_line, 3));
  EXPECT_TRUE(std::regex_search(processes.err, std::regex(R"(client_sync: 3 processes, peak memory \d+ MB summed)")))
      << processes.err;
  expect_all_waited_at_once(records);
}

// Each process's requests come back as records, as threads' do: request k
// runs in process 1 + (k - 1) mod N, bodies in order.
TEST(Clients, ProcessesReportTheirRequestsAsThreadsDo) {
  ServerProcess server = slow_server({"--async"});
  ASSERT_TRUE(server.started()) << server.log();
  const ProgramResult result =
      run_program("client_sync", {server.url("/?delay=0"), "--processes", "2", "-n", "5", "--json", "-"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto requests = boost::json::parse(result.out).at("requests").as_array();
  ASSERT_EQ(requests.size(), 5u);
  for (std::size_t k = 0; k < requests.size(); ++k) {
    EXPECT_EQ(requests[k].at("number").as_int64(), static_cast<std::int64_t>(k + 1));
    EXPECT_EQ(requests[k].at("lane").as_int64(), static_cast<std::int64_t>(1 + k % 2));
    EXPECT_EQ(requests[k].at("status").as_int64(), 200);
  }
  EXPECT_NE(run_program("client_sync", {server.url(), "--processes", "2", "-z", "1s"})
                .err.find("--duration and --processes cannot be used together"),
            std::string::npos);
}

// A worker process that dies is one line; its requests count as failed and
// the exit status says so, while the other's are reported as usual.
TEST(Clients, AProcessThatDiesIsOneLineAndItsRequestsFail) {
  ServerProcess server({"--async", "--delay", "1", "--quiet"});
  ASSERT_TRUE(server.started()) << server.log();
  auto client = std::async(std::launch::async, [&] {
    return run_program("client_sync", {server.url(), "--processes", "2", "-n", "4", "-q"});
  });
  // The client's workers: processes named client_sync whose parent is one
  // too, started by this test (other tests may run theirs at the same time).
  pid_t victim = -1;
  for (int i = 0; i < 50 && victim < 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
      std::ifstream stat(entry.path() / "stat");
      std::string pid, name, state, parent;
      if (!(stat >> pid >> name >> state >> parent) || name != "(client_sync)") continue;
      std::ifstream parent_stat("/proc/" + parent + "/stat");
      std::string parent_pid, parent_name, parent_state, grandparent;
      if (parent_stat >> parent_pid >> parent_name >> parent_state >> grandparent && parent_name == "(client_sync)" &&
          grandparent == std::to_string(::getpid())) {
        victim = std::stoi(pid);
      }
    }
  }
  ASSERT_GT(victim, 0) << "found no worker process";
  ::kill(victim, SIGKILL);
  const ProgramResult result = client.get();
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_TRUE(std::regex_search(result.err, std::regex(R"(client_sync: process [12] was killed by signal \w+)")))
      << result.err;
  EXPECT_NE(result.err.find("4 requests, 2 ok, 2 failed"), std::string::npos) << result.err;
}

// Two workers, four requests at once: two wait a delay in the server's queue,
// and the records say so (from the Server-Timing header).
TEST_P(BothClients, RecordsTheServersQueueAndAppTime) {
  ServerProcess server = slow_server({"--workers", "2"});
  ASSERT_TRUE(server.started()) << server.log();
  const std::string lanes = GetParam() == "client_sync" ? "--threads" : "-c";
  const ProgramResult result = run({server.url(), "-n", "4", lanes, "4", "--json", "-", "--summary"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto document = boost::json::parse(result.out);
  std::vector<double> queues;
  for (const auto& r : document.at("requests").as_array()) {
    queues.push_back(r.at("server_queue").as_double());
    EXPECT_GE(r.at("server_app").as_double(), delay);
    EXPECT_DURATION_LT(r.at("server_app").as_double(), 1.5 * delay);
  }
  std::sort(queues.begin(), queues.end());
  ASSERT_EQ(queues.size(), 4u);
  EXPECT_DURATION_LT(queues[1], 0.25 * delay);
  EXPECT_GT(queues[2], 0.75 * delay);
  EXPECT_DURATION_LT(queues[3], 1.75 * delay);
  EXPECT_NE(result.err.find("Server queue: "), std::string::npos) << result.err;
}

TEST_P(BothClients, QuietPrintsNoBodiesButTheRecap) {
  ServerProcess server = slow_server({"--async"});
  ASSERT_TRUE(server.started()) << server.log();
  const ProgramResult result = run({server.url("/?delay=0"), "-n", "3", "--quiet"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, "");
  EXPECT_NE(result.err.find("3 requests, 3 ok, 0 failed in "), std::string::npos) << result.err;
}

TEST_P(BothClients, RefusedConnectionsAreReportedOneLineEach) {
  const int port = unused_port();
  const ProgramResult result = run({"http://127.0.0.1:" + std::to_string(port) + "/", "-n", "2"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out, "");
  const std::string refused = "connection refused (127.0.0.1:" + std::to_string(port) + ")\n";
  EXPECT_TRUE(std::regex_match(
      result.err, std::regex("request 1: " + std::regex_replace(refused, std::regex(R"([().])"), R"(\$&)") +
                             "request 2: .*\n2 requests, 0 ok, 2 failed in \\d+\\.\\d{3} s\n")))
      << result.err;
}

TEST_P(BothClients, TimeoutShorterThanTheDelayFails) {
  ServerProcess server = slow_server({"--async"});
  ASSERT_TRUE(server.started()) << server.log();
  const ProgramResult result = run({server.url(), "-n", "2", "--timeout", "0.05"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("request 1: timed out after 0.05 s\n"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("request 2: timed out after 0.05 s\n"), std::string::npos) << result.err;
  EXPECT_DURATION_LT(recap_seconds(result.err), 2 * delay) << "a timeout must not wait for the answer";
}

TEST_P(BothClients, HttpErrorStatusesAreFailures) {
  ServerProcess server = slow_server({"--async"});
  ASSERT_TRUE(server.started()) << server.log();
  const ProgramResult unavailable = run({server.url("/?delay=0&status=503"), "-n", "1"});
  EXPECT_EQ(unavailable.exit_code, 1);
  EXPECT_NE(unavailable.err.find("request 1: HTTP 503: "), std::string::npos) << unavailable.err;
  const ProgramResult bad = run({server.url("/?delay=never"), "-n", "1"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("request 1: HTTP 400: bad delay 'never': expected seconds from 0 to "), std::string::npos)
      << "the server's reason, from the body's first line: " << bad.err;
}

// At a terminal a run of over a second draws a progress line, and must
// leave a clean screen: the bodies, the recap, the timeline, and no stale
// count glued to any of them (the README's own walk-through commands).
TEST_P(BothClients, TheTerminalScreenEndsCleanAfterAProgressLine) {
  ServerProcess server({"--async", "--delay", "0.6", "--quiet"});
  ASSERT_TRUE(server.started()) << server.log();
  const bool sync = GetParam() == "client_sync";
  const std::string n = sync ? "2" : "6";
  const std::vector<std::vector<std::string>> runs = {{server.url(), "-n", n, "-c", "3", "-q"},
                                                      {server.url(), "-n", n, "-c", "3"},
                                                      {server.url(), "-n", n, "-c", "3", "-q", "--timeline"}};
  for (std::vector<std::string> args : runs) {
    if (sync) args.erase(args.begin() + 3, args.begin() + 5);  // no -c: one after another
    const ProgramResult run = run_in_terminal(GetParam(), args);
    EXPECT_EQ(run.exit_code, 0) << run.out;
    EXPECT_NE(run.out.find(" done, "), std::string::npos) << "a progress line was drawn: " << run.out;
    const std::vector<std::string> screen = screen_of(run.out);
    const bool quiet = std::find(args.begin(), args.end(), "-q") != args.end();
    const std::size_t bodies = quiet ? 0 : static_cast<std::size_t>(std::stoi(n));
    ASSERT_GT(screen.size(), bodies) << run.out;
    for (std::size_t i = 0; i < bodies; ++i) EXPECT_EQ(screen[i], "This is a slow web api") << i;
    EXPECT_EQ(screen[bodies].rfind(n + " requests, " + n + " ok, 0 failed in ", 0), 0u) << screen[bodies];
    for (const std::string& line : screen) EXPECT_EQ(line.find(" done, "), std::string::npos) << line;
    const bool timeline = std::find(args.begin(), args.end(), "--timeline") != args.end();
    EXPECT_EQ(std::count_if(screen.begin(), screen.end(),
                            [](const std::string& line) { return line.rfind("Timeline: ", 0) == 0; }),
              timeline ? 1 : 0);
  }
}

TEST_P(BothClients, UnknownHostIsNamed) {
  const ProgramResult result = run({"http://no-such-host.invalid:8000/", "-n", "1"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("request 1: cannot resolve host 'no-such-host.invalid'"), std::string::npos) << result.err;
}

TEST_P(BothClients, BadUrlsExitTwo) {
  for (const char* url : {"ftp://127.0.0.1/", "not a url", "http://", "http://127.0.0.1:99999/"}) {
    const ProgramResult result = run({url}, 10);
    EXPECT_EQ(result.exit_code, 2) << url;
    EXPECT_NE(result.err.find("bad URL '" + std::string(url) + "'"), std::string::npos) << result.err;
    EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << result.err;
  }
}

// Each kind of flag error is one sentence in the user's terms, and exit 2.
TEST_P(BothClients, FlagErrorsSayWhatWasExpected) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--timeout", "abc"}, "--timeout: expected a number of seconds, from 0.001 to 86400; got 'abc'"},
      {{"--timeout", "-1"}, "--timeout: expected a number of seconds, from 0.001 to 86400; got '-1'"},
      {{"-n", "2.5"}, "--requests: expected a number of requests, from 1 to 10000000; got '2.5'"},
      {{"-z", "soon"}, "--duration: expected a duration with its unit, like 10s, 500ms or 2m; got 'soon'"},
      {{"--max-body", "lots"}, "--max-body: expected a size in bytes, like 100, 64k or 10m; got 'lots'"},
      {{"--bogus"}, "unknown flag or argument '--bogus'"},
      {{"--timeout"}, "--timeout needs a value"},
      {{"-n", "3", "-z", "1s"}, "cannot be used together"}};
  for (const auto& [args, expected] : cases) {
    const ProgramResult result = run(args, 10);
    EXPECT_EQ(result.exit_code, 2) << args[0];
    EXPECT_NE(result.err.find(expected), std::string::npos) << result.err;
    EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << result.err;
  }
}

TEST_P(BothClients, BadFlagsExitTwo) {
  for (const std::vector<std::string>& args : {std::vector<std::string>{"--bogus"},
                                               {"-n", "0"},
                                               {"-n", "many"},
                                               {"--timeout", "-1"},
                                               {"--timeout", "0"},
                                               {"http://127.0.0.1:9/", "ftp://b/"},
                                               {"-n", "3", "-z", "1s"},
                                               {"-z", "soon"},
                                               {"-z", "10"},
                                               {"--max-body", "lots"},
                                               {"--cacert", "/no/such/ca.pem"},
                                               {"--rate", "0"},
                                               {"--rate", "fast"},
                                               {"--retry", "-1"},
                                               {"--retry", "101"},
                                               {"--deadline", "0"},
                                               {"--urls", "/no/such/list.txt"},
                                               {"--urls", "/dev/null"},
                                               {"http://a\x1b[2J\x07/"},
                                               {"-n", "\x1b]0;pwned\x07"},
                                               {"--urls", "/no/such/\x1b[2J"}}) {
    const ProgramResult result = run(args, 10);
    EXPECT_EQ(result.exit_code, 2) << args[0];
    EXPECT_EQ(result.err.rfind(GetParam() + ": ", 0), 0u) << result.err;
    EXPECT_EQ(result.err.find('\x1b'), std::string::npos) << "an argument is echoed printable: " << result.err;
    EXPECT_EQ(result.out, "");
  }
}

// A --urls or --targets line is the user's file, and may hold anything:
// the error quotes it printable, not as escape sequences for the terminal.
TEST_P(BothClients, ALineOfAUrlFileIsQuotedPrintable) {
  const std::vector<std::pair<std::string, std::string>> files = {
      {"--urls", "http://127.0.0.1:9/ok\n\x1b]0;pwned\x07\x1b[2J\n"},
      {"--targets", "GET http://127.0.0.1:9/ok\n\nGET \x1b]0;pwned\x07\x1b[2J\n"}};
  for (const auto& [flag, text] : files) {
    const std::string path = "/tmp/kit-urls-" + std::to_string(::getpid());
    std::ofstream(path) << text;
    const ProgramResult result = run({flag, path}, 10);
    std::remove(path.c_str());
    EXPECT_EQ(result.exit_code, 2) << flag << " " << result.err;
    EXPECT_EQ(result.err.find('\x1b'), std::string::npos) << flag << ": " << result.err;
    EXPECT_NE(result.err.find("\\x1b"), std::string::npos) << flag << ": " << result.err;
  }
}

TEST(AsyncClient, BadLoopsExitTwo) {
  for (const std::string loops : {"0", "65", "two"}) {
    const ProgramResult result = run_program("client_async", {"http://127.0.0.1:9/", "--loops", loops}, 10);
    EXPECT_EQ(result.exit_code, 2) << loops;
    EXPECT_NE(result.err.find("--loops"), std::string::npos) << result.err;
    EXPECT_EQ(result.out, "");
  }
}

TEST_P(BothClients, HelpShowsExamples) {
  const ProgramResult result = run({"--help"}, 10);
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_NE(result.out.find("\nExamples:\n  " + GetParam() + "  "), std::string::npos)
      << "each on a line of its own: " << result.out;
  EXPECT_NE(result.out.find("\n  " + GetParam() + " -n "), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("http://localhost:8000/"), std::string::npos);
}

// As curl: localhost is both loopback addresses, though this machine's hosts
// file may name only 127.0.0.1, so a server on ::1 is reached, and one on 127.0.0.1 too.
TEST_P(BothClients, LocalhostReachesTheServerOnEitherLoopbackAddress) {
  for (const char* address : {"::1", "127.0.0.1"}) {
    ServerProcess server = slow_server({"--async", "--host", address});
    ASSERT_TRUE(server.started()) << server.log();
    const std::string url = "http://localhost:" + std::to_string(server.port()) + "/?delay=0";
    const ProgramResult result = run({url, "-n", "3"});
    EXPECT_EQ(result.exit_code, 0) << address << ": " << result.err;
    EXPECT_EQ(count_of(result.out, "This is a slow web api\n"), 3) << address << ": " << result.out;
  }
}

TEST_P(BothClients, Ipv6LoopbackWorks) {
  ServerProcess server({"--async", "--host", "::1", "--delay", "0", "--quiet"});
  if (!server.started()) GTEST_SKIP() << "no IPv6 loopback here: " << server.log();
  const std::string port = std::to_string(server.port());
  const ProgramResult literal = run({"http://[::1]:" + port + "/", "-n", "1"});
  EXPECT_EQ(literal.exit_code, 0) << literal.err;
  EXPECT_EQ(literal.out, body_line);
}

INSTANTIATE_TEST_SUITE_P(Clients, BothClients, ::testing::Values("client_sync", "client_async"),
                         [](const auto& info) { return info.param; });

}  // namespace kit::test

namespace kit::test {

// The talk's pictures: sync waits one request after another, async all at once.
TEST(Reports, SyncBarsFollowEachOtherAsyncBarsOverlap) {
  ServerProcess server = slow_server({"--async"});
  ASSERT_TRUE(server.started()) << server.log();
  const std::string json_path = ::testing::TempDir() + "/kit-reports-sync.json";
  const ProgramResult sync =
      run_program("client_sync", {server.url(), "-n", "3", "--summary", "--timeline", "--json", json_path});
  ASSERT_EQ(sync.exit_code, 0) << sync.err;
  EXPECT_NE(sync.out.find("Timeline: 3 requests on 1 lane,"), std::string::npos) << sync.out;
  EXPECT_NE(sync.out.find("Latency distribution:"), std::string::npos) << sync.out;
  EXPECT_NE(sync.out.find("[200] 3 responses"), std::string::npos) << sync.out;
  const auto sync_requests = requests_in(read_file(json_path));
  ASSERT_EQ(sync_requests.size(), 3u);
  for (std::size_t i = 1; i < sync_requests.size(); ++i) {
    EXPECT_GE(sync_requests[i].at("start").as_double(), sync_requests[i - 1].at("end").as_double());
  }
  std::remove(json_path.c_str());

  const ProgramResult async = run_program("client_async", {server.url(), "-n", "3", "--timeline", "--json", "-"});
  ASSERT_EQ(async.exit_code, 0) << async.err;
  const auto async_requests = requests_in(async.out);  // stdout holds the JSON alone
  ASSERT_EQ(async_requests.size(), 3u);
  double last_start = 0, first_end = 1e9;
  for (const auto& r : async_requests) {
    last_start = std::max(last_start, r.at("start").as_double());
    first_end = std::min(first_end, r.at("end").as_double());
  }
  EXPECT_LT(last_start, first_end) << "all three were waiting at the same time";
  EXPECT_NE(async.err.find("Timeline: 3 requests on 3 lanes,"), std::string::npos) << async.err;
}

TEST(Reports, ExactlyNRequestsWhenConcurrencyDoesNotDivideThem) {
  ServerProcess server({"--async", "--delay", "0"});
  ASSERT_TRUE(server.started()) << server.log();
  const ProgramResult result = run_program("client_async", {server.url(), "-n", "10", "-c", "3", "--csv", "-"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(count_of(result.out, ",200,22,true,"), 10) << result.out;
  ASSERT_EQ(server.stop(SIGTERM), 0);
  EXPECT_EQ(count_of(server.log(), "GET / 200"), 10) << server.log();
}

TEST(Reports, SvgHasOneBarPerRequest) {
  ServerProcess server = slow_server({"--async"});
  ASSERT_TRUE(server.started()) << server.log();
  const std::string svg_path = ::testing::TempDir() + "/kit-reports.svg";
  const ProgramResult result = run_program("client_async", {server.url(), "-n", "4", "-c", "2", "--svg", svg_path});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const std::string svg = read_file(svg_path);
  EXPECT_EQ(svg.rfind("<?xml", 0), 0u);
  EXPECT_EQ(count_of(svg, "class=\"bar ok\""), 4);
  EXPECT_NE(svg.find("</svg>"), std::string::npos);
  std::remove(svg_path.c_str());
}

TEST_P(BothClients, UnwritableOutputIsRefusedBeforeTheRun) {
  ServerProcess server({"--async", "--delay", "0"});
  ASSERT_TRUE(server.started()) << server.log();
  const ProgramResult result = run({server.url(), "--svg", "/no/such/folder/t.svg"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("--svg: cannot write '/no/such/folder/t.svg'"), std::string::npos) << result.err;
  ASSERT_EQ(server.stop(SIGTERM), 0);
  EXPECT_EQ(count_of(server.log(), "GET /"), 0) << "no request was sent";
}

TEST_P(BothClients, SummaryOfAFailedRunHasNoLatencies) {
  const ProgramResult result = run({"http://127.0.0.1:" + std::to_string(unused_port()) + "/", "-n", "2", "--summary"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.out.find("Success rate:   0.0% (0 of 2)"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("[2] refused"), std::string::npos) << result.out;
  EXPECT_EQ(result.out.find("nan"), std::string::npos) << result.out;
}

}  // namespace kit::test
