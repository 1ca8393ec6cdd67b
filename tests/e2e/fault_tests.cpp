// Each fault a server can commit, driven end to end through both clients: a
// clear line naming it, the right exit code, and never a crash or a hang.
#include <gtest/gtest.h>

#include "fault_server.hpp"
#include "process.hpp"

namespace kit::test {

namespace {

struct Case {
  std::string name;
  Fault fault;
  std::vector<std::string> extra_args;
  int sync_exit;
  std::string sync_says;  // client_sync's body, or what its failure line contains
  int async_exit;
  std::string async_says;
};

void PrintTo(const Case& c, std::ostream* out) { *out << c.name; }

class Faults : public ::testing::TestWithParam<Case> {};

}  // namespace

TEST_P(Faults, BothClientsNameTheFault) {
  const Case& c = GetParam();
  FaultServer server(c.fault);
  for (const std::string program : {"client_sync", "client_async"}) {
    std::vector<std::string> args{server.url(), "-n", "2"};
    args.insert(args.end(), c.extra_args.begin(), c.extra_args.end());
    const ProgramResult result = run_program(program, args, 30);
    EXPECT_FALSE(result.timed_out) << program;
    const bool sync = program == "client_sync";
    const int exit_code = sync ? c.sync_exit : c.async_exit;
    const std::string& says = sync ? c.sync_says : c.async_says;
    EXPECT_EQ(result.exit_code, exit_code) << program << ": " << result.err;
    if (exit_code == 0) {
      EXPECT_EQ(result.out, says + "\n" + says + "\n") << program << ": " << result.err;
    } else {
      EXPECT_NE(result.err.find("request 1: " + says), std::string::npos) << program << ": " << result.err;
      EXPECT_NE(result.err.find("request 2: " + says), std::string::npos) << program << ": " << result.err;
      EXPECT_NE(result.err.find("2 requests, 0 ok, 2 failed"), std::string::npos) << program << ": " << result.err;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    Clients, Faults,
    ::testing::Values(
        Case{"CloseBeforeHeaders",
             Fault::close_before_headers,
             {},
             1,
             "connection closed before a complete answer",
             1,
             "connection closed before the response headers"},
        Case{"Reset",
             Fault::reset,
             {},
             1,
             "connection closed before a complete answer",
             1,
             "connection reset by the server"},
        Case{"TruncatedBody",
             Fault::truncated_body,
             {},
             1,
             "connection closed before a complete answer",
             1,
             "truncated body"},
        // httplib reads Content-Length bytes and stops; client_async notices what follows.
        Case{"ContentLengthTooSmall",
             Fault::extra_body,
             {},
             0,
             "abcd",
             1,
             "11 bytes after the body: Content-Length was too small"},
        Case{"BadStatusLine",
             Fault::bad_status_line,
             {},
             1,
             "connection closed before a complete answer",
             1,
             "bad HTTP response"},
        Case{"NotHttp", Fault::garbage, {}, 1, "connection closed before a complete answer", 1, "bad HTTP response"},
        Case{"ChunkedBodyWorks", Fault::chunked, {}, 0, "This is a slow web api", 0, "This is a slow web api"},
        Case{"RedirectIsReported",
             Fault::redirect,
             {},
             1,
             "HTTP 302 redirect to /final (not followed",
             1,
             "HTTP 302 redirect to /final (not followed"},
        Case{"RedirectIsFollowedWhenAsked", Fault::redirect, {"--follow"}, 0, "arrived", 0, "arrived"},
        Case{"BodyOverMaxBody",
             Fault::huge_body,
             {},
             1,
             "body larger than --max-body (10485760 bytes)",
             1,
             "body larger than --max-body (10485760 bytes)"},
        Case{"SilentServerTimesOut",
             Fault::stall,
             {"--timeout", "0.3"},
             1,
             "timed out after 0.3 s",
             1,
             "timed out after 0.3 s"}),
    [](const auto& info) { return info.param.name; });

}  // namespace kit::test
