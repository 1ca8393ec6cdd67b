// The HTTP front end in-process, in front of the event-loop model: it reads a
// request, hands it to the model and writes the answer, as the server does.
#include <gtest/gtest.h>

#include <map>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <string>
#include <thread>

#include "answers.hpp"
#include "running_front_end.hpp"

namespace kit {

namespace {

namespace asio = boost::asio;
using asio::ip::tcp;

// Sends `request` and reads until the server closes the connection.
std::string ask(int port, const std::string& request) {
  asio::io_context context;
  tcp::socket socket(context);
  socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)));
  asio::write(socket, asio::buffer(request));
  std::string answer;
  boost::system::error_code error;
  asio::read(socket, asio::dynamic_buffer(answer), error);  // to the end
  return answer;
}

}  // namespace

TEST(FrontEnd, ReadsHandsOverAndWrites) {
  RunningFrontEnd server;
  const std::string answer =
      ask(server.front_end.port(), "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
  server.stop();

  EXPECT_EQ(answer.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << answer;
  EXPECT_NE(answer.find("Content-Type: text/plain; charset=utf-8\r\n"), std::string::npos) << answer;
  EXPECT_NE(answer.find("Server-Timing: queue;dur="), std::string::npos) << answer;
  EXPECT_EQ(answer.substr(answer.size() - 22), "This is a slow web api") << answer;
}

TEST(FrontEnd, RefusesWhatItCannotServeBeforeTheModelSeesIt) {
  RunningFrontEnd server;
  const std::string no_host = ask(server.front_end.port(), "GET / HTTP/1.1\r\n\r\n");
  const std::string not_a_request = ask(server.front_end.port(), "HELLO\r\n\r\n");
  server.stop();

  EXPECT_EQ(no_host.rfind("HTTP/1.1 400 Bad Request\r\n", 0), 0u) << no_host;
  EXPECT_EQ(not_a_request.rfind("HTTP/1.1 400 Bad Request\r\n", 0), 0u) << not_a_request;
}

}  // namespace kit

// The front end's answers, as pure functions.
namespace kit {

namespace {

namespace http = boost::beast::http;

http::request<http::string_body> request_with(std::initializer_list<std::pair<http::field, std::string>> fields,
                                              unsigned version = 11) {
  http::request<http::string_body> request{http::verb::get, "/", version};
  for (const auto& [name, value] : fields) request.insert(name, value);
  return request;
}

}  // namespace

TEST(Answers, BodilessStatusesSayNoLengthAndHeadCarriesNoBody) {
  AppResponse no_content;
  no_content.status = 204;
  no_content.body = "ignored";
  const std::string bytes = response_bytes(no_content, http::verb::get, 11, true, false);
  EXPECT_EQ(bytes.find("Content-Length"), std::string::npos) << bytes;
  EXPECT_EQ(bytes.find("ignored"), std::string::npos) << bytes;
  AppResponse ok;
  ok.body = "This is a slow web api";
  const std::string head = response_bytes(ok, http::verb::head, 11, false, false, "app;dur=1.0");
  EXPECT_NE(head.find("Content-Length: 22\r\n"), std::string::npos) << head;
  EXPECT_NE(head.find("Connection: close\r\n"), std::string::npos) << head;
  EXPECT_NE(head.find("Server-Timing: app;dur=1.0\r\n"), std::string::npos) << head;
  EXPECT_EQ(head.find("slow web api"), std::string::npos) << "a HEAD answer has no body";
  EXPECT_NE(response_bytes(ok, http::verb::get, 10, true, false).find("Connection: keep-alive\r\n"), std::string::npos)
      << "HTTP/1.0 closes unless told";
}

// The same answer as an HTTP/2 stream's: the fields in lower case, none of
// them connection-specific, Server-Timing and CORS kept, no body for HEAD.
TEST(Answers, AnHttp2AnswerHasTheSameFieldsInLowerCaseAndNoConnectionField) {
  AppResponse ok;
  ok.body = "This is a slow web api";
  const Http2Answer answer = http2_answer(ok, http::verb::get, true, "app;dur=1.0");
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(answer.body, "This is a slow web api");
  std::map<std::string, std::string> fields(answer.fields.begin(), answer.fields.end());
  EXPECT_EQ(fields["content-length"], "22");
  EXPECT_EQ(fields["server-timing"], "app;dur=1.0");
  EXPECT_EQ(fields["access-control-allow-origin"], "*");
  EXPECT_EQ(fields.count("connection"), 0u);
  for (const auto& [name, value] : answer.fields) {
    EXPECT_EQ(name.find_first_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ"), std::string::npos) << name;
  }
  EXPECT_EQ(http2_answer(ok, http::verb::head, false).body, "") << "a HEAD answer has no body";
}

TEST(Answers, RequestsToRefuseAreNamedByTheirStatus) {
  EXPECT_EQ(request_problem(request_with({{http::field::host, "h"}})), 0);
  EXPECT_EQ(request_problem(request_with({})), 400) << "HTTP/1.1 without a Host";
  EXPECT_EQ(request_problem(request_with({{http::field::host, "a"}, {http::field::host, "b"}})), 400);
  EXPECT_EQ(request_problem(request_with({}, 10)), 0) << "HTTP/1.0 may leave Host out";
  EXPECT_EQ(request_problem(request_with({{http::field::host, "h"}, {http::field::transfer_encoding, "gzip"}})), 501);
  EXPECT_EQ(refusal_status(http::error::header_limit, false, false), 431);
  EXPECT_EQ(refusal_status(http::error::header_limit, true, false), 400) << "a chunk line or trailer too long";
  EXPECT_EQ(refusal_status(http::error::body_limit, true, false), 413);
  EXPECT_EQ(refusal_status(http::error::bad_transfer_encoding, true, false), 501);
  EXPECT_EQ(refusal_status(http::error::bad_transfer_encoding, true, true), 400) << "beside a Content-Length";
  EXPECT_EQ(refusal_status(http::error::bad_version, false, false), 400);
  EXPECT_EQ(refusal_status(http::error::end_of_stream, false, false), 0) << "nobody to tell";
}

}  // namespace kit
