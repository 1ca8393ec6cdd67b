#include "http2_connection.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/beast/http/error.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>
#include <string_view>

#include "http2_errors.hpp"

namespace kit::async {

namespace asio = boost::asio;

namespace {

Http2Connection& connection_of(void* user_data) { return *static_cast<Http2Connection*>(user_data); }

std::string_view text(const std::uint8_t* bytes, std::size_t size) {
  return {reinterpret_cast<const char*>(bytes), size};
}

// The co_spawn completion of the reader and the writer: they catch nothing
// but bad_alloc, which ends the run like any other task's exception.
void rethrow_any(const std::exception_ptr& error) {
  if (error) std::rethrow_exception(error);
}

}  // namespace

Http2Connection::Http2Connection(const Executor& executor, const ConnectionSetup& setup)
    : transport_(executor, setup) {}

Awaitable<Failed> Http2Connection::open(const Host& host, const HttpTarget& target, Clock::duration time) {
  transport_.expires_after(time);  // until the server's SETTINGS are in
  const Failed failed = co_await transport_.open(host, target);
  if (failed) {
    failure_ = transport_.this_try().timed_out ? ErrorCode(asio::error::timed_out) : failed.error;
    state_ = State::closed;
    transport_.abandon();
    wake_all();
    co_return failed;
  }
  if (target.tls && transport_.alpn_protocol() != "h2") {
    state_ = State::chose_http1;
    transport_.abandon();
    wake_all();
    co_return Failed{};
  }
  transport_.send_without_delay();
  start_session();
  co_return Failed{};
}

void Http2Connection::start_session() {
  const http2::CallbacksPointer callbacks = http2::new_callbacks();
  nghttp2_session_callbacks_set_on_header_callback(callbacks.get(), on_header);
  nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks.get(), on_data);
  nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks.get(), on_frame);
  nghttp2_session_callbacks_set_on_frame_not_send_callback(callbacks.get(), on_not_sent);
  nghttp2_session_callbacks_set_on_stream_close_callback(callbacks.get(), on_stream_close);
  nghttp2_session* session = nullptr;
  if (nghttp2_session_client_new2(&session, callbacks.get(), this, http2::hardened_options().get()) != 0) {
    throw std::bad_alloc();
  }
  session_.reset(session);
  const std::array<nghttp2_settings_entry, 2> settings{
      {{NGHTTP2_SETTINGS_ENABLE_PUSH, 0}, {NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE, most_header_bytes}}};
  nghttp2_submit_settings(session, NGHTTP2_FLAG_NONE, settings.data(), settings.size());
  asio::co_spawn(transport_.executor(), read_frames(shared_from_this()), rethrow_any);
  flush();
}

bool Http2Connection::takes_streams() const {
  return state_ == State::open && !going_away_ && nghttp2_session_check_request_allowed(session_.get()) != 0;
}

bool Http2Connection::has_room() const {
  return state_ == State::open && in_flight_.size() < nghttp2_session_get_remote_settings(
                                                          session_.get(), NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS);
}

Awaitable<void> Http2Connection::wait_for_change(event_loop::Timer& wake) {
  waiting_.push_back(&wake);
  co_await wake.async_wait(event_loop::no_throw);
  waiting_.erase(std::find(waiting_.begin(), waiting_.end(), &wake));
}

void Http2Connection::wake_all() {
  for (event_loop::Timer* wake : waiting_) wake->cancel();
}

ErrorCode Http2Connection::submit(Http2Exchange& exchange) {
  std::vector<nghttp2_nv> headers;
  headers.reserve(exchange.message->fields.size());
  for (const auto& [name, value] : exchange.message->fields) headers.push_back(http2::header(name, value));
  const http2::DataProvider body = http2::body_provider(nullptr, read_body);
  const bool has_body = !exchange.message->body.empty();
  const std::int32_t stream =
      http2::submit_request(session_.get(), headers.data(), headers.size(), has_body ? &body : nullptr, nullptr);
  if (stream < 0) return make_error(Http2Error::protocol, stream);
  exchange.stream = stream;
  exchanges_[stream] = &exchange;
  in_flight_.insert(stream);
  flush();
  return {};
}

void Http2Connection::cancel(Http2Exchange& exchange) {
  if (exchange.done) return;
  finish(exchange, asio::error::timed_out);
  if (state_ != State::open) return;
  nghttp2_submit_rst_stream(session_.get(), NGHTTP2_FLAG_NONE, exchange.stream, NGHTTP2_CANCEL);
  flush();
}

void Http2Connection::finish(Http2Exchange& exchange, ErrorCode error) {
  if (exchange.done) return;
  exchange.done = true;
  exchange.error = error;
  exchanges_.erase(exchange.stream);  // libnghttp2 never holds the exchange: a late frame finds nothing
  if (exchange.wake) exchange.wake->cancel();
}

Http2Exchange* Http2Connection::exchange_of(std::int32_t stream) const {
  const auto found = exchanges_.find(stream);
  return found == exchanges_.end() ? nullptr : found->second;
}

void Http2Connection::close() {
  if (state_ == State::closed) return;
  state_ = State::closed;
  if (!session_) return transport_.abandon();
  nghttp2_session_terminate_session(session_.get(), NGHTTP2_NO_ERROR);
  flush();  // the writer closes the socket once GOAWAY is out
}

// Ends the connection and every stream on it with `error`.
void Http2Connection::fail(ErrorCode error) {
  if (state_ == State::closed && exchanges_.empty()) return transport_.abandon();
  state_ = State::closed;
  if (transport_.this_try().timed_out) {
    error = asio::error::timed_out;  // no SETTINGS from the server in the first request's time
  } else if (goaway_code_ != NGHTTP2_NO_ERROR) {
    error = make_error(Http2Error::going_away, goaway_code_);
  }
  failure_ = error;
  const auto streams = std::move(exchanges_);
  for (const auto& [stream, exchange] : streams) finish(*exchange, error);
  in_flight_.clear();
  transport_.abandon();  // its deadline, if it was still opening, and its socket
  wake_all();
}

void Http2Connection::flush() {
  if (writing_ || !session_) return;
  writing_ = true;
  asio::co_spawn(transport_.executor(), write_frames(shared_from_this()), rethrow_any);
}

Awaitable<void> Http2Connection::read_frames(std::shared_ptr<Http2Connection> self) {
  std::array<std::uint8_t, 16 * 1024> buffer{};  // what one read may bring: the connection's only read buffer
  for (;;) {
    auto [error, size] = co_await self->transport_.read_some(asio::buffer(buffer));
    if (error) co_return self->fail(error);
    if (std::exchange(self->first_bytes_, false) && text(buffer.data(), size).starts_with("HTTP/1.")) {
      co_return self->fail(make_error(Http2Error::not_http2));
    }
    const http2::Length used = http2::receive(self->session_.get(), buffer.data(), size);
    if (used < 0) co_return self->fail(make_error(Http2Error::protocol, static_cast<long>(used)));
    if (nghttp2_session_want_read(self->session_.get()) == 0 && nghttp2_session_want_write(self->session_.get()) == 0) {
      co_return self->fail(asio::error::eof);  // after a GOAWAY, its last stream is done
    }
    self->flush();
  }
}

Awaitable<void> Http2Connection::write_frames(std::shared_ptr<Http2Connection> self) {
  constexpr std::size_t most_per_write = 64 * 1024;
  for (;;) {
    self->outgoing_.clear();
    while (self->outgoing_.size() < most_per_write) {
      const std::uint8_t* bytes = nullptr;
      const http2::Length size = http2::next_to_send(self->session_.get(), &bytes);
      if (size < 0) self->fail(make_error(Http2Error::protocol, static_cast<long>(size)));
      if (size <= 0) break;
      self->outgoing_.append(text(bytes, static_cast<std::size_t>(size)));
    }
    if (self->outgoing_.empty()) break;
    auto [error, written] = co_await self->transport_.write(asio::buffer(self->outgoing_));
    if (error) {
      self->fail(error);
      break;
    }
  }
  self->writing_ = false;
  if (self->state_ == State::closed) self->transport_.abandon();
}

int Http2Connection::on_header(nghttp2_session*, const nghttp2_frame* frame, const std::uint8_t* name_bytes,
                               std::size_t name_size, const std::uint8_t* value_bytes, std::size_t value_size,
                               std::uint8_t, void* user_data) {
  Http2Connection& self = connection_of(user_data);
  Http2Exchange* exchange = self.exchange_of(frame->hd.stream_id);
  if (frame->hd.type != NGHTTP2_HEADERS || exchange == nullptr) return 0;
  exchange->got_some = true;
  exchange->header_bytes += name_size + value_size + 32;  // RFC 9113's measure of a header list
  if (exchange->header_bytes > most_header_bytes) {
    self.finish(*exchange, make_error(Http2Error::header_list_too_large));
    return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;  // the stream is reset; the connection goes on
  }
  const std::string_view name = text(name_bytes, name_size), value = text(value_bytes, value_size);
  Answer& answer = *exchange->answer;
  if (name == ":status") {
    std::from_chars(value.data(), value.data() + value.size(), answer.status);
    if (exchange->include) answer.status_and_headers = status_line_text("HTTP/2", answer.status, "");
  } else if (exchange->include) {
    answer.status_and_headers += header_line_text(name, value);
  }
  if (name == "server-timing") exchange->server_timing.emplace_back(value);
  if (name == "retry-after") exchange->retry_after = value;
  if (name == "location") answer.location = value;
  return 0;
}

int Http2Connection::on_data(nghttp2_session* session, std::uint8_t, std::int32_t stream, const std::uint8_t* bytes,
                             std::size_t size, void* user_data) {
  Http2Connection& self = connection_of(user_data);
  Http2Exchange* exchange = self.exchange_of(stream);
  if (exchange == nullptr || exchange->head) return 0;
  exchange->got_some = true;
  std::string& body = exchange->answer->body;
  if (size > exchange->max_body - std::min(exchange->max_body, body.size())) {
    self.finish(*exchange, boost::beast::http::error::body_limit);
    nghttp2_submit_rst_stream(session, NGHTTP2_FLAG_NONE, stream, NGHTTP2_CANCEL);
    return 0;
  }
  body.append(text(bytes, size));
  return 0;
}

int Http2Connection::on_frame(nghttp2_session*, const nghttp2_frame* frame, void* user_data) {
  Http2Connection& self = connection_of(user_data);
  switch (frame->hd.type) {
    case NGHTTP2_SETTINGS:
      if ((frame->hd.flags & NGHTTP2_FLAG_ACK) == 0 && self.state_ == State::opening) {
        self.state_ = State::open;
        self.transport_.end_try(true);  // open: the streams' own deadlines take over
      }
      self.wake_all();  // open, or a new limit on streams
      break;
    case NGHTTP2_GOAWAY:
      self.going_away_ = true;
      self.goaway_code_ = frame->goaway.error_code;
      self.wake_all();  // lanes waiting for room go to a new connection
      break;
    case NGHTTP2_HEADERS:
      if (Http2Exchange* exchange = self.exchange_of(frame->hd.stream_id);
          exchange && exchange->answer->status >= 200) {
        exchange->headers_in = true;
      }
      break;
    default: break;
  }
  return 0;
}

int Http2Connection::on_not_sent(nghttp2_session*, const nghttp2_frame* frame, int, void* user_data) {
  Http2Connection& self = connection_of(user_data);
  if (frame->hd.type != NGHTTP2_HEADERS) return 0;
  self.in_flight_.erase(frame->hd.stream_id);
  if (Http2Exchange* exchange = self.exchange_of(frame->hd.stream_id)) {
    self.finish(*exchange, make_error(Http2Error::refused));  // never sent: safe to ask again
  }
  self.wake_all();
  return 0;
}

int Http2Connection::on_stream_close(nghttp2_session*, std::int32_t stream, std::uint32_t code, void* user_data) {
  Http2Connection& self = connection_of(user_data);
  self.in_flight_.erase(stream);
  if (Http2Exchange* exchange = self.exchange_of(stream)) {
    ErrorCode error;
    if (code == NGHTTP2_REFUSED_STREAM) {
      error = make_error(Http2Error::refused);
    } else if (code != NGHTTP2_NO_ERROR || !exchange->headers_in) {
      error = make_error(Http2Error::reset_by_server, code);
    }
    self.finish(*exchange, error);
  }
  self.wake_all();  // room for another stream
  return 0;
}

http2::Length Http2Connection::read_body(nghttp2_session*, std::int32_t stream, std::uint8_t* into, std::size_t room,
                                         std::uint32_t* flags, nghttp2_data_source*, void* user_data) {
  Http2Exchange* exchange = connection_of(user_data).exchange_of(stream);
  if (exchange == nullptr) return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;  // its lane gave up: reset it
  const std::string& body = exchange->message->body;
  const std::size_t size = std::min(room, body.size() - exchange->body_sent);
  std::memcpy(into, body.data() + exchange->body_sent, size);
  exchange->body_sent += size;
  if (exchange->body_sent == body.size()) *flags |= NGHTTP2_DATA_FLAG_EOF;
  return static_cast<http2::Length>(size);
}

std::shared_ptr<Http2Connection> Http2Pool::replace(Http2Slot& slot) {
  // A replaced connection is kept while it may still carry streams; one that
  // has closed and nobody holds goes. A server that says GOAWAY every 1000
  // requests (nginx's default) would otherwise grow the run by 5 MB a second.
  std::erase_if(replaced_, [](const std::shared_ptr<Http2Connection>& old) {
    return old.use_count() == 1 && old->state() == Http2Connection::State::closed;
  });
  if (slot.current) replaced_.push_back(std::move(slot.current));
  slot.current = std::make_shared<Http2Connection>(executor_, setup_);
  return slot.current;
}

void Http2Pool::close_all() {
  for (auto& of_host : slots_) {
    for (Http2Slot& slot : of_host) {
      if (slot.current) slot.current->close();
    }
  }
  for (auto& replaced : replaced_) replaced->close();
}

}  // namespace kit::async
