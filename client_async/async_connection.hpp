#pragma once
// client_async's connection to a host and the three steps of a request on
// it: open (TCP connect, and the TLS handshake for https), send, receive.
// Each step is bounded, and all of them end by the deadline set on the
// connection with expires_after(), as the server sets it on its stream.
// fetch() in client_async/main.cpp is these three steps, top to bottom.
#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "event_loop_types.hpp"
#include "http_target.hpp"
#include "record.hpp"

namespace kit::async {

using event_loop::Awaitable;
using event_loop::Executor;
using ErrorCode = boost::system::error_code;

class Http2Connection;
class Http2Pool;
struct Http2Slot;
struct Http2Exchange;
struct Http2Message;

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
  const Http2Message* http2 = nullptr;  // --http2: the same request as a stream's header list and body
};

// What an answer's read buffer may hold: its headers, one chunk-size line
// with its extensions, or its trailer must fit. Beast before Boost 1.91
// bounds neither of the last two; a bounded buffer bounds all of them.
inline constexpr std::size_t most_header_bytes = 64 * 1024;
inline constexpr std::size_t read_buffer_limit = most_header_bytes + 1024;
inline constexpr int most_interim_answers = 16;  // 100 Continue and its kind, skipped

// What every connection of a run is made with.
struct ConnectionSetup {
  boost::asio::ssl::context* tls = nullptr;  // null without https
  std::atomic<int>* numbers = nullptr;       // the run's count of connections opened, to number each
  bool offer_http2 = false;                  // https: ALPN offers h2, then http/1.1
};

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
// never finds it gone. With --http2 it is the lane's view of a connection
// that lanes share (http2_connection.hpp): its requests go out as streams.
class Connection {
 public:
  Connection(const Executor& executor, const ConnectionSetup& setup, Http2Pool* http2 = nullptr,
             Http2Slot* slot = nullptr);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  // Every step after this ends, with a timeout, once `time` has passed:
  // the connection is closed then. One timer per connection, not per step:
  // what a waiting request holds is multiplied by the requests in flight.
  void expires_after(Clock::duration time);
  bool is_open() const { return open_; }
  // TCP connect, then for https the TLS handshake with SNI, checking that
  // the certificate is for the host asked for.
  Awaitable<Failed> open(const Host& host, const HttpTarget& target);
  Awaitable<std::tuple<ErrorCode, std::size_t>> send(const Request& request);
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
  // Stops the deadline and closes the socket, keeping the TLS state: a read
  // or a write still pending on it (HTTP/2's reader and writer) ends with
  // an error before the state may go.
  void abandon();

  // What happened in the try so far.
  struct ThisTry {
    bool timed_out = false;  // its deadline ended it
    bool opened = false;     // it opened the connection
    bool held = false;       // HTTP/2: it waited for the server's limit on streams
    Seconds connect_time{}, handshake_time{};
  };
  const ThisTry& this_try() const { return this_try_; }
  // After a failed handshake, what OpenSSL found of the certificate (X509_V_OK if nothing).
  long certificate_check();
  std::size_t bytes_after_body() const { return buffer_.size(); }
  int number() const;  // the run's count of connections when it opened: 1, 2...
  Executor executor() { return socket_.get_executor(); }
  bool speaks_http2() const { return http2_slot_ != nullptr; }

  // The open connection's own bytes, for HTTP/2's reader and writer.
  Awaitable<std::tuple<ErrorCode, std::size_t>> read_some(boost::asio::mutable_buffer buffer);
  Awaitable<std::tuple<ErrorCode, std::size_t>> write(boost::asio::const_buffer buffer);
  std::string_view alpn_protocol();  // what the TLS handshake agreed on, "" without
  // Each write goes out at once: HTTP/2 writes its frames as they come, and
  // Nagle's algorithm would hold one back until the last is acknowledged.
  void send_without_delay();

 private:
  Awaitable<ErrorCode> handshake(const std::string& host);
  Awaitable<Failed> open_http1(const Host& host, const HttpTarget& target);
  // --http2, in http2_streams.cpp: the same steps as a stream on the slot's connection.
  Awaitable<Failed> open_http2(const Host& host, const HttpTarget& target);
  Awaitable<Failed> wait_while_opening();
  Awaitable<std::tuple<ErrorCode, std::size_t>> send_http2(const Request& request);
  static Awaitable<std::tuple<ErrorCode>> answer_is_on_its_way();
  Awaitable<Response> receive_http2();

  event_loop::Socket socket_;
  event_loop::Timer deadline_;
  ConnectionSetup setup_;
  std::optional<boost::beast::ssl_stream<event_loop::Socket&>> tls_;
  boost::beast::flat_buffer buffer_{read_buffer_limit};  // the answer as it arrives, then any bytes after it
  bool open_ = false;
  int number_ = 0;
  ThisTry this_try_;
  // --http2: the pool's place this lane's streams go through (null once the
  // server chose HTTP/1.1), the connection there, and the stream in flight.
  Http2Pool* http2_pool_;
  Http2Slot* http2_slot_;
  std::shared_ptr<Http2Connection> http2_;
  std::unique_ptr<Http2Exchange> exchange_;
  event_loop::Timer wake_;  // waits, cancelled when what this lane waits on happens
};

// A lane's session, as aiohttp's ClientSession is: a connection to each
// host it has talked to, made when first needed and kept alive for the next
// request to that host.
class Session {
 public:
  Session(const Executor& executor, std::size_t hosts, const ConnectionSetup& setup, Http2Pool* http2, int lane)
      : executor_(executor), setup_(setup), http2_(http2), lane_(lane), by_host_(hosts) {}
  Connection& connection_to(const Host& host);

 private:
  Executor executor_;
  ConnectionSetup setup_;
  Http2Pool* http2_;  // --http2: the loop's shared connections
  int lane_;
  std::vector<std::unique_ptr<Connection>> by_host_;
};

}  // namespace kit::async
