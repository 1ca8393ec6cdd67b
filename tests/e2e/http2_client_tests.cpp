// client_async --http2 against real HTTP/2 peers on loopback: nginx (h2c,
// echo_sleep), nghttpd (TLS, ALPN), the kit's server (which answers in
// HTTP/1.1), and a hostile server made of crafted frames (python3-h2).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <unistd.h>

#include "durations.hpp"
#include "json_records.hpp"
#include "peer_process.hpp"
#include "process.hpp"
#include "self_signed.hpp"
#include "text.hpp"

namespace kit::test {

namespace {

constexpr double delay = 0.2;
const std::string slow_location = "location /slow { echo_sleep 0.2; echo slow; }\n    location / { echo fast; }";

#define SKIP_WITHOUT(peer) \
  if (!(peer).started()) GTEST_SKIP() << "no such peer here (scripts/install-deps.sh http2)"

std::set<int> connections_in(const std::string& json_text) {
  std::set<int> numbers;
  for (const auto& r : requests_in(json_text)) numbers.insert(static_cast<int>(r.at("connection").as_int64()));
  return numbers;
}

int summary_count(const std::string& json_text, const char* name) {
  return static_cast<int>(boost::json::parse(json_text).at("summary").at(name).as_int64());
}

// The hostile HTTP/2 server of tests/e2e/peers in one of its modes.
std::unique_ptr<PeerProcess> hostile_server(const std::string& mode) {
  const std::string python = python_with_h2();
  if (python.empty()) return nullptr;
  return std::make_unique<PeerProcess>(python, std::vector<std::string>{peer_script("hostile_http2_server.py"), mode});
}

std::string h2c_url(int port) { return "http://127.0.0.1:" + std::to_string(port) + "/"; }

}  // namespace

// The talk's two requests, as two streams on one connection: one wait, not two.
TEST(Http2Client, TwoRequestsAreTwoStreamsOnOneConnectionAndWaitTogether) {
  NginxH2c nginx(slow_location);
  SKIP_WITHOUT(nginx);
  const auto [run, json] = run_with_records("client_async", {"--http2", nginx.url("/slow")});
  ASSERT_EQ(run.exit_code, 0) << run.err << nginx.log();
  EXPECT_EQ(run.out, "slow\n\nslow\n\n");  // each body, then a new line, as the talk prints them
  EXPECT_EQ(connections_in(json), std::set<int>{1});
  EXPECT_EQ(summary_count(json, "connections_opened"), 1);
  EXPECT_EQ(summary_count(json, "http2_requests"), 2);
  for (const auto& r : requests_in(json)) EXPECT_EQ(r.at("protocol").as_string(), "h2");
  expect_all_waited_at_once(json);
  EXPECT_DURATION_LT(recap_seconds(run.err), delay * 1.8) << run.err;
}

// -c keeps its meaning; --connections spreads the streams, each connection taking its share.
TEST(Http2Client, ConnectionsSpreadTheStreamsInFlight) {
  NginxH2c nginx(slow_location);
  SKIP_WITHOUT(nginx);
  const auto [run, json] = run_with_records(
      "client_async", {"--http2", "-n", "60", "--connections", "3", "-q", "--summary", nginx.url("/slow")});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(connections_in(json), (std::set<int>{1, 2, 3}));
  EXPECT_EQ(summary_count(json, "connections_opened"), 3);
  EXPECT_NE(run.out.find("Protocol:       HTTP/2 for all 60"), std::string::npos) << run.out;
  expect_all_waited_at_once(json);
  EXPECT_DURATION_LT(recap_seconds(run.err), delay * 1.8) << run.err;
}

// More streams than SETTINGS_MAX_CONCURRENT_STREAMS wait in the client, and the summary says so.
TEST(Http2Client, TheServersLimitOnStreamsHoldsTheRestInTheClient) {
  NginxH2c nginx("http2_max_concurrent_streams 4;\n    " + slow_location);
  SKIP_WITHOUT(nginx);
  const auto [run, json] =
      run_with_records("client_async", {"--http2", "-n", "12", "-q", "--summary", nginx.url("/slow")});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(summary_count(json, "ok"), 12);
  EXPECT_EQ(summary_count(json, "held_by_stream_limit"), 8);
  EXPECT_NE(run.out.find("8 requests waited for the server's limit on streams"), std::string::npos) << run.out;
  EXPECT_DURATION_GT(recap_seconds(run.err), delay * 2.9) << "three waves of four: " << run.err;
}

// What works over HTTP/1.1 works over HTTP/2: -z, --rate, a body, headers, -i, a per-stream --timeout.
TEST(Http2Client, DurationRateBodyHeadersIncludeAndTimeoutWorkOverStreams) {
  NginxH2c nginx(
      "location /slow { echo_sleep 1; echo slow; }\n"
      "    location /echo { echo_read_request_body; echo \"$http_x_kit $request_body\"; }\n"
      "    location / { echo fast; }");
  SKIP_WITHOUT(nginx);
  const auto rate = run_program("client_async", {"--http2", "--rate", "100", "-z", "1s", "--summary", nginx.url("/")});
  EXPECT_EQ(rate.exit_code, 0) << rate.err;
  EXPECT_NE(rate.out.find("Success rate:   100.0%"), std::string::npos) << rate.out;
  const auto posted =
      run_program("client_async", {"--http2", nginx.url("/echo"), "-n", "1", "-i", "-d", "a body", "-H", "X-Kit: yes"});
  EXPECT_EQ(posted.exit_code, 0) << posted.err;
  EXPECT_EQ(posted.out.rfind("HTTP/2 200", 0), 0u) << posted.out;
  EXPECT_NE(posted.out.find("\r\n\r\nyes a body\n"), std::string::npos) << posted.out;
  const auto late = run_program("client_async", {"--http2", "-n", "2", "--timeout", "0.3", nginx.url("/slow")});
  EXPECT_EQ(late.exit_code, 1) << late.err;
  EXPECT_EQ(count_of(late.err, "timed out after 0.3 s"), 2) << late.err;
  EXPECT_DURATION_LT(recap_seconds(late.err), 0.8) << late.err;
}

// nginx ends each connection with GOAWAY after keepalive_requests: the run
// goes on over new ones, none fails, and the old ones do not pile up.
TEST(Http2Client, ConnectionsEndedByGoawayAreReplacedWithoutGrowing) {
  NginxH2c nginx("keepalive_requests 200;\n    location / { echo fast; }");
  SKIP_WITHOUT(nginx);
  const auto short_run = run_program("client_async", {"--http2", "-z", "1s", "-c", "50", nginx.url("/")});
  const auto long_run = run_program("client_async", {"--http2", "-z", "4s", "-c", "50", nginx.url("/")});
  for (const auto* run : {&short_run, &long_run}) {
    EXPECT_EQ(run->exit_code, 0) << run->err;
    EXPECT_NE(run->err.find(" 0 failed"), std::string::npos) << run->err;
  }
  EXPECT_PEAK_KB_LT(long_run.peak_kb - short_run.peak_kb, 2 * 1024) << "replaced connections were kept";
}

// https: h2 offered by ALPN and taken by nghttpd; the certificate checked as over HTTP/1.1.
TEST(Http2Client, HttpsOffersH2ByAlpnAndChecksTheCertificate) {
  const std::string nghttpd = installed("nghttpd");
  if (nghttpd.empty()) GTEST_SKIP() << "no nghttpd here (scripts/install-deps.sh http2)";
  const SelfSignedCertificate certificate;
  const std::filesystem::path folder = std::filesystem::path(certificate.certificate_file()).parent_path();
  std::ofstream(folder / "key.pem") << certificate.key_pem();
  std::ofstream(folder / "index.html") << "hello\n";
  const int port = free_port();
  PeerProcess server(nghttpd,
                     {"-d", folder.string(), "--address", "127.0.0.1", std::to_string(port),
                      (folder / "key.pem").string(), certificate.certificate_file()},
                     port);
  ASSERT_TRUE(server.started()) << server.log();
  const std::string url = "https://localhost:" + std::to_string(port) + "/index.html";
  const auto [run, json] =
      run_with_records("client_async", {"--http2", "-n", "3", "--cacert", certificate.certificate_file(), url});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "hello\n\nhello\n\nhello\n\n");
  EXPECT_EQ(summary_count(json, "http2_requests"), 3);
  EXPECT_EQ(summary_count(json, "connections_opened"), 1);
  const auto refused = run_program("client_async", {"--http2", "-n", "1", url});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("certificate"), std::string::npos) << refused.err;
  std::filesystem::remove(folder / "key.pem");
  std::filesystem::remove(folder / "index.html");
}

// A server that picks HTTP/1.1 by ALPN is used as HTTP/1.1, and the summary says so.
TEST(Http2Client, AnHttpsServerThatChoosesHttp1IsUsedAsHttp1) {
  ServerProcess server({"--tls-self-signed", "--no-http2", "--delay", "0", "--quiet"});
  ASSERT_TRUE(server.started()) << server.log();
  const std::string url = "https://127.0.0.1:" + std::to_string(server.port()) + "/";
  const auto [run, json] = run_with_records("client_async", {"--http2", "-k", "-n", "3", "--summary", url});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(summary_count(json, "ok"), 3);
  EXPECT_EQ(summary_count(json, "http2_requests"), 0);
  EXPECT_NE(run.out.find("HTTP/1.1 for all 3: the server chose it over h2 (ALPN)"), std::string::npos) << run.out;
}

// Cleartext HTTP/2 is prior knowledge: a server that answers in HTTP/1.1 is named, at once.
TEST(Http2Client, AnHttp1ServerOnCleartextIsNamedAtOnce) {
  ServerProcess server({"--no-http2", "--delay", "0", "--quiet"});
  ASSERT_TRUE(server.started()) << server.log();
  const auto run = run_program("client_async", {"--http2", "-n", "2", server.url()});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(count_of(run.err, "the server answered in HTTP/1.1: it does not speak HTTP/2 without TLS (h2c)"), 2)
      << run.err;
  EXPECT_DURATION_LT(run.seconds, 2.0);
}

TEST(Http2Client, BadFlagsAreOneLineAndExitTwoBeforeAnythingIsSent) {
  const int port = unused_port();
  const std::string url = h2c_url(port);
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--connections", "2", url}, "--connections spreads HTTP/2 streams: it needs --http2"},
      {{"--http2", "--connections", "0", url}, "--connections"},
      {{"--http2", "--no-keep-alive", url}, "--no-keep-alive has no place beside it"},
  };
  for (const auto& [args, message] : cases) {
    const auto run = run_program("client_async", args);
    EXPECT_EQ(run.exit_code, 2) << run.err;
    EXPECT_NE(run.err.find(message), std::string::npos) << run.err;
    EXPECT_EQ(count_of(run.err, "\n"), 1) << run.err;
  }
  const auto sync = run_program("client_sync", {"--http2", url});
  EXPECT_EQ(sync.exit_code, 2);
  EXPECT_NE(sync.err.find("client_sync speaks HTTP/1.1 only (cpp-httplib has no HTTP/2); client_async --http2 does"),
            std::string::npos)
      << sync.err;
}

struct HostileCase {
  std::string mode;
  std::vector<std::string> flags;
  std::string failure;  // the record's failure kind
  std::string message;  // in its error line
};

void PrintTo(const HostileCase& hostile, std::ostream* out) { *out << hostile.mode; }

class Http2HostileServer : public ::testing::TestWithParam<HostileCase> {};

// Each a clear failure on the request it hit, nothing past --timeout, memory bounded.
TEST_P(Http2HostileServer, EndsTheRequestWithAClearFailureWithinItsTime) {
  const HostileCase& hostile = GetParam();
  const auto server = hostile_server(hostile.mode);
  if (!server) GTEST_SKIP() << "no python3-h2 here (scripts/install-deps.sh http2)";
  ASSERT_TRUE(server->started()) << server->log();
  std::vector<std::string> args{"--http2", "-n", "1", "--timeout", "2", "-q"};
  const std::string body_file = ::testing::TempDir() + "/kit-h2-body-" + std::to_string(::getpid());
  std::ofstream(body_file) << std::string(200 * 1024, 'x');  // more than a window's 64 KiB
  for (const std::string& flag : hostile.flags) args.push_back(flag == "@BODY" ? "@" + body_file : flag);
  args.push_back(h2c_url(server->port()));
  const auto [run, json] = run_with_records("client_async", args);
  EXPECT_EQ(run.exit_code, 1) << run.err;
  const auto records = requests_in(json);
  ASSERT_EQ(records.size(), 1u) << json;
  EXPECT_EQ(records[0].at("failure").as_string(), hostile.failure) << json;
  EXPECT_NE(run.err.find(hostile.message), std::string::npos) << run.err;
  EXPECT_DURATION_LT(run.seconds, 3.5) << run.err;
  EXPECT_PEAK_KB_LT(run.peak_kb, 40 * 1024) << "the client's memory grew with the attack";
  std::filesystem::remove(body_file);
}

INSTANTIATE_TEST_SUITE_P(
    Attacks, Http2HostileServer,
    ::testing::Values(HostileCase{"continuation-flood", {}, "bad response", "CONTINUATION"},
                      HostileCase{"big-headers", {}, "bad response", "header list over 64 KiB"},
                      HostileCase{"big-body", {"--max-body", "100k"}, "too large", "body larger than --max-body"},
                      HostileCase{"closed-window", {"-d", "@BODY"}, "timeout", "timed out after 2 s"},
                      HostileCase{"ping-flood", {}, "bad response", "Flooding was detected"},
                      HostileCase{"settings-flood", {}, "bad response", "Flooding was detected"}),
    [](const auto& info) {
      std::string name = info.param.mode;
      std::erase(name, '-');
      return name;
    });

// A GOAWAY mid-run: the streams it refused go again, on a new connection.
TEST(Http2Client, StreamsAGoawayRefusedAreAskedAgainOnANewConnection) {
  const auto server = hostile_server("goaway");
  if (!server) GTEST_SKIP() << "no python3-h2 here (scripts/install-deps.sh http2)";
  ASSERT_TRUE(server->started()) << server->log();
  const auto [run, json] = run_with_records(
      "client_async", {"--http2", "-n", "4", "--retry", "3", "--timeout", "5", h2c_url(server->port())});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "ok\nok\nok\nok\n");
  EXPECT_EQ(summary_count(json, "ok"), 4);
  EXPECT_GE(connections_in(json).size(), 2u) << json;
}

}  // namespace kit::test
