#include <gtest/gtest.h>

#include <sstream>

#include "records.hpp"
#include "report.hpp"

namespace kit {

namespace {

RequestRecord ok_record(int number) { return test::answered(number, 0, 0); }

RequestRecord failed_record(int number, Failure kind, const std::string& why) {
  return test::failed(number, kind, why);
}

}  // namespace

TEST(Record, StatusFourHundredAndUpIsAFailure) {
  RequestRecord r;
  r.set_response(503, "busy");
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.failure, Failure::http_status);
  EXPECT_EQ(r.error, "HTTP 503: busy") << "the body's first line says why";
  EXPECT_EQ(r.bytes, 4u);

  RequestRecord hostile;
  hostile.set_response(400, "bad \x1b]0;pwned\x07 input\r\nsecond line\n" + std::string(5000, 'x'));
  EXPECT_EQ(hostile.error, "HTTP 400: bad \\x1b]0;pwned\\x07 input") << "printable, first line only";
  RequestRecord long_line;
  long_line.set_response(500, std::string(5000, 'y'));
  EXPECT_LT(long_line.error.size(), 300u) << "bounded";
  RequestRecord silent;
  silent.set_response(502, "");
  EXPECT_EQ(silent.error, "HTTP 502");

  RequestRecord fine;
  fine.set_response(204, "");
  EXPECT_TRUE(fine.ok());
}

TEST(RecapLine, CountsOkAndFailed) {
  const std::vector<RequestRecord> records{ok_record(1), failed_record(2, Failure::refused, "x")};
  EXPECT_EQ(recap_line(tally_of(records), Seconds(1.0034)), "2 requests, 1 ok, 1 failed in 1.003 s");
  EXPECT_EQ(recap_line(tally_of({ok_record(1)}), Seconds(0.5)), "1 request, 1 ok, 0 failed in 0.500 s");
}

TEST(ExitCode, ZeroOnlyWhenAllSucceeded) {
  EXPECT_EQ(exit_code_for(tally_of({ok_record(1), ok_record(2)})), 0);
  EXPECT_EQ(exit_code_for(tally_of({ok_record(1), failed_record(2, Failure::timeout, "t")})), 1);
}

TEST(ReportRun, BodiesInOrderOnStdoutFailuresAndRecapOnStderr) {
  const std::vector<RequestRecord> records{ok_record(1), failed_record(2, Failure::refused, "connection refused (h:1)"),
                                           ok_record(3)};
  std::ostringstream out, err;
  const int code = report_run(test::run_of(records, Seconds(1)), ClientOptions{}, out, err);
  EXPECT_EQ(code, 1);
  EXPECT_EQ(out.str(), "This is a slow web api\nThis is a slow web api\n");
  EXPECT_EQ(err.str(), "request 2: connection refused (h:1)\n3 requests, 2 ok, 1 failed in 1.000 s\n");
}

TEST(ReportRun, QuietPrintsNoBodies) {
  ClientOptions quiet;
  quiet.quiet = true;
  std::ostringstream out, err;
  EXPECT_EQ(report_run(test::run_of({ok_record(1)}, Seconds(1)), quiet, out, err), 0);
  EXPECT_EQ(out.str(), "");
}

}  // namespace kit
