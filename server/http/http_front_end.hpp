#pragma once
// The one HTTP front end both server models share (Boost.Beast on Asio):
// accept, read and check each request, refuse what cannot be served
// (400/405/413/431/503), time out slow and idle clients, keep connections
// alive, drain on stop. Complete, valid requests go to the model, which runs
// the app and waits (server/app/app_model.hpp); the answer is written here, so
// both models send the same bytes for the same request.
// --threads N runs N loops, one per thread; each connection stays on one.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/basic_stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/verb.hpp>
#include <array>
#include <atomic>
#include <chrono>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "app_model.hpp"
#include "event_loop_types.hpp"
#include "rate_limit.hpp"
#include "server_config.hpp"

namespace kit {

class HttpFrontEnd {
 public:
  // Binds; throws ListenError. `events`, when given, hears of every request.
  HttpFrontEnd(const ServerConfig& config, AppModel& model, RequestEvents* events = nullptr);
  ~HttpFrontEnd();
  int port() const { return port_; }
  // The address it listens on (0.0.0.0 or :: for every interface).
  boost::asio::ip::address address() const { return address_; }
  // Serves until stop_accepting(), then returns once the requests already
  // received have been answered.
  void run();
  void stop_accepting();  // safe to call from any thread

 private:
  // No strands: a connection is only ever touched by its own loop's thread.
  using Executor = event_loop::Executor;
  template <class T>
  using Awaitable = event_loop::Awaitable<T>;
  // A timeout in the config's seconds, as timers and streams take it.
  static std::chrono::steady_clock::duration as_duration(double seconds) {
    return std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(seconds));
  }
  using Stream = boost::beast::basic_stream<boost::asio::ip::tcp, Executor, boost::beast::unlimited_rate_policy>;
  struct Connection {
    explicit Connection(event_loop::Socket socket) : stream(std::move(socket)) {}
    Stream stream;
    bool in_the_app = false;  // a request of its is with the model; touched by its loop only
  };
  void prepare_everyday_answers();
  Awaitable<void> accept_connections();
  Awaitable<void> serve(std::shared_ptr<Connection> connection);
  template <class AnyStream>  // plain TCP or TLS
  Awaitable<void> serve_requests(Connection& connection, AnyStream& stream);
  // The steps of serve_requests(), each of one job.
  std::chrono::steady_clock::duration read_timeout(bool first_request, std::size_t buffered) const;
  template <class AnyStream>
  Awaitable<boost::system::error_code> read_request(
      AnyStream& stream, boost::beast::flat_buffer& buffer,
      boost::beast::http::request_parser<boost::beast::http::string_body>& parser);
  template <class AnyStream>
  Awaitable<void> refuse_request(AnyStream& stream, int status);
  AppRequest app_request(std::string_view method, std::string_view target, std::size_t body_bytes,
                         std::optional<ServerClock::time_point> arrived);
  Awaitable<Served> hand_to_the_model(Connection& connection, const AppRequest& request);
  struct OutgoingAnswer {  // an answer's bytes, as they go out
    std::string other, timing_line;
    std::array<boost::asio::const_buffer, 3> bytes;
  };
  void prepare_answer(OutgoingAnswer& answer, const Served& served, boost::beast::http::verb method, unsigned version,
                      bool keep_alive, const std::optional<RateLimitHeaders>& limits) const;
  void answered(const AppRequest& request, const Served& served, bool rate_limited, std::string_view via = {});
  Awaitable<void> refuse(std::shared_ptr<Connection> connection);
  // HTTP/2 (http2_serving.cpp): the same requests as streams of one connection.
  struct Http2Serving;
  Awaitable<bool> opens_with_http2_preface(Stream& tcp);
  template <class AnyStream>
  Awaitable<void> serve_http2(std::shared_ptr<Connection> connection, AnyStream& stream);
  template <class AnyStream>
  Awaitable<void> write_http2(std::shared_ptr<Http2Serving> serving, AnyStream& stream);
  Awaitable<void> watch_http2(std::shared_ptr<Connection> connection, std::shared_ptr<Http2Serving> serving);
  void take_http2_requests(const std::shared_ptr<Connection>& connection, const std::shared_ptr<Http2Serving>& serving);
  Awaitable<void> serve_stream(std::shared_ptr<Connection> connection, std::shared_ptr<Http2Serving> serving,
                               AppRequest request, std::int32_t stream);

  ServerConfig config_;
  AppModel& model_;
  RequestEvents* events_;
  std::atomic<std::uint64_t> requests_read_{0};
  std::deque<boost::asio::io_context> loops_;  // one per thread; the first also accepts
  // The other loops keep running while there is nothing to serve, until accepting stops.
  std::vector<boost::asio::executor_work_guard<Executor>> keep_running_;
  std::size_t next_loop_ = 0;                                                    // where the next connection goes
  boost::asio::basic_socket_acceptor<boost::asio::ip::tcp, Executor> acceptor_;  // see listening.hpp
  int port_ = 0;
  boost::asio::ip::address address_;
  // GET 200, [keep_alive]: the bytes before and after the Server-Timing line; see serve_requests().
  std::pair<std::string, std::string> prepared_ok_response_[2];
  std::optional<boost::asio::ssl::context> tls_;  // https
  std::optional<TokenBucket> rate_limit_;         // --rate-limit
  std::atomic<bool> stopping_{false};
  std::optional<event_loop::Timer> lag_timer_;  // with a watcher: wakes ten times a second on the first loop
  Admission& admission_;                        // the model's: the accept loop takes connections within it

  // Open connections, so that stopping can close the idle keep-alive ones.
  std::mutex connections_mutex_;
  std::unordered_set<std::shared_ptr<Connection>> connections_;
};

}  // namespace kit
