#include "async_connection.hpp"

#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>

#include "http2_connection.hpp"
#include "http2_errors.hpp"
#include "retry.hpp"
#include "server_timing.hpp"

namespace kit::async {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using event_loop::no_throw;  // every co_await hands back an error code instead of throwing

namespace {

Seconds since(Clock::time_point then) { return Clock::now() - then; }

// -i: the status line and headers as they came, made printable.
std::string status_and_headers(const http::response<http::string_body>& message) {
  const std::string version =
      "HTTP/" + std::to_string(message.version() / 10) + "." + std::to_string(message.version() % 10);
  std::string text = status_line_text(version, message.result_int(), message.reason());
  for (const auto& field : message) text += header_line_text(field.name_string(), field.value());
  return text + "\r\n";
}

// Keeps what the record needs of a complete answer.
Response take_answer(http::response<http::string_body>& message, bool include) {
  auto answer = std::make_unique<Answer>();
  if (include) answer->status_and_headers = status_and_headers(message);
  const auto [first, last] = message.equal_range("Server-Timing");
  const ServerTimes times = read_server_timing(first, last, [](const auto& field) { return field.value(); });
  answer->server_queue = times.queue;
  answer->server_app = times.app;
  answer->retry_after = parse_retry_after(message[http::field::retry_after], std::chrono::system_clock::now());
  answer->keep_alive = message.keep_alive();
  answer->status = message.result_int();
  answer->location = message[http::field::location];
  answer->body = std::move(message.body());
  return Response{{}, Step::none, true, true, std::move(answer)};
}

}  // namespace

Connection::Connection(const Executor& executor, const ConnectionSetup& setup, Http2Pool* http2, Http2Slot* slot)
    : socket_(executor),
      deadline_(executor),
      setup_(setup),
      http2_pool_(http2),
      http2_slot_(slot),
      wake_(executor, event_loop::Timer::time_point::max()) {}

Connection::~Connection() = default;

int Connection::number() const { return http2_ ? http2_->number() : number_; }

void Connection::expires_after(Clock::duration time) {
  this_try_ = ThisTry{};
  deadline_.expires_after(time);
  deadline_.async_wait([this](ErrorCode cancelled) {
    // A wait that completed just before its try ended must not close the
    // next try's socket: only a deadline that is still set counts.
    if (cancelled || deadline_.expiry() > Clock::now()) return;
    this_try_.timed_out = true;
    if (speaks_http2()) return static_cast<void>(wake_.cancel());  // the lane ends its own stream
    ErrorCode ignored;
    socket_.close(ignored);
  });
}

Awaitable<Failed> Connection::open(const Host& host, const HttpTarget& target) {
  if (speaks_http2()) return open_http2(host, target);
  return open_http1(host, target);
}

Awaitable<Failed> Connection::open_http1(const Host& host, const HttpTarget& target) {
  const auto started = Clock::now();
  auto [connect_error, address] = co_await asio::async_connect(socket_, host.addresses, no_throw);
  if (connect_error) co_return Failed{connect_error, Step::connect};
  this_try_.connect_time = since(started);
  if (target.tls) {
    if (const ErrorCode tls_error = co_await handshake(target.host)) co_return Failed{tls_error, Step::tls};
    this_try_.handshake_time = since(started) - this_try_.connect_time;
  }
  open_ = this_try_.opened = true;
  if (setup_.numbers) number_ = ++*setup_.numbers;
  co_return Failed{};
}

// https: the TLS handshake, with SNI, checking that the certificate is for
// the host we asked for (OpenSSL's own host-name check).
Awaitable<ErrorCode> Connection::handshake(const std::string& host) {
  tls_.emplace(socket_, *setup_.tls);
  SSL* ssl = tls_->native_handle();
  if (setup_.offer_http2) {
    const auto& protocols = http2::alpn_h2_then_http1;
    SSL_set_alpn_protos(ssl, reinterpret_cast<const unsigned char*>(protocols.data()),
                        static_cast<unsigned>(protocols.size()));
  }
  ErrorCode not_an_address;
  asio::ip::make_address(host, not_an_address);
  if (not_an_address) {
    SSL_set_tlsext_host_name(ssl, host.c_str());
    SSL_set1_host(ssl, host.c_str());
  } else {
    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host.c_str());
  }
  auto [error] = co_await tls_->async_handshake(asio::ssl::stream_base::client, no_throw);
  co_return error;
}

// Not coroutines: the write's and the wait's own awaitables are handed back,
// so that a waiting request holds no frame of ours for them.
Awaitable<std::tuple<ErrorCode, std::size_t>> Connection::send(const Request& request) {
  if (speaks_http2()) return send_http2(request);
  return write(asio::buffer(request.bytes));
}

Awaitable<std::tuple<ErrorCode, std::size_t>> Connection::write(asio::const_buffer bytes) {
  return tls_ ? asio::async_write(*tls_, bytes, no_throw) : asio::async_write(socket_, bytes, no_throw);
}

Awaitable<std::tuple<ErrorCode, std::size_t>> Connection::read_some(asio::mutable_buffer buffer) {
  return tls_ ? tls_->async_read_some(buffer, no_throw) : socket_.async_read_some(buffer, no_throw);
}

std::string_view Connection::alpn_protocol() {
  if (!tls_) return {};
  const unsigned char* protocol = nullptr;
  unsigned size = 0;
  SSL_get0_alpn_selected(tls_->native_handle(), &protocol, &size);
  return {reinterpret_cast<const char*>(protocol), size};
}

void Connection::send_without_delay() {
  ErrorCode ignored;
  socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
}

Awaitable<std::tuple<ErrorCode>> Connection::wait_for_the_answer() {
  if (speaks_http2()) return answer_is_on_its_way();  // the stream's answer is awaited in receive()
  return socket_.async_wait(event_loop::Socket::wait_read, no_throw);
}

// Reads one HTTP response, past any interim 1xx answers (100 Continue, 103
// Early Hints). The parser lives only while the bytes come in.
Awaitable<Response> Connection::receive(const Request& request) {
  if (speaks_http2()) co_return co_await receive_http2();
  for (int interim = 0;; ++interim) {
    http::response_parser<http::string_body> parser;
    parser.header_limit(most_header_bytes);
    parser.body_limit(request.max_body);
    parser.skip(request.head);
    auto [error, received] = tls_ ? co_await http::async_read(*tls_, buffer_, parser, no_throw)
                                  : co_await http::async_read(socket_, buffer_, parser, no_throw);
    if (error) {
      Response failed{error, Step::receive};
      failed.got_some = parser.got_some() || interim > 0;
      failed.headers_in = parser.is_header_done();
      co_return failed;
    }
    const int status = parser.get().result_int();
    if (status >= 200 || status == 101) {
      Response response = take_answer(parser.get(), request.include);
      // We never send a second request before the first answer is in, so
      // bytes after the body mean the body was longer than Content-Length said.
      if (buffer_.size() > 0) response.failed_in = Step::after_body;
      co_return response;
    }
    if (interim == most_interim_answers) co_return Failed{http::error::bad_status, Step::receive};
  }
}

long Connection::certificate_check() {
  if (http2_) return http2_->certificate_check();
  return tls_ ? SSL_get_verify_result(tls_->native_handle()) : X509_V_OK;
}

void Connection::end_try(bool reusable) {
  deadline_.expires_at(event_loop::Timer::time_point::max());
  if (speaks_http2()) return exchange_.reset();  // the connection stays for the lanes that share it
  if (!reusable || this_try_.timed_out) close();
}

void Connection::abandon() {
  deadline_.expires_at(event_loop::Timer::time_point::max());
  ErrorCode ignored;
  socket_.close(ignored);
  open_ = false;
}

void Connection::close() {
  http2_.reset();
  tls_.reset();
  ErrorCode ignored;
  socket_.close(ignored);
  buffer_ = beast::flat_buffer(read_buffer_limit);  // an idle connection holds no buffer
  open_ = false;
}

}  // namespace kit::async
