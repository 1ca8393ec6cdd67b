// client_async's connection in-process, against the server's front end in
// the same process: the three steps fetch() awaits (open, send, receive),
// keep-alive, and the one deadline that ends a try.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <functional>
#include <map>
#include <string>

#include "async_connection.hpp"
#include "request_messages.hpp"
#include "running_front_end.hpp"

namespace kit::async {

namespace {

const std::string get_bytes = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

struct Client {
  explicit Client(int port) : host{"127.0.0.1", std::to_string(port)} {
    boost::asio::ip::tcp::resolver resolver(loop);
    for (const auto& found : resolver.resolve(host.name, host.port)) host.addresses.push_back(found.endpoint());
    target = parse_http_url("http://127.0.0.1:" + host.port + "/");
  }
  // One try, as fetch() does it: the deadline, open if needed, send, receive.
  Response fetch(Clock::duration allowed) {
    Response got;
    boost::asio::co_spawn(
        loop,
        [&]() -> Awaitable<void> {
          connection.expires_after(allowed);
          if (!connection.is_open()) {
            if (Failed failed = co_await connection.open(host, target)) {
              got = failed;
              connection.end_try(false);
              co_return;
            }
          }
          const Request request{host, target, get_bytes, 1024};
          auto [error, sent] = co_await connection.send(request);
          if (error) {
            got = Failed{error, Step::send};
            connection.end_try(false);
            co_return;
          }
          got = co_await connection.receive(request);
          connection.end_try(got.ok() && got.answer->keep_alive);  // the deadline stops here
        },
        [](const std::exception_ptr& error) {
          if (error) std::rethrow_exception(error);
        });
    loop.restart();
    loop.run();
    return got;
  }
  boost::asio::io_context loop{1};
  Host host;
  HttpTarget target;
  Connection connection{loop.get_executor(), ConnectionSetup{}};
};

}  // namespace

// --http2's request: the pseudo-headers first, names in lower case, -H's
// fields kept, and no field that belongs to one HTTP/1.1 connection.
TEST(Http2Request, PseudoHeadersFirstLowerCaseAndNoConnectionFields) {
  ClientOptions options;
  options.program = "client_async";
  RequestShape shape;
  shape.method = "POST";
  shape.headers = {{"X-Kit", "yes"}, {"Connection", "keep-alive"}, {"Transfer-Encoding", "chunked"}};
  shape.body = std::make_shared<const std::string>("a body");
  const HttpTarget target = parse_http_url("https://example.test:8443/path?q=1");
  const Http2Message message = http2_request(target, shape, options);
  ASSERT_GE(message.fields.size(), 4u);
  const std::vector<std::pair<std::string, std::string>> first(message.fields.begin(), message.fields.begin() + 4);
  EXPECT_EQ(
      first,
      (std::vector<std::pair<std::string, std::string>>{
          {":method", "POST"}, {":scheme", "https"}, {":authority", "example.test:8443"}, {":path", "/path?q=1"}}));
  std::map<std::string, std::string> rest(message.fields.begin() + 4, message.fields.end());
  EXPECT_EQ(rest["x-kit"], "yes");
  EXPECT_EQ(rest["user-agent"], "client_async");
  EXPECT_EQ(rest["content-length"], "6");
  for (const char* gone : {"connection", "transfer-encoding", "host", "keep-alive"}) EXPECT_EQ(rest.count(gone), 0u);
  EXPECT_EQ(message.body, "a body");
}

TEST(AsyncConnection, OpensSendsAndReceivesTheAnswer) {
  RunningFrontEnd server;
  Client client(server.front_end.port());
  const Response got = client.fetch(std::chrono::seconds(5));
  ASSERT_TRUE(got.ok()) << got.error.message();
  ASSERT_TRUE(got.answer);
  EXPECT_EQ(got.answer->status, 200);
  EXPECT_EQ(got.answer->body, "This is a slow web api");
  ASSERT_TRUE(got.answer->server_app) << "Server-Timing read";
  EXPECT_GE(got.answer->server_app->count(), 0.05 * 0.9);
  EXPECT_TRUE(client.connection.this_try().opened);
}

TEST(AsyncConnection, AKeptAliveConnectionCarriesTheNextRequest) {
  RunningFrontEnd server;
  Client client(server.front_end.port());
  ASSERT_TRUE(client.fetch(std::chrono::seconds(5)).ok());
  ASSERT_TRUE(client.connection.is_open());
  const Response second = client.fetch(std::chrono::seconds(5));
  ASSERT_TRUE(second.ok()) << second.error.message();
  EXPECT_EQ(second.answer->status, 200);
  EXPECT_FALSE(client.connection.this_try().opened) << "the same connection";
}

TEST(AsyncConnection, TheDeadlineEndsATryThatWaitsTooLong) {
  RunningFrontEnd server;  // 0.05 s a request
  Client client(server.front_end.port());
  const Response got = client.fetch(std::chrono::milliseconds(10));
  EXPECT_FALSE(got.ok());
  EXPECT_EQ(got.failed_in, Step::receive);
  EXPECT_TRUE(client.connection.this_try().timed_out);
  EXPECT_FALSE(client.connection.is_open()) << "a timed-out connection is closed";
}

}  // namespace kit::async
