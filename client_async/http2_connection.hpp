#pragma once
// client_async --http2: one connection that many requests share, each on a
// stream of its own. libnghttp2 does the framing, HPACK and flow control and
// no I/O; this drives it from the event loop: a reader coroutine hands it
// what arrives, a writer sends what it has queued, one write at a time, both
// on the loop's one thread (a session is not thread-safe). A lane's
// Connection (async_connection.hpp) is its view of one stream at a time.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "async_connection.hpp"
#include "http2_library.hpp"
#include "request_messages.hpp"

namespace kit::async {

// One request's stream, as the lane that sent it waits on it.
struct Http2Exchange {
  const Http2Message* message = nullptr;
  std::size_t body_sent = 0;
  std::size_t max_body = 0;
  bool head = false, include = false;
  std::int32_t stream = 0;
  std::size_t header_bytes = 0;  // of the header lists so far, bounded like HTTP/1.1's headers
  std::vector<std::string> server_timing;
  std::string retry_after;
  std::unique_ptr<Answer> answer = std::make_unique<Answer>();
  bool got_some = false, headers_in = false, done = false;
  ErrorCode error;                    // why it ended early
  event_loop::Timer* wake = nullptr;  // the lane's: cancelled when the stream ends
};

class Http2Connection : public std::enable_shared_from_this<Http2Connection> {
 public:
  enum class State { opening, open, chose_http1, closed };

  Http2Connection(const Executor& executor, const ConnectionSetup& setup);
  Http2Connection(const Http2Connection&) = delete;
  Http2Connection& operator=(const Http2Connection&) = delete;

  // TCP connect, TLS offering h2 then http/1.1 (https), the client preface and
  // SETTINGS; done when the server's own SETTINGS are in, so that its limit
  // on streams is known before the first one. The lane that opens calls it;
  // the others wait_for_change() until the state is no longer opening.
  Awaitable<Failed> open(const Host& host, const HttpTarget& target, Clock::duration time);
  long certificate_check() { return transport_.certificate_check(); }
  State state() const { return state_; }
  bool takes_streams() const;  // open, and no GOAWAY yet
  bool has_room() const;       // fewer streams in flight than the server allows
  int number() const { return transport_.number(); }
  const Connection::ThisTry& opening() const { return transport_.this_try(); }
  ErrorCode failure() const { return failure_; }

  // A lane's wait, until open, room or the end of its stream: `wake` is
  // cancelled at each change (or by the lane's own deadline).
  Awaitable<void> wait_for_change(event_loop::Timer& wake);
  // Starts the exchange's stream; an error when the session refused it.
  ErrorCode submit(Http2Exchange& exchange);
  // The lane gave up on its stream (its deadline): RST_STREAM(CANCEL).
  void cancel(Http2Exchange& exchange);
  // GOAWAY and close, at the end of the run (no stream is in flight then).
  void close();

 private:
  static Awaitable<void> read_frames(std::shared_ptr<Http2Connection> self);
  static Awaitable<void> write_frames(std::shared_ptr<Http2Connection> self);
  void start_session();
  void flush();
  void fail(ErrorCode error);
  void wake_all();
  void finish(Http2Exchange& exchange, ErrorCode error);
  Http2Exchange* exchange_of(std::int32_t stream) const;

  static int on_header(nghttp2_session*, const nghttp2_frame*, const std::uint8_t*, std::size_t, const std::uint8_t*,
                       std::size_t, std::uint8_t, void*);
  static int on_data(nghttp2_session*, std::uint8_t, std::int32_t, const std::uint8_t*, std::size_t, void*);
  static int on_frame(nghttp2_session*, const nghttp2_frame*, void*);
  static int on_not_sent(nghttp2_session*, const nghttp2_frame*, int, void*);
  static int on_stream_close(nghttp2_session*, std::int32_t, std::uint32_t, void*);
  static http2::Length read_body(nghttp2_session*, std::int32_t, std::uint8_t*, std::size_t, std::uint32_t*,
                                 nghttp2_data_source*, void*);

  Connection transport_;  // its socket, TLS and the open's deadline
  http2::SessionPointer session_;
  State state_ = State::opening;
  bool going_away_ = false, writing_ = false, first_bytes_ = true;
  std::uint32_t goaway_code_ = NGHTTP2_NO_ERROR;
  std::unordered_map<std::int32_t, Http2Exchange*> exchanges_;  // the streams lanes wait on
  std::unordered_set<std::int32_t> in_flight_;                  // streams opened and not yet closed
  ErrorCode failure_;
  std::string outgoing_;
  std::vector<event_loop::Timer*> waiting_;
};

// One of the pool's places for a connection to a host, which lanes share.
struct Http2Slot {
  std::shared_ptr<Http2Connection> current;
  bool http1_only = false;  // the server chose HTTP/1.1 by ALPN: lanes open their own
};

// The HTTP/2 connections of one event loop: `per_host` to each host, each
// lane taking one by its number. A connection that got a GOAWAY is replaced
// for new streams and kept until the end for the streams it still carries.
class Http2Pool {
 public:
  Http2Pool(const Executor& executor, const ConnectionSetup& setup, std::size_t hosts, int per_host)
      : executor_(executor), setup_(setup), slots_(hosts, std::vector<Http2Slot>(static_cast<std::size_t>(per_host))) {}
  Http2Slot& slot(std::size_t host, int lane) {
    auto& of_host = slots_[host];
    return of_host[static_cast<std::size_t>(lane) % of_host.size()];
  }
  // A fresh connection in the slot; the one it replaces is kept for close_all().
  std::shared_ptr<Http2Connection> replace(Http2Slot& slot);
  // At the end of the loop's run: each connection says GOAWAY and closes.
  void close_all();

 private:
  Executor executor_;
  ConnectionSetup setup_;
  std::vector<std::vector<Http2Slot>> slots_;
  std::vector<std::shared_ptr<Http2Connection>> replaced_;
};

}  // namespace kit::async
