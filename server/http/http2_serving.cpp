// The front end's HTTP/2: a connection that opened with the HTTP/2 preface
// (or chose h2 by ALPN) carries many requests at once, each on a stream of
// its own. Each goes to the model as an HTTP/1.1 request does, and its
// answer is the same; libnghttp2 (http2_session.*) does the protocol. A
// reader feeds the session, a writer sends what it has queued, and a
// watchdog closes a connection that makes no progress for --idle-timeout
// while the app holds none of its requests (idle, or a window that never opens).
#include <sys/socket.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/verb.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <array>
#include <string>

#include "answers.hpp"
#include "http2_session.hpp"
#include "http_front_end.hpp"
#include "refusals.hpp"
#include "server_timing.hpp"

namespace kit {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using asio::ip::tcp;
using event_loop::no_throw;

struct HttpFrontEnd::Http2Serving {
  Http2Serving(const ServerConfig& config, const Executor& executor)
      : session(static_cast<std::uint32_t>(config.max_streams), config.app.max_body, config.readable_by_pages),
        wake_writer(executor, event_loop::Timer::time_point::max()),
        writer_done(executor, event_loop::Timer::time_point::max()),
        watchdog(executor) {}
  Http2ServerSession session;
  event_loop::Timer wake_writer;  // cancelled when there is something to send
  event_loop::Timer writer_done;  // cancelled when the writer has ended
  event_loop::Timer watchdog;
  int in_app = 0;       // requests with the model, answered or not (a reset stream's work goes on)
  bool reading = true;  // the reader goes on: the writer waits for more
  bool writing = true;
};

// A peek at the first bytes, leaving them for whoever reads: HTTP/1.1 never
// starts with "PRI", and an HTTP/2 client's first bytes are its preface.
// Bounded by --header-timeout, as a request's headers are.
HttpFrontEnd::Awaitable<bool> HttpFrontEnd::opens_with_http2_preface(Stream& tcp) {
  const std::string_view preface = http2::client_preface;
  event_loop::Timer bound(tcp.get_executor(), as_duration(config_.header_timeout));
  bound.async_wait([&tcp](boost::system::error_code cancelled) {
    if (!cancelled) tcp.socket().cancel();
  });
  std::array<char, 3> first{};
  for (;;) {
    auto [error] = co_await tcp.socket().async_wait(tcp::socket::wait_read, no_throw);
    const ssize_t seen = error ? -1 : ::recv(tcp.socket().native_handle(), first.data(), first.size(), MSG_PEEK);
    if (seen <= 0 || !preface.starts_with(std::string_view(first.data(), static_cast<std::size_t>(seen)))) break;
    if (seen == static_cast<ssize_t>(first.size())) {
      bound.cancel();
      co_return true;
    }
    event_loop::Timer more(tcp.get_executor(),
                           std::chrono::milliseconds(10));  // a preface in pieces: a moment for the rest
    co_await more.async_wait(no_throw);
  }
  bound.cancel();
  co_return false;  // HTTP/1.1, or closed: serve_requests() finds out which
}

template <class AnyStream>
HttpFrontEnd::Awaitable<void> HttpFrontEnd::serve_http2(std::shared_ptr<Connection> connection, AnyStream& stream) {
  auto serving = std::make_shared<Http2Serving>(config_, connection->stream.get_executor());
  connection->stream.expires_never();  // the watchdog bounds an HTTP/2 connection
  boost::system::error_code ignored;
  connection->stream.socket().set_option(tcp::no_delay(true), ignored);  // frames go as they are written
  asio::co_spawn(connection->stream.get_executor(), write_http2(serving, stream), asio::detached);
  asio::co_spawn(connection->stream.get_executor(), watch_http2(connection, serving), asio::detached);
  std::array<std::uint8_t, 16 * 1024> buffer{};  // the connection's one read buffer
  while (!serving->session.finished()) {
    auto [error, size] = co_await stream.async_read_some(asio::buffer(buffer), no_throw);
    if (error || !serving->session.receive(buffer.data(), size)) break;  // libnghttp2 queues GOAWAY for bad frames
    take_http2_requests(connection, serving);
    serving->wake_writer.cancel();
  }
  if (stopping_) serving->session.say_goaway();
  serving->reading = false;
  serving->wake_writer.cancel();
  while (serving->writing) co_await serving->writer_done.async_wait(no_throw);  // it writes from our `stream`
  serving->watchdog.cancel();
  connection->stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
}

// Sends what the session has queued, one write at a time, until the reader
// has ended and the app holds none of the connection's requests.
template <class AnyStream>
HttpFrontEnd::Awaitable<void> HttpFrontEnd::write_http2(std::shared_ptr<Http2Serving> serving, AnyStream& stream) {
  std::string out;
  for (;;) {
    out.clear();
    if (!serving->session.take_output(out, 64 * 1024)) break;
    if (out.empty()) {
      if (!serving->reading && serving->in_app == 0) break;
      co_await serving->wake_writer.async_wait(no_throw);
      continue;
    }
    auto [error, written] = co_await asio::async_write(stream, asio::buffer(out), no_throw);
    if (error) break;
  }
  serving->writing = false;
  serving->writer_done.cancel();
}

// Every --idle-timeout: a connection that made no progress, with no request in the app, is closed.
HttpFrontEnd::Awaitable<void> HttpFrontEnd::watch_http2(std::shared_ptr<Connection> connection,
                                                        std::shared_ptr<Http2Serving> serving) {
  while (serving->writing) {
    serving->watchdog.expires_after(as_duration(config_.idle_timeout));
    auto [cancelled] = co_await serving->watchdog.async_wait(no_throw);
    if (cancelled) break;
    if (!serving->session.progressed() && serving->in_app == 0) {
      boost::system::error_code ignored;
      connection->stream.socket().close(ignored);  // the reader and the writer end with errors
      break;
    }
  }
}

// The requests completed by what was read: each to the model, on a coroutine of its own.
void HttpFrontEnd::take_http2_requests(const std::shared_ptr<Connection>& connection,
                                       const std::shared_ptr<Http2Serving>& serving) {
  for (Http2StreamRequest& request : serving->session.take_requests()) {
    if (serving->in_app >= config_.max_streams) {  // streams reset while the app worked: no more work for now
      serving->session.refuse(request.stream);
      continue;
    }
    AppRequest app_request = this->app_request(request.method, request.target, request.body_bytes, std::nullopt);
    app_request.withdrawn = request.withdrawn;
    const std::optional<RateLimitHeaders> limits = admit(rate_limit_, app_request.received);
    if (limits && limits->retry_after > 0) {
      const Served served{too_many_requests(rate_limit_->rate(), limits->retry_after), "rate limited"};
      serving->session.respond(request.stream, http2_answer(served.reply, http::string_to_verb(request.method),
                                                            config_.readable_by_pages, {}, limits));
      answered(app_request, served, true, "HTTP/2 stream " + std::to_string(request.stream));
      continue;
    }
    ++serving->in_app;
    asio::co_spawn(connection->stream.get_executor(), serve_stream(connection, serving, app_request, request.stream),
                   asio::detached);
  }
}

HttpFrontEnd::Awaitable<void> HttpFrontEnd::serve_stream(std::shared_ptr<Connection> connection,
                                                         std::shared_ptr<Http2Serving> serving, AppRequest request,
                                                         std::int32_t stream) {
  const Served served = co_await hand_to_the_model(*connection, request);
  connection->in_the_app = --serving->in_app > 0;
  const std::string timing = server_timing_value(served.queue.count(), served.app.count());
  serving->session.respond(
      stream, http2_answer(served.reply, http::string_to_verb(request.method), config_.readable_by_pages, timing));
  serving->wake_writer.cancel();
  answered(request, served, false, "HTTP/2 stream " + std::to_string(stream));
  if (stopping_ && serving->in_app == 0) connection->stream.cancel();  // the reader ends: GOAWAY, then close
}

// The two streams serve() hands over: cleartext, and TLS.
template HttpFrontEnd::Awaitable<void> HttpFrontEnd::serve_http2(std::shared_ptr<Connection>, Stream&);
template HttpFrontEnd::Awaitable<void> HttpFrontEnd::serve_http2(std::shared_ptr<Connection>,
                                                                 boost::beast::ssl_stream<Stream&>&);

}  // namespace kit
