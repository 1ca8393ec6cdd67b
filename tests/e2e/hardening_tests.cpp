// What students will throw at the server: malformed, oversized, slow and
// pipelined requests. Both models, through real sockets; after each, the
// server must still answer a normal request.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <memory>
#include <vector>

#include "durations.hpp"
#include "process.hpp"
#include "text.hpp"

namespace kit::test {

namespace {

std::string closing(const std::string& request_line, const std::string& headers = "") {
  return request_line + "\r\nHost: h\r\n" + headers + "Connection: close\r\n\r\n";
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

class Hardening : public ::testing::TestWithParam<Model> {
 protected:
  void SetUp() override {
    std::vector<std::string> flags = GetParam().flags;
    flags.insert(flags.end(), {"--delay", "0", "--quiet", "--header-timeout", "0.5", "--idle-timeout", "0.5"});
    server = std::make_unique<ServerProcess>(flags);
    ASSERT_TRUE(server->started()) << server->log();
  }
  void TearDown() override {
    if (!server || !server->started()) return;
    // Whatever came before, the next normal request is served.
    EXPECT_EQ(status_line(raw_exchange(server->port(), closing("GET / HTTP/1.1"))), "HTTP/1.1 200 OK");
    EXPECT_EQ(server->stop(SIGTERM), 0) << server->log();
  }
  std::string exchange(const std::string& request) { return raw_exchange(server->port(), request, 5); }
  std::unique_ptr<ServerProcess> server;
};

}  // namespace

TEST_P(Hardening, MalformedRequestGets400) {
  for (const std::string request :
       {"GARBAGE\r\n\r\n", "GET /\r\n\r\n", "GET / HTTP/9.9\r\n\r\n", "GET / HTTP/1.1\r\nBad Header Line\r\n\r\n"}) {
    const std::string response = exchange(request);
    EXPECT_EQ(status_line(response), "HTTP/1.1 400 Bad Request") << request;
    EXPECT_NE(response.find("\r\n\r\nmalformed request\n"), std::string::npos) << response;
  }
}

// Cases of an HTTP/1.1 conformance suite: each answered at once, without
// waiting for bytes that will never come.
TEST_P(Hardening, RequestsAnOutsideSuiteChecksAreRefusedAtOnce) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"GET / \r\n\r\n", "HTTP/1.1 400 Bad Request"},                               // no version
      {"GET / HTTP/1.1\r\nContent-Length: 5\r\n\r\n", "HTTP/1.1 400 Bad Request"},  // no Host, body never sent
      {"GET / HTTP/1.1\r\nHost: h\r\nTransFer-Encoding: chunked\r\ncontent-LengtH: 5\r\n\r\n",
       "HTTP/1.1 400 Bad Request"},
      {"GET / HTTP/1.1\r\nHost: h\r\ncontent-LengtH: 5\r\nTransFer-Encoding: chunked\r\n\r\n",
       "HTTP/1.1 400 Bad Request"},
      {"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n", "HTTP/1.1 501 Not Implemented"}};
  for (const auto& [request, expected] : cases) {
    RawConnection connection(server->port());
    ASSERT_TRUE(connection.send(request));
    const auto start = std::chrono::steady_clock::now();
    const std::string response = connection.receive(5);
    EXPECT_EQ(status_line(response), expected) << request;
    EXPECT_DURATION_LT(seconds_since(start), 0.4)
        << "answered at once, not after the 0.5 s header timeout: " << request;
  }
}

TEST_P(Hardening, HeadersOver8KiBGet431) {
  std::string headers;
  for (int i = 0; i < 100; ++i) headers += "X-Filler-" + std::to_string(i) + ": " + std::string(100, 'a') + "\r\n";
  const std::string response = exchange(closing("GET / HTTP/1.1", headers));
  EXPECT_EQ(status_line(response), "HTTP/1.1 431 Request Header Fields Too Large");
}

TEST_P(Hardening, OneHeaderLineOf20KBGets431) {
  const std::string response = exchange(closing("GET / HTTP/1.1", "X-Long: " + std::string(20'000, 'a') + "\r\n"));
  EXPECT_EQ(status_line(response), "HTTP/1.1 431 Request Header Fields Too Large");
}

TEST_P(Hardening, BodyOnGetOrOver1MiBGets413) {
  const std::string on_get = exchange(closing("GET / HTTP/1.1", "Content-Length: 5\r\n") + "hello");
  EXPECT_EQ(status_line(on_get), "HTTP/1.1 413 Payload Too Large");
  const std::string big = std::string(1024 * 1024 + 1, 'x');
  const std::string too_big =
      exchange(closing("POST / HTTP/1.1", "Content-Length: " + std::to_string(big.size()) + "\r\n") + big);
  EXPECT_EQ(status_line(too_big), "HTTP/1.1 413 Payload Too Large");
}

TEST_P(Hardening, UnknownMethodGets405WithAllow) {
  const std::string response = exchange(closing("BREW / HTTP/1.1"));
  EXPECT_EQ(status_line(response), "HTTP/1.1 405 Method Not Allowed");
  EXPECT_NE(response.find("Allow: GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS\r\n"), std::string::npos) << response;
}

TEST_P(Hardening, Http10AndConnectionCloseAreHonoured) {
  RawConnection connection(server->port());
  ASSERT_TRUE(connection.send("GET /?delay=0 HTTP/1.0\r\n\r\n"));
  const auto start = std::chrono::steady_clock::now();
  const std::string response = connection.receive(5);  // returns when the server closes
  EXPECT_EQ(status_line(response), "HTTP/1.1 200 OK");
  EXPECT_DURATION_LT(seconds_since(start), 0.4) << "closed at once, not after the idle timeout";
}

TEST_P(Hardening, PipelinedRequestsAreAnsweredInOrder) {
  RawConnection connection(server->port());
  ASSERT_TRUE(
      connection.send("GET /?delay=0.1&n=1 HTTP/1.1\r\nHost: h\r\n\r\n"
                      "GET /?status=503 HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"));
  const std::string responses = connection.receive(5);
  const auto first = responses.find("HTTP/1.1 200 OK");
  ASSERT_EQ(first, 0u) << responses;
  if (GetParam().name == "WorkerPool") {
    // One request per connection, like gunicorn's sync workers: the first is
    // answered with Connection: close and a client sends the second again.
    EXPECT_NE(responses.find("Connection: close"), std::string::npos);
  } else {
    EXPECT_NE(responses.find("HTTP/1.1 503 Service Unavailable", first + 1), std::string::npos) << responses;
  }
}

TEST_P(Hardening, SlowSenderIsClosedAfterTheHeaderTimeout) {
  RawConnection slow(server->port());
  ASSERT_TRUE(slow.send("GET / HTTP/1.1\r\nHost: h\r\n"));  // and never the blank line
  const auto start = std::chrono::steady_clock::now();
  slow.receive(5);  // returns when the server gives up
  EXPECT_GE(seconds_since(start), 0.4);
  EXPECT_DURATION_LT(seconds_since(start), 3.0);
}

TEST_P(Hardening, SilentClientIsClosedInTheEnd) {
  // A client that never writes is closed too. The front end takes a
  // connection once its first bytes arrive, or after about a second of
  // silence, and then the header timeout applies as above.
  RawConnection silent(server->port());
  ASSERT_TRUE(silent.connected());
  const auto start = std::chrono::steady_clock::now();
  silent.receive(8);  // returns when the server gives up
  EXPECT_GE(seconds_since(start), 0.4);
  EXPECT_DURATION_LT(seconds_since(start), 4.0) << "closed by the server, not left open";
}

TEST_P(Hardening, HalfSentRequestsDoNotStopOthers) {
  // Slowloris: 200 connections that have each sent half a request. The
  // front end reads them all at once; no worker or loop waits for them.
  std::vector<std::unique_ptr<RawConnection>> slowloris;
  for (int i = 0; i < 200; ++i) {
    slowloris.push_back(std::make_unique<RawConnection>(server->port()));
    ASSERT_TRUE(slowloris.back()->send("GET / HTTP/1.1\r\nHost: h\r\nX-Slow: ")) << i;
  }
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(status_line(exchange(closing("GET /?delay=0 HTTP/1.1"))), "HTTP/1.1 200 OK");
  EXPECT_DURATION_LT(seconds_since(start), 0.4) << "well under the 0.5 s header timeout";
}

TEST_P(Hardening, IdleKeptAliveConnectionIsClosed) {
  if (GetParam().name == "WorkerPool") GTEST_SKIP() << "the worker pool never keeps a connection";
  RawConnection idle(server->port());
  ASSERT_TRUE(idle.send("GET /?delay=0 HTTP/1.1\r\nHost: h\r\n\r\n"));
  const auto start = std::chrono::steady_clock::now();
  const std::string response = idle.receive(5);  // the answer, then the close after --idle-timeout
  EXPECT_EQ(status_line(response), "HTTP/1.1 200 OK");
  EXPECT_GE(seconds_since(start), 0.4);
  EXPECT_DURATION_LT(seconds_since(start), 3.0);
}

INSTANTIATE_TEST_SUITE_P(Models, Hardening, ::testing::Values(Model{"WorkerPool", {}}, Model{"EventLoop", {"--async"}}),
                         [](const auto& info) { return info.param.name; });

}  // namespace kit::test
