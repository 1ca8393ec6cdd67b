#pragma once
// client_async's connection to a host and the three steps of a request on
// it: open (TCP connect, and the TLS handshake for https), send, receive.
// Each step is bounded, and all of them end by the deadline set on the
// connection with expires_after(), as the server sets it on its stream.
// fetch() in client_async/main.cpp is these three steps, top to bottom.
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>
#include <tuple>

#include "event_loop_types.hpp"
#include "http_target.hpp"
#include "record.hpp"

namespace kit::async {

using event_loop::Awaitable;
using event_loop::Executor;
using ErrorCode = boost::system::error_code;

// A host the run talks to, looked up once for the whole run, as a
// connection pool would.
struct Host {
  std::string name, port;
  std::size_t number = 0;                                 // its place in the run's hosts
  std::vector<boost::asio::ip::tcp::endpoint> addresses;  // tried in this order
  std::string lookup_failure;                             // why the name did not resolve; "" once it did
};

// A request, as fetch() sees it: written once for the run, sent as it is,
// within the time a try has (set for each try).
struct Request {
  const Host& host;
  const HttpTarget& target;
  const std::string& bytes;  // written by Beast
  std::size_t max_body;
  bool head = false;     // a HEAD's answer has no body, whatever its Content-Length says
  bool include = false;  // -i: keep the answer's status line and headers
  Clock::duration time_allowed{};
};

// What an answer's read buffer may hold: its headers, one chunk-size line
// with its extensions, or its trailer must fit. Beast before Boost 1.91
// bounds neither of the last two; a bounded buffer bounds all of them.
inline constexpr std::size_t most_header_bytes = 64 * 1024;
inline constexpr std::size_t read_buffer_limit = most_header_bytes + 1024;
inline constexpr int most_interim_answers = 16;  // 100 Continue and its kind, skipped

// Which step a try ended in, when it failed.
enum class Step { none, connect, tls, send, receive, after_body };

// A complete answer, as it came.
struct Answer {
  int status = 0;
  bool keep_alive = false;  // the server will take another request on this connection
  std::string body, location;
  std::string status_and_headers;  // with -i only
  std::optional<Seconds> server_queue, server_app, retry_after;
};

// What a try fetched: the answer, or the error that ended it and how far it
// got. The answer is held by pointer: each waiting request keeps room for
// its Response in two coroutine frames (docs/performance.md has the cost).
struct Response {
  ErrorCode error;
  Step failed_in = Step::none;
  bool got_some = false;           // on error: some of the answer had arrived
  bool headers_in = false;         // on error: the headers had arrived
  std::unique_ptr<Answer> answer;  // null when no complete answer came

  bool ok() const { return failed_in == Step::none; }
};

// The error that ended a step, and which step it was.
struct Failed {
  ErrorCode error;
  Step step = Step::none;
  explicit operator bool() const { return step != Step::none; }
  operator Response() const { return Response{error, step}; }  // NOLINT: a failed step is a failed try
};

// A connection to one host. With keep-alive it carries one request after
// another, like an aiohttp ClientSession; without, every request opens its
// own. It outlives the event loop's run, so a deadline that fires late
// never finds it gone.
class Connection {
 public:
  Connection(const Executor& executor, boost::asio::ssl::context* tls)
      : socket_(executor), deadline_(executor), tls_context_(tls) {}

  // Every step after this ends, with a timeout, once `time` has passed:
  // the connection is closed then. One timer per connection, not per step:
  // what a waiting request holds is multiplied by the requests in flight.
  void expires_after(Clock::duration time);
  bool is_open() const { return open_; }
  // TCP connect, then for https the TLS handshake with SNI, checking that
  // the certificate is for the host asked for.
  Awaitable<Failed> open(const Host& host, const HttpTarget& target);
  Awaitable<std::tuple<ErrorCode, std::size_t>> send(const std::string& bytes);
  // Waits until the answer starts arriving. Called before receive() on a new
  // connection, it lets a request hold no buffer and no parser while the
  // server takes its time; its error, if any, is receive()'s too.
  Awaitable<std::tuple<ErrorCode>> wait_for_the_answer();
  // Reads one answer, past any interim 1xx, in a bounded buffer.
  Awaitable<Response> receive(const Request& request);

  // After a try: the deadline is stopped, and the connection closed unless
  // it can carry the next request.
  void end_try(bool reusable);
  void close();

  // What happened in the try so far.
  struct ThisTry {
    bool timed_out = false;  // its deadline ended it
    bool opened = false;     // it opened the connection
    Seconds connect_time{}, handshake_time{};
  };
  const ThisTry& this_try() const { return this_try_; }
  // After a failed handshake, what OpenSSL found of the certificate (X509_V_OK if nothing).
  long certificate_check();
  std::size_t bytes_after_body() const { return buffer_.size(); }

 private:
  Awaitable<ErrorCode> handshake(const std::string& host);

  event_loop::Socket socket_;
  event_loop::Timer deadline_;
  boost::asio::ssl::context* tls_context_;  // null without https
  std::optional<boost::beast::ssl_stream<event_loop::Socket&>> tls_;
  boost::beast::flat_buffer buffer_{read_buffer_limit};  // the answer as it arrives, then any bytes after it
  bool open_ = false;
  ThisTry this_try_;
};

// A lane's session, as aiohttp's ClientSession is: a connection to each
// host it has talked to, made when first needed and kept alive for the next
// request to that host.
class Session {
 public:
  Session(const Executor& executor, std::size_t hosts, boost::asio::ssl::context* tls)
      : executor_(executor), tls_(tls), by_host_(hosts) {}
  Connection& connection_to(const Host& host) {
    std::unique_ptr<Connection>& connection = by_host_[host.number];
    if (!connection) connection = std::make_unique<Connection>(executor_, tls_);
    return *connection;
  }

 private:
  Executor executor_;
  boost::asio::ssl::context* tls_;
  std::vector<std::unique_ptr<Connection>> by_host_;
};

}  // namespace kit::async
