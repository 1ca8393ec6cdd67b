#include "http_front_end.hpp"

#include "access_log.hpp"
#include "answers.hpp"
#include "listening.hpp"
#include "loop_lag.hpp"
#include "platform.hpp"
#include "refusals.hpp"
#include "request_reading.hpp"
#include "server_timing.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <limits>
#include <optional>
#include <deque>
#include <sstream>
#include <thread>
#include <vector>

namespace kit {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;

namespace {

using event_loop::no_throw;
using event_loop::Timer;

// ALPN: the client offered h2 and the server's callback chose it (listening.cpp).
bool alpn_chose_h2(SSL* ssl) {
  const unsigned char* protocol = nullptr;
  unsigned size = 0;
  SSL_get0_alpn_selected(ssl, &protocol, &size);
  return std::string_view(reinterpret_cast<const char*>(protocol), size) == "h2";
}

std::deque<asio::io_context> make_loops(int count) {
  std::deque<asio::io_context> loops;
  for (int i = 0; i < count; ++i) loops.emplace_back(1);  // each run by one thread
  return loops;
}

}  // namespace

HttpFrontEnd::HttpFrontEnd(const ServerConfig& config, AppModel& model, RequestEvents* events)
    : config_(config),
      model_(model),
      events_(events),
      loops_(make_loops(config.threads)),
      acceptor_(loops_.front().get_executor()),
      admission_(model.admission()) {
  for (std::size_t i = 1; i < loops_.size(); ++i) keep_running_.emplace_back(loops_[i].get_executor());
  model_.report_to(events_);  // who hears when the model starts a request: the dashboard, or nobody
  listen_on(acceptor_, config_, model_.policy.requests_wait_in_the_kernel);
  port_ = acceptor_.local_endpoint().port();
  if (config_.rate_limit > 0) {
    rate_limit_.emplace(config_.rate_limit, config_.burst > 0 ? config_.burst : std::max(1.0, config_.rate_limit),
                        ServerClock::now());
  }
  address_ = acceptor_.local_endpoint().address();

  if (!config_.tls_certificate.empty()) tls_.emplace(tls_server_context(config_));
  prepare_everyday_answers();
}

// The everyday answer (GET, 200, the configured body), written once: the
// bytes before and after its Server-Timing line, with and without keep-alive.
void HttpFrontEnd::prepare_everyday_answers() {
  AppResponse everyday;
  everyday.body = config_.app.body;
  for (bool keep_alive : {false, true}) {
    // Split where the header block ends, for the Server-Timing line to go between.
    const std::string bytes = response_bytes(everyday, http::verb::get, 11, keep_alive, config_.readable_by_pages);
    const std::size_t blank_line = bytes.find("\r\n\r\n") + 2;
    prepared_ok_response_[keep_alive] = {bytes.substr(0, blank_line), bytes.substr(blank_line)};
  }
}

HttpFrontEnd::~HttpFrontEnd() = default;

void HttpFrontEnd::run() {
  admission_.wake_on(loops_.front().get_executor());  // for as long as this loop runs: the model outlives it
  asio::co_spawn(loops_.front(), accept_connections(), asio::detached);
  if (events_) {
    lag_timer_.emplace(loops_.front().get_executor());
    asio::co_spawn(loops_.front(), watch_loop_lag(*lag_timer_, *events_, stopping_), asio::detached);
  }
  {
    std::vector<platform::JoiningThread> helpers;
    for (std::size_t i = 1; i < loops_.size(); ++i) helpers.emplace_back([&loop = loops_[i]] { loop.run(); });
    loops_.front().run();  // returns once the acceptor is closed and its connections have ended
  }                        // and the helpers join here, once theirs have too
  admission_.unbind();
  model_.finish();
}

void HttpFrontEnd::stop_accepting() {
  stopping_ = true;
  asio::post(acceptor_.get_executor(), [this] {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    admission_.stop();
    if (lag_timer_) lag_timer_->cancel();
  });
  std::lock_guard lock(connections_mutex_);
  for (const auto& connection : connections_) {
    asio::post(connection->stream.get_executor(), [connection] {
      // Idle, still sending its request, or not reading its answers: nothing to finish.
      if (!connection->in_the_app) connection->stream.cancel();
    });
  }
}

HttpFrontEnd::Awaitable<void> HttpFrontEnd::accept_connections() {
  while (!stopping_) {
    // A full model (a worker pool with --queue requests waiting) takes no
    // more for now: new connections wait unread in the kernel's backlog.
    // Their wait still counts: see kernel_arrival_time().
    co_await admission_.room();
    // Each new connection goes to the next loop in turn and stays there.
    asio::io_context& loop = loops_[next_loop_++ % loops_.size()];
    auto [error, socket] = co_await acceptor_.async_accept(loop.get_executor(), no_throw);
    if (error == asio::error::operation_aborted || !acceptor_.is_open()) break;
    if (error == asio::error::no_descriptors || error == asio::error::no_buffer_space) {
      // Out of file descriptors: the waiting connections stay in the backlog
      // until some close. Pause briefly rather than spin.
      Timer pause(acceptor_.get_executor(), std::chrono::milliseconds(50));
      co_await pause.async_wait(no_throw);
      continue;
    }
    if (error) continue;  // e.g. the peer gave up before we accepted; keep accepting

    auto connection = std::make_shared<Connection>(std::move(socket));
    bool over_limit = false;
    {
      std::lock_guard lock(connections_mutex_);
      over_limit = static_cast<int>(connections_.size()) >= config_.max_connections;
      if (!over_limit) connections_.insert(connection);
    }
    if (over_limit) {
      asio::co_spawn(loop, refuse(connection), asio::detached);
    } else {
      admission_.enter();  // from its accept, while its request is still coming in, to its end
      asio::co_spawn(loop, serve(connection), asio::detached);
    }
  }
  keep_running_.clear();  // the other loops end once their connections have
}

HttpFrontEnd::Awaitable<void> HttpFrontEnd::refuse(std::shared_ptr<Connection> connection) {
  // Past --max-connections: a short 503 without reading the request, then
  // close. Over TLS there is no handshake to answer through: just close.
  static const std::string busy = response_bytes(refusal(503), http::verb::get, 11, false, false);
  if (!tls_) {
    connection->stream.expires_after(std::chrono::seconds(5));
    co_await asio::async_write(connection->stream, asio::buffer(busy), no_throw);
  }
  boost::system::error_code ignored;
  connection->stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
}

HttpFrontEnd::Awaitable<void> HttpFrontEnd::serve(std::shared_ptr<Connection> connection) {
  if (tls_) {
    // https: the TLS handshake first, within the header timeout, then the
    // same requests and answers through the encrypting stream.
    beast::ssl_stream<Stream&> stream(connection->stream, *tls_);
    connection->stream.expires_after(as_duration(config_.header_timeout));
    auto [handshake_error] = co_await stream.async_handshake(asio::ssl::stream_base::server, no_throw);
    if (!handshake_error && alpn_chose_h2(stream.native_handle())) {
      co_await serve_http2(connection, stream);
    } else if (!handshake_error) {
      co_await serve_requests(*connection, stream);
    }
  } else if (config_.http2 && co_await opens_with_http2_preface(connection->stream)) {
    co_await serve_http2(connection, connection->stream);
  } else {
    co_await serve_requests(*connection, connection->stream);
  }

  // The socket closes with the last reference to the connection, just after.
  {
    std::lock_guard lock(connections_mutex_);
    connections_.erase(connection);
  }
  admission_.leave();
}

// The seconds a read may take: a new connection has --header-timeout to
// send its request, a kept-alive one --idle-timeout to start the next.
std::chrono::steady_clock::duration HttpFrontEnd::read_timeout(bool first_request, std::size_t buffered) const {
  const bool waiting_idle = !first_request && buffered == 0;
  return as_duration(waiting_idle ? config_.idle_timeout : config_.header_timeout);
}

// A complete, valid request, as the app sees it.
AppRequest HttpFrontEnd::app_request(std::string_view method, std::string_view target, std::size_t body_bytes,
                                     std::optional<ServerClock::time_point> arrived) {
  return AppRequest{++requests_read_, std::string(method), std::string(target), body_bytes,
                    arrived.value_or(ServerClock::now())};
}

// Hands the request to the model (not a coroutine: the model's own is
// awaited, and a waiting request holds no frame of ours for it).
HttpFrontEnd::Awaitable<Served> HttpFrontEnd::hand_to_the_model(Connection& connection, const AppRequest& request) {
  if (events_) events_->received(request.id, request.method, request.target, request.received);
  connection.in_the_app = true;
  return model_.serve(request);
}

// The answer's bytes. The everyday one (GET, 200, the configured body,
// HTTP/1.1) was written once at start-up, all but its Server-Timing line:
// serialising it per request cost a fifth of the server's time at --delay 0.
void HttpFrontEnd::prepare_answer(OutgoingAnswer& answer, const Served& served, http::verb method, unsigned version,
                                  bool keep_alive, const std::optional<RateLimitHeaders>& limits) const {
  const AppResponse& reply = served.reply;
  const std::string timing = server_timing_value(served.queue.count(), served.app.count());
  const bool everyday =
      method == http::verb::get && version == 11 && reply.status == 200 && reply.body == config_.app.body && !limits;
  if (everyday) {
    answer.timing_line = "Server-Timing: " + timing + "\r\n";
    const auto& [head, tail] = prepared_ok_response_[keep_alive];
    answer.bytes = {asio::buffer(head), asio::buffer(answer.timing_line), asio::buffer(tail)};
  } else {
    answer.other = response_bytes(reply, method, version, keep_alive, config_.readable_by_pages, timing, limits);
    answer.bytes = {asio::buffer(answer.other), asio::const_buffer(), asio::const_buffer()};
  }
}

// After the answer went out: the dashboard hears of it, and the access log.
void HttpFrontEnd::answered(const AppRequest& request, const Served& served, bool rate_limited, std::string_view via) {
  if (events_ && !rate_limited) {
    events_->finished(request.id, served.reply.status, served.queue.count(), served.app.count());
  }
  if (config_.quiet) return;
  const std::chrono::duration<double> took = ServerClock::now() - request.received;
  const std::string lane = via.empty() ? served.served_by : served.served_by + " (" + std::string(via) + ")";
  write_log_line(
      access_log_line(request.method, request.target, served.reply.status, took.count(), lane, served.queue.count()));
}

// A request that cannot be served: its status, a short answer, a log line,
// and the connection drained and closed.
template <class AnyStream>
HttpFrontEnd::Awaitable<void> HttpFrontEnd::refuse_request(AnyStream& stream, int status) {
  Stream& tcp = beast::get_lowest_layer(stream);
  tcp.expires_after(as_duration(config_.idle_timeout));
  co_await asio::async_write(stream,
                             asio::buffer(response_bytes(refusal(status, config_.app.max_body), http::verb::get, 11,
                                                         false, config_.readable_by_pages)),
                             no_throw);
  if (!config_.quiet) write_log_line(access_log_line("-", "-", status, 0, "refused"));
  co_await drain_and_close(tcp, config_.app.max_body);
}

// Reads a request: its header, then its body. A client that waits to be
// told before it sends the body (Expect: 100-continue, as curl does for
// large ones) is told, once the header shows the request can be taken.
template <class AnyStream>
HttpFrontEnd::Awaitable<boost::system::error_code> HttpFrontEnd::read_request(
    AnyStream& stream, beast::flat_buffer& buffer, http::request_parser<http::string_body>& parser) {
  const boost::system::error_code error = co_await read_header(stream, buffer, parser);
  // A request to refuse is refused before its body is read: it may never come.
  if (error || parser.is_done() || request_problem(parser.get())) co_return error;
  const auto expect = parser.get().find(http::field::expect);
  if (expect != parser.get().end() && beast::iequals(expect->value(), "100-continue") && buffer.size() == 0) {
    static constexpr std::string_view go_on = "HTTP/1.1 100 Continue\r\n\r\n";
    auto [write_error, written] = co_await asio::async_write(stream, asio::buffer(go_on), no_throw);
    if (write_error) co_return write_error;
  }
  auto [body_error, body_bytes] = co_await http::async_read(stream, buffer, parser, no_throw);
  co_return body_error;
}

// Read a request, hand it to the model, write the answer; again while the
// connection is kept alive.
template <class AnyStream>
HttpFrontEnd::Awaitable<void> HttpFrontEnd::serve_requests(Connection& connection, AnyStream& stream) {
  Stream& tcp = beast::get_lowest_layer(stream);
  beast::flat_buffer buffer(max_read_ahead_bytes);
  bool keep_alive = true;
  for (bool first_request = true; keep_alive && !stopping_; first_request = false) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(max_header_bytes);
    parser.body_limit(config_.app.max_body);
    std::optional<ServerClock::time_point> arrived;
    if (first_request && model_.policy.requests_wait_in_the_kernel)
      arrived = kernel_arrival_time(tcp.socket().native_handle());
    tcp.expires_after(read_timeout(first_request, buffer.size()));
    const auto read_error = co_await read_request(stream, buffer, parser);
    const int refused_with = read_error ? refusal_status(read_error, parser.is_header_done(),
                                                         parser.get().count(http::field::content_length) > 0)
                                        : request_problem(parser.get());
    if (refused_with) co_await refuse_request(stream, refused_with);
    if (read_error || refused_with) break;  // closed by the client, timed out, cancelled by stop, or refused
    tcp.expires_never();                    // the app's own wait is no fault of the client
    // While the app takes its time, a new connection holds no read buffer
    // (unless a pipelined request is in it). A kept-alive one keeps it:
    // making it again for every request churns the heap.
    if (first_request && buffer.size() == 0) buffer.shrink_to_fit();

    const http::request<http::string_body>& request = parser.get();
    const AppRequest app_request =
        this->app_request(request.method_string(), request.target(), request.body().size(), arrived);
    // Past --rate-limit: refused at once, before it could take a worker.
    const std::optional<RateLimitHeaders> limits = admit(rate_limit_, app_request.received);
    const bool rate_limited = limits && limits->retry_after > 0;
    Served served;
    if (rate_limited) {
      served = {too_many_requests(rate_limit_->rate(), limits->retry_after), "rate limited"};
    } else {
      served = co_await hand_to_the_model(connection, app_request);
      connection.in_the_app = false;
    }

    keep_alive = request.keep_alive() && model_.policy.keep_alive && !stopping_;
    OutgoingAnswer answer;
    prepare_answer(answer, served, request.method(), request.version(), keep_alive, limits);
    tcp.expires_after(as_duration(config_.idle_timeout));  // a client that does not read its answers is closed
    auto [write_error, written] = co_await asio::async_write(stream, answer.bytes, no_throw);
    answered(app_request, served, rate_limited);
    if (write_error) break;
  }
}

}  // namespace kit
