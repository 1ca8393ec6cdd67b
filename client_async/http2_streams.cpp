// A lane's Connection with --http2: the steps fetch() takes (open, send,
// receive) done as a stream on the connection the lane shares with others.
#include <boost/asio/error.hpp>

#include "async_connection.hpp"
#include "http2_connection.hpp"
#include "http2_errors.hpp"
#include "server_timing.hpp"
#include "retry.hpp"

namespace kit::async {

namespace asio = boost::asio;

namespace {

// A connection a new stream can wait for or go on: opening, or open with no GOAWAY.
bool worth_joining(const std::shared_ptr<Http2Connection>& connection) {
  if (!connection) return false;
  const auto state = connection->state();
  return state == Http2Connection::State::opening ||
         (state == Http2Connection::State::open && connection->takes_streams());
}

}  // namespace

Connection& Session::connection_to(const Host& host) {
  std::unique_ptr<Connection>& connection = by_host_[host.number];
  if (!connection) {
    Http2Slot* slot = http2_ ? &http2_->slot(host.number, lane_) : nullptr;
    connection = std::make_unique<Connection>(executor_, setup_, http2_, slot);
  }
  return *connection;
}

// The slot's connection, opened by this lane if there is none to join.
Awaitable<Failed> Connection::open_http2(const Host& host, const HttpTarget& target) {
  if (http2_slot_->http1_only) {
    http2_slot_ = nullptr;  // an https server that chose HTTP/1.1: this lane opens its own, from now on
    co_return co_await open_http1(host, target);
  }
  if (worth_joining(http2_slot_->current)) {
    http2_ = http2_slot_->current;
  } else {
    http2_ = http2_pool_->replace(*http2_slot_);
    this_try_.opened = true;
    if (Failed failed = co_await http2_->open(host, target, deadline_.expiry() - Clock::now())) co_return failed;
    this_try_.connect_time = http2_->opening().connect_time;
    this_try_.handshake_time = http2_->opening().handshake_time;
  }
  if (Failed failed = co_await wait_while_opening()) co_return failed;
  if (http2_->state() == Http2Connection::State::chose_http1) {
    http2_slot_->http1_only = true;
    http2_.reset();
    co_return co_await open_http2(host, target);
  }
  co_return Failed{};
}

// Until the server's SETTINGS are in (or the open failed, or this try's time is up).
Awaitable<Failed> Connection::wait_while_opening() {
  while (http2_->state() == Http2Connection::State::opening) {
    co_await http2_->wait_for_change(wake_);
    if (this_try_.timed_out) co_return Failed{asio::error::timed_out, Step::connect};
  }
  if (http2_->state() == Http2Connection::State::closed) co_return Failed{http2_->failure(), Step::connect};
  co_return Failed{};
}

// A stream, once the server's limit on streams leaves room for it.
Awaitable<std::tuple<ErrorCode, std::size_t>> Connection::send_http2(const Request& request) {
  while (!http2_->has_room()) {
    if (!http2_->takes_streams()) break;
    this_try_.held = true;
    co_await http2_->wait_for_change(wake_);
    if (this_try_.timed_out) co_return std::tuple{ErrorCode(asio::error::timed_out), std::size_t{0}};
  }
  if (!http2_->takes_streams()) {
    const ErrorCode failure = http2_->failure();
    co_return std::tuple{failure ? failure : make_error(Http2Error::refused), std::size_t{0}};
  }
  exchange_ = std::make_unique<Http2Exchange>();
  exchange_->message = request.http2;
  exchange_->max_body = request.max_body;
  exchange_->head = request.head;
  exchange_->include = request.include;
  exchange_->wake = &wake_;
  const ErrorCode error = http2_->submit(*exchange_);
  co_return std::tuple{error, request.http2->body.size()};
}

Awaitable<std::tuple<ErrorCode>> Connection::answer_is_on_its_way() { co_return std::tuple<ErrorCode>{}; }

// Waits for the stream's end, and hands over what it brought.
Awaitable<Response> Connection::receive_http2() {
  Http2Exchange& exchange = *exchange_;
  while (!exchange.done && !this_try_.timed_out) co_await wake_.async_wait(event_loop::no_throw);
  if (!exchange.done) http2_->cancel(exchange);  // RST_STREAM: the server may stop working on it
  if (exchange.error) {
    Response failed{exchange.error, Step::receive};
    failed.got_some = exchange.got_some;
    failed.headers_in = exchange.headers_in;
    co_return failed;
  }
  Answer& answer = *exchange.answer;
  const ServerTimes times = read_server_timing(exchange.server_timing.begin(), exchange.server_timing.end(),
                                               [](const std::string& value) { return value; });
  answer.server_queue = times.queue;
  answer.server_app = times.app;
  answer.retry_after = parse_retry_after(exchange.retry_after, std::chrono::system_clock::now());
  answer.keep_alive = true;
  if (exchange.include) answer.status_and_headers += "\r\n";
  co_return Response{{}, Step::none, true, true, std::move(exchange.answer)};
}

}  // namespace kit::async
