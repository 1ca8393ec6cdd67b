// The HTTP front end in-process, in front of the event-loop model: it reads a
// request, hands it to the model and writes the answer, as the server does.
#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <string>
#include <thread>

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
