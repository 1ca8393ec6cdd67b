// What both clients send when -m, -H, -d, -D, -T and -a shape the request:
// a recording server sees exactly that, and the kit's server serves it.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <cstdio>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "durations.hpp"
#include "process.hpp"
#include "recording_server.hpp"
#include "text.hpp"

namespace kit::test {

namespace {

class BothClients : public ::testing::TestWithParam<std::string> {
 protected:
  ProgramResult run(const std::vector<std::string>& args, double timeout = 60) const {
    return run_program(GetParam(), args, timeout);
  }
};

std::string temporary_file(const std::string& content) {
  char path[] = "/tmp/kit-body-XXXXXX";
  const int fd = ::mkstemp(path);
  ::close(fd);
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

}  // namespace

// What -m put -H ... -d ... -T ... -a user:pass asks for, as the server saw it.
void expect_the_shaped_put(const std::vector<RecordedRequest>& seen) {
  ASSERT_EQ(seen.size(), 2u);
  for (const RecordedRequest& request : seen) {
    EXPECT_EQ(request.method, "PUT");
    EXPECT_EQ(request.target, "/items?x=1");
    EXPECT_EQ(request.body, R"({"a":1})");
    EXPECT_EQ(request.header("content-length"), "7");
    EXPECT_EQ(request.header("content-type"), "application/json");
    EXPECT_EQ(request.count("content-type"), 1u);
    EXPECT_EQ(request.header("x-token"), "abc");
    EXPECT_EQ(request.header("x-two"), "2");
    EXPECT_EQ(request.header("authorization"), "Basic dXNlcjpwYXNz");
    EXPECT_EQ(request.count("host"), 1u);
  }
}

const std::vector<std::string> shaped_put = {"-n",
                                             "2",
                                             "-q",
                                             "-m",
                                             "put",
                                             "-H",
                                             "X-Token: abc",
                                             "-H",
                                             "X-Two:2",
                                             "-d",
                                             R"({"a":1})",
                                             "-T",
                                             "application/json",
                                             "-a",
                                             "user:pass"};

TEST_P(BothClients, SendsTheMethodHeadersBodyAndAuthorizationAsked) {
  RecordingServer server;
  std::vector<std::string> args{server.url("/items?x=1")};
  args.insert(args.end(), shaped_put.begin(), shaped_put.end());
  const ProgramResult result = run(args);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  expect_the_shaped_put(server.requests());
}

TEST_P(BothClients, SendsTheSameOverHttps) {
  RecordingServer server(RecordingServer::Scheme::https);
  std::vector<std::string> args{server.url("/items?x=1"), "-k"};
  args.insert(args.end(), shaped_put.begin(), shaped_put.end());
  const ProgramResult result = run(args);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  expect_the_shaped_put(server.requests());
}

// As curl -d: a body without -m is a POST of a form.
TEST_P(BothClients, ABodyWithoutAMethodIsAFormPost) {
  RecordingServer server;
  const ProgramResult result = run({server.url(), "-n", "1", "-q", "-d", "a=1&b=2"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const std::vector<RecordedRequest> seen = server.requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].method, "POST");
  EXPECT_EQ(seen[0].body, "a=1&b=2");
  EXPECT_EQ(seen[0].header("content-type"), "application/x-www-form-urlencoded");
  EXPECT_EQ(seen[0].count("authorization"), 0u);
}

TEST_P(BothClients, ABodyFromAFileArrivesByteForByteAndAHostHeaderIsHonoured) {
  RecordingServer server;
  const std::string bytes = std::string("line one\nzero:\0 high:\xff end", 26) + std::string(70'000, 'x');
  const std::string path = temporary_file(bytes);
  const ProgramResult result =
      run({server.url(), "-n", "2", "-q", "-D", path, "-m", "PATCH", "-H", "Host: example.test"});
  std::remove(path.c_str());
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const std::vector<RecordedRequest> seen = server.requests();
  ASSERT_EQ(seen.size(), 2u);
  for (const RecordedRequest& request : seen) {
    EXPECT_EQ(request.method, "PATCH");
    EXPECT_EQ(request.body.size(), bytes.size());
    EXPECT_TRUE(request.body == bytes) << "the body differs";
    EXPECT_EQ(request.header("host"), "example.test");
    EXPECT_EQ(request.count("host"), 1u);
  }
}

// As curl -i: the status line and headers, a blank line, the body; for an
// error answer too.
TEST_P(BothClients, IncludeShowsTheStatusLineAndHeadersBeforeEachBody) {
  ServerProcess server({"--async", "--delay", "0", "--quiet"});
  ASSERT_TRUE(server.started()) << server.log();
  const ProgramResult ok = run({server.url(), "-n", "2", "-i"});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_EQ(ok.out.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << ok.out;
  EXPECT_EQ(count_of(ok.out, "HTTP/1.1 200 OK\r\n"), 2) << ok.out;
  EXPECT_EQ(count_of(ok.out, "Content-Length: 22\r\n"), 2) << ok.out;
  EXPECT_EQ(count_of(ok.out, "\r\n\r\nThis is a slow web api\n"), 2) << ok.out;
  const ProgramResult missing = run({server.url("/?status=404"), "-n", "1", "--include"});
  EXPECT_EQ(missing.exit_code, 1) << missing.err;
  EXPECT_EQ(missing.out.rfind("HTTP/1.1 404 Not Found\r\n", 0), 0u) << missing.out;
  const ProgramResult both = run({server.url(), "-i", "-q"});
  EXPECT_EQ(both.exit_code, 2) << "-i shows what -q hides: " << both.err;
}

// As curl -d @FILE: the file's text without its line breaks (-D keeps them).
TEST_P(BothClients, DataFromAnAtFileIsReadAsCurlReadsIt) {
  RecordingServer server;
  const std::string path = temporary_file("{\"a\":\r\n 1}\n");
  const ProgramResult result = run({server.url(), "-n", "1", "-q", "-d", "@" + path, "-T", "application/json"});
  std::remove(path.c_str());
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const std::vector<RecordedRequest> seen = server.requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].method, "POST");
  EXPECT_EQ(seen[0].body, "{\"a\": 1}") << "the file's text, not the literal '@...'";
}

TEST_P(BothClients, BadRequestFlagsExitTwoWithOneLineAndSendNothing) {
  RecordingServer server;
  const std::string file = temporary_file("x");
  const std::vector<std::vector<std::string>> bad = {{"-m", "BREW"},
                                                     {"-H", "no colon"},
                                                     {"-H", "Bad Name: x"},
                                                     {"-H", "Content-Length: 3"},
                                                     {"-d", "x", "-D", file},
                                                     {"-a", "no-colon"},
                                                     {"-D", "/no/such/file"},
                                                     {"-d", "@/no/such/file"},
                                                     {"-m"}};
  for (const auto& flags : bad) {
    std::vector<std::string> args{server.url(), "-n", "1"};
    args.insert(args.end(), flags.begin(), flags.end());
    const ProgramResult result = run(args);
    EXPECT_EQ(result.exit_code, 2) << flags.front() << " " << result.err;
    EXPECT_EQ(count_of(result.err, "\n"), 1) << result.err;
    EXPECT_EQ(result.err.find("terminate"), std::string::npos) << result.err;
  }
  std::remove(file.c_str());
  EXPECT_TRUE(server.requests().empty());
}

// Against the kit's server: HEAD ends without a body, and over HTTPS the
// body arrives whole (a body over the server's --max-body gets 413).
TEST_P(BothClients, HeadAndBodiesOverHttpsAgainstTheServer) {
  ServerProcess server({"--async", "--delay", "0", "--tls-self-signed", "--max-body", "4"});
  ASSERT_TRUE(server.started()) << server.log();
  const std::string url = "https://127.0.0.1:" + std::to_string(server.port()) + "/";
  const ProgramResult head = run({url, "-k", "-n", "2", "-m", "HEAD", "--timeout", "5"});
  EXPECT_EQ(head.exit_code, 0) << head.err;
  EXPECT_DURATION_LT(head.seconds, 4) << "a HEAD answer has no body to wait for";
  const ProgramResult fits = run({url, "-k", "-n", "1", "-d", "abcd", "--json", "-"});
  ASSERT_EQ(fits.exit_code, 0) << fits.err;
  const auto document = boost::json::parse(fits.out).as_object();
  EXPECT_EQ(document.at("method").as_string(), "POST");
  EXPECT_EQ(document.at("requests").as_array().at(0).at("status").as_int64(), 200);
  const ProgramResult over = run({url, "-k", "-n", "1", "-d", "abcde", "--summary"});
  EXPECT_EQ(over.exit_code, 1) << over.err;
  EXPECT_NE(over.out.find("Method:         POST"), std::string::npos) << over.out;
  EXPECT_NE(over.out.find("[413]"), std::string::npos) << over.out;
}

// --targets in vegeta's format: each target's method, headers and body,
// request k taking target k mod their count, -H added to all.
TEST_P(BothClients, ATargetsFileGivesEachRequestItsMethodHeadersAndBody) {
  RecordingServer server;
  const std::string body = temporary_file("{\"name\": \"kit\"}");
  const std::string targets = temporary_file("# two targets\nGET " + server.url("/a") + "\nX-One: 1\n\nPOST " +
                                             server.url("/b") + "\nContent-Type: application/json\n@" + body + "\n");
  const ProgramResult result = run({"--targets", targets, "-n", "4", "-H", "X-All: yes", "--json", "-",
                                    GetParam() == "client_sync" ? "--threads" : "-c", "1"});
  const std::string bad_targets = temporary_file("GET " + server.url() + "\nnot a header\n");
  const ProgramResult bad = run({"--targets", bad_targets});
  for (const std::string& path : {body, targets, bad_targets}) std::remove(path.c_str());
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const std::vector<RecordedRequest> seen = server.requests();
  ASSERT_EQ(seen.size(), 4u);
  for (std::size_t k = 0; k < seen.size(); ++k) {
    EXPECT_EQ(seen[k].method, k % 2 == 0 ? "GET" : "POST") << k;
    EXPECT_EQ(seen[k].target, k % 2 == 0 ? "/a" : "/b") << k;
    EXPECT_EQ(seen[k].header("x-all"), "yes") << k;
  }
  EXPECT_EQ(seen[0].header("x-one"), "1");
  EXPECT_EQ(seen[0].count("content-length") + seen[0].body.size(), 0u) << "a GET without a body";
  EXPECT_EQ(seen[1].body, "{\"name\": \"kit\"}");
  EXPECT_EQ(seen[1].header("content-type"), "application/json");
  const auto document = boost::json::parse(result.out).as_object();
  EXPECT_EQ(document.at("method").as_string(), "mixed");
  EXPECT_EQ(document.at("requests").as_array().at(1).at("method").as_string(), "POST");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find(" line 2: expected 'Name: value'"), std::string::npos) << bad.err;
  EXPECT_EQ(server.requests().size(), 4u) << "nothing sent for a bad file";
}

// --fail-if: each threshold prints one line; a crossed one makes the exit
// status 3, and JSON says which were kept. A malformed one is exit 2 before
// anything is sent.
TEST_P(BothClients, ThresholdsKeptCrossedAndMalformed) {
  ServerProcess server({"--async", "--delay", "0.2", "--quiet"});
  ASSERT_TRUE(server.started()) << server.log();
  const ProgramResult kept = run({server.url(), "-n", "2", "-q", "--fail-if", "p50 > 5s", "--fail-if", "errors > 0"});
  EXPECT_EQ(kept.exit_code, 0) << kept.err;
  EXPECT_NE(kept.err.find("threshold p50 > 5s: kept, p50 = 2"), std::string::npos) << kept.err;  // 200-something ms
  EXPECT_NE(kept.err.find("threshold errors > 0: kept, failed requests = 0\n"), std::string::npos) << kept.err;

  const ProgramResult crossed =
      run({server.url(), "-n", "2", "--fail-if", "p50 > 50ms", "--fail-if", "rps < 1", "--json", "-"});
  EXPECT_EQ(crossed.exit_code, 3) << crossed.err;
  EXPECT_NE(crossed.err.find("threshold p50 > 50ms: crossed"), std::string::npos) << crossed.err;
  const auto thresholds = boost::json::parse(crossed.out).at("thresholds").as_array();
  ASSERT_EQ(thresholds.size(), 2u);
  EXPECT_EQ(thresholds[0].at("expression").as_string(), "p50 > 50ms");
  EXPECT_FALSE(thresholds[0].at("kept").as_bool());
  EXPECT_GE(thresholds[0].at("measured").as_double(), 0.2 * 0.9);
  EXPECT_TRUE(thresholds[1].at("kept").as_bool());

  RecordingServer recorder;
  const ProgramResult malformed = run({recorder.url(), "--fail-if", "p99 > 200"});
  EXPECT_EQ(malformed.exit_code, 2);
  EXPECT_NE(malformed.err.find("--fail-if 'p99 > 200': a latency needs a unit"), std::string::npos) << malformed.err;
  EXPECT_TRUE(recorder.requests().empty());
}

// --stages: 10 requests in the first half second at 20 a second, then 30
// more over a ramp from 20 to 100; the run ends with the last stage.
// --summary gives a line per stage, JSON the same, and the SVG draws
// latency against offered load with Little's law beside it.
TEST_P(BothClients, StagesSendTheirScheduleAndEndWithIt) {
  ServerProcess server({"--async", "--delay", "0"});
  ASSERT_TRUE(server.started()) << server.log();
  const std::string svg_path = ::testing::TempDir() + "/kit-stages-" + GetParam() + ".svg";
  const std::string json_path = ::testing::TempDir() + "/kit-stages-" + GetParam() + ".json";
  const ProgramResult result =
      run({server.url(), "--stages", "0.5s:20,0.5s:100", "--rate", "20",
           GetParam() == "client_sync" ? "--threads" : "-c", "8", "--summary", "--svg", svg_path, "--json", json_path});
  const std::string svg = read_file(svg_path), json = read_file(json_path);
  std::remove(svg_path.c_str());
  std::remove(json_path.c_str());
  ASSERT_EQ(result.exit_code, 0) << result.err;
  // All 40 are sent on time; the last few may still be on their way when the
  // run ends (a busy sanitizer build), and are cut off, at most one a lane.
  std::smatch recap;
  ASSERT_TRUE(std::regex_search(
      result.err, recap,
      std::regex(
          R"((\d+) requests, \1 ok, 0 failed in [\d.]+ s(?: \((\d+) cut off by the end of the run, not counted\))?)")))
      << result.err;
  const int counted = std::stoi(recap[1]), cut_off = recap[2].matched ? std::stoi(recap[2]) : 0;
  EXPECT_EQ(counted + cut_off, 40) << result.err;
  EXPECT_LE(cut_off, 8) << result.err;
  EXPECT_EQ(count_of(server.log(), "GET / 200"), 40);
  EXPECT_GE(result.seconds, 0.9);
  EXPECT_DURATION_LT(result.seconds, 5);

  EXPECT_NE(result.out.find("Stages (latencies from the due time"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("  1      0-0.5 s       20\u219220       20.0"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("  2      0.5-1 s       20\u2192100      60.0"), std::string::npos) << result.out;
  const auto stages = boost::json::parse(json).at("summary").at("stages").as_array();
  ASSERT_EQ(stages.size(), 2u);
  EXPECT_EQ(stages[0].at("requests").as_int64(), 10);
  EXPECT_EQ(stages[1].at("requests").as_int64(), counted - 10);
  EXPECT_DOUBLE_EQ(stages[1].at("offered_rate").as_double(), 60);
  EXPECT_NE(svg.find("Latency against offered load"), std::string::npos);
  EXPECT_EQ(count_of(svg, "<polyline class=\"p50\""), 1);
  EXPECT_NE(svg.find("stage 2 (20 to 100 requests/s)"), std::string::npos);

  const ProgramResult bad = run({server.url(), "--stages", "1s:20,", "--rate", "20"});
  EXPECT_EQ(bad.exit_code, 2) << bad.err;
}

INSTANTIATE_TEST_SUITE_P(Request, BothClients, ::testing::Values("client_sync", "client_async"),
                         [](const auto& info) { return info.param; });

}  // namespace kit::test
