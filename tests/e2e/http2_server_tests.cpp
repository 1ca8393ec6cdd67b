// The server's HTTP/2, in both models, against real peers on loopback:
// curl (prior knowledge, and ALPN over TLS), h2load, client_async --http2,
// and a hostile client made of crafted frames (python3-h2) playing the
// attacks of the last years while a class's requests go on beside it.
#include <gtest/gtest.h>

#include <chrono>
#include <regex>
#include <thread>

#include "durations.hpp"
#include "peer_process.hpp"
#include "process.hpp"
#include "text.hpp"

namespace kit::test {

namespace {

constexpr double delay = 0.5;
constexpr long most_growth_kb = 32 * 1024;  // what one hostile peer may cost the server (ASan included)
const std::vector<Model> models = {{"WorkerPool", {"--workers", "8"}}, {"EventLoop", {"--async"}}};

class Http2Server : public ::testing::TestWithParam<Model> {
 protected:
  std::unique_ptr<ServerProcess> start(std::vector<std::string> more = {}) const {
    std::vector<std::string> flags = GetParam().flags;
    flags.insert(flags.end(), {"--delay", std::to_string(delay)});
    flags.insert(flags.end(), more.begin(), more.end());
    return std::make_unique<ServerProcess>(flags);
  }
};

// `curl -w '%{http_version}'`: "2" or "1.1", after the body.
ProgramResult curl(const std::vector<std::string>& args) {
  std::vector<std::string> all{"-s", "--max-time", "10", "-w", " %{http_version}"};
  all.insert(all.end(), args.begin(), args.end());
  return run_program(installed("curl"), all);
}

}  // namespace

TEST_P(Http2Server, CurlGetsHttp2ByPriorKnowledgeAndByAlpnAndTheLogSaysWhichStream) {
  if (installed("curl").empty()) GTEST_SKIP() << "no curl here";
  auto server = start({"--tls-self-signed"});
  ASSERT_TRUE(server->started()) << server->log();
  const std::string certificate = server->certificate_file();
  const std::string https = "https://localhost:" + std::to_string(server->port()) + "/";
  const auto tls = curl({"--http2", "--cacert", certificate, https});
  EXPECT_EQ(tls.out, "This is a slow web api 2") << tls.err;
  auto cleartext = start();
  const auto prior = curl({"--http2-prior-knowledge", "-H", "X-Kit: 1", cleartext->url("/?status=418")});
  EXPECT_EQ(prior.out, "This is a slow web api 2") << prior.err;
  EXPECT_NE(cleartext->log().find("GET /?status=418 418"), std::string::npos);
  EXPECT_NE(cleartext->log().find("(HTTP/2 stream 1)"), std::string::npos) << cleartext->log();
  const auto http1 = curl({cleartext->url()});
  EXPECT_EQ(http1.out, "This is a slow web api 1.1") << "HTTP/1.1 on the same port";
}

TEST_P(Http2Server, NoHttp2ServesHttp1Only) {
  if (installed("curl").empty()) GTEST_SKIP() << "no curl here";
  auto server = start({"--no-http2", "--tls-self-signed"});
  ASSERT_TRUE(server->started()) << server->log();
  const std::string https = "https://localhost:" + std::to_string(server->port()) + "/";
  const auto tls = curl({"--http2", "--cacert", server->certificate_file(), https});
  EXPECT_EQ(tls.out, "This is a slow web api 1.1") << tls.err;
  auto cleartext = start({"--no-http2"});
  const auto prior = curl({"--http2-prior-knowledge", cleartext->url()});
  EXPECT_NE(prior.exit_code, 0) << prior.out;
}

// h2load -c 1 -m 20: twenty requests at once on one connection. The event
// loop waits them out together; the pool's eight workers take them in turns.
TEST_P(Http2Server, ManyStreamsOnOneConnectionAreServedAsTheModelServesRequests) {
  const std::string h2load = installed("h2load");
  if (h2load.empty()) GTEST_SKIP() << "no h2load here (scripts/install-deps.sh http2)";
  auto server = start({"--quiet"});
  ASSERT_TRUE(server->started()) << server->log();
  const auto run = run_program(h2load, {"-c", "1", "-m", "20", "-n", "20", server->url()});
  EXPECT_NE(run.out.find("20 succeeded, 0 failed"), std::string::npos) << run.out;
  const double waves = GetParam().name == "EventLoop" ? 1 : 3;  // 20 requests, 8 workers
  EXPECT_DURATION_LT(run.seconds, delay * (waves + 0.6)) << run.out;
  EXPECT_DURATION_GT(run.seconds, delay * waves) << run.out;
}

// More streams than --max-streams wait in a client that keeps to SETTINGS,
// and are refused to one that does not.
TEST_P(Http2Server, MaxStreamsBoundsTheStreamsOfAConnection) {
  auto server = start({"--max-streams", "4", "--quiet"});
  ASSERT_TRUE(server->started()) << server->log();
  const auto polite = run_program("client_async", {"--http2", "-n", "8", "-q", "--summary", server->url()});
  EXPECT_EQ(polite.exit_code, 0) << polite.err;
  EXPECT_NE(polite.out.find("4 requests waited for the server's limit on streams"), std::string::npos) << polite.out;
  const std::string python = python_with_h2();
  if (python.empty()) GTEST_SKIP() << "no python3-h2 here (scripts/install-deps.sh http2)";
  const auto rude =
      run_program(python, {peer_script("hostile_http2_client.py"), "many-streams", std::to_string(server->port())});
  EXPECT_EQ(rude.out, "answered 4 refused 46\n") << rude.err;
  const auto bad = run_program("server", {"--max-streams", "0"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("--max-streams"), std::string::npos) << bad.err;
}

struct Attack {
  std::string mode;
  std::string outcome;  // how the hostile client's line starts: a regular expression
};
void PrintTo(const Attack& attack, std::ostream* out) { *out << attack.mode; }

class Http2Attack : public ::testing::TestWithParam<std::tuple<Model, Attack>> {};

// Each attack is bounded, while a class's requests on other connections are
// answered within 1.2 times their delay, and the server grows by less than 32 MB.
TEST_P(Http2Attack, IsBoundedWhileAClassIsServedBesideIt) {
  const auto& [model, attack] = GetParam();
  const std::string python = python_with_h2();
  if (python.empty()) GTEST_SKIP() << "no python3-h2 here (scripts/install-deps.sh http2)";
  std::vector<std::string> flags = model.flags;
  flags.insert(flags.end(), {"--delay", std::to_string(delay), "--idle-timeout", "1", "--quiet"});
  ServerProcess server(flags);
  ASSERT_TRUE(server.started()) << server.log();
  ASSERT_EQ(run_program("client_async", {"-q", server.url()}).exit_code, 0);  // warmed up: the peak is the attack's
  const long before = server.peak_kb();
  ProgramResult hostile;
  std::thread attacker([&] {
    hostile = run_program(python, {peer_script("hostile_http2_client.py"), attack.mode, std::to_string(server.port())});
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  const auto class_run = run_program("client_async", {"-n", "4", "-q", server.url()});
  attacker.join();
  EXPECT_EQ(class_run.exit_code, 0) << class_run.err;
  EXPECT_DURATION_LT(recap_seconds(class_run.err), delay * 1.2) << class_run.err;
  EXPECT_TRUE(std::regex_search(hostile.out, std::regex("^" + attack.outcome + " after")))
      << hostile.out << hostile.err;
  EXPECT_PEAK_KB_LT(server.peak_kb() - before, most_growth_kb);
  EXPECT_EQ(run_program("client_async", {"--http2", "-q", server.url()}).exit_code, 0) << "still serving HTTP/2";
}

// Requests whose streams were reset while they waited for a worker are
// skipped (499 in the log): the pool is free again once the requests it had
// started end, not after every reset one has slept its delay.
TEST(Http2WorkerPool, RequestsResetWhileQueuedTakeNoWorker) {
  const std::string python = python_with_h2();
  if (python.empty()) GTEST_SKIP() << "no python3-h2 here (scripts/install-deps.sh http2)";
  ServerProcess server({"--workers", "8", "--delay", std::to_string(delay)});
  ASSERT_TRUE(server.started()) << server.log();
  const auto started = std::chrono::steady_clock::now();
  const auto hostile =
      run_program(python, {peer_script("hostile_http2_client.py"), "late-reset", std::to_string(server.port())});
  EXPECT_EQ(hostile.out.rfind("reset 500", 0), 0u) << hostile.out << hostile.err;
  std::this_thread::sleep_until(started + std::chrono::milliseconds(static_cast<int>(delay * 1000 * 1.2)));
  const auto class_run = run_program("client_async", {"-q", server.url()});
  EXPECT_EQ(class_run.exit_code, 0) << class_run.err;
  EXPECT_DURATION_LT(recap_seconds(class_run.err), delay * 1.2) << "the pool still slept for reset streams";
  // A busy server may read a round's resets with its requests, and drop them before the pool sees them.
  const std::string log = server.log();
  const int streams_served = count_of(log, "(HTTP/2 stream"), withdrawn = count_of(log, "withdrawn (HTTP/2 stream");
  EXPECT_LE(streams_served - withdrawn, 16) << "reset requests took workers: " << log.substr(0, 2000);
}

INSTANTIATE_TEST_SUITE_P(Models, Http2Server, ::testing::ValuesIn(models),
                         [](const auto& info) { return info.param.name; });

// A rapid reset ends in GOAWAY; a client still sending when the server closes
// may get the connection's reset before it reads the GOAWAY.
INSTANTIATE_TEST_SUITE_P(
    Attacks, Http2Attack,
    ::testing::Combine(::testing::ValuesIn(models),
                       ::testing::Values(Attack{"rapid-reset", "(goaway [A-Z_]+|closed)"},
                                         Attack{"continuation-flood", "closed"}, Attack{"big-headers", "closed"},
                                         Attack{"ping-flood", "closed"}, Attack{"settings-flood", "closed"},
                                         Attack{"closed-window", "closed"})),
    [](const auto& info) {
      std::string mode = std::get<1>(info.param).mode;
      std::erase(mode, '-');
      return std::get<0>(info.param).name + "_" + mode;
    });

}  // namespace kit::test
