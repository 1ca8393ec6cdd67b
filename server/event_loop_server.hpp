#pragma once
// The non-blocking model: an event loop (Boost.Asio) serves every connection.
// A request's delay is a timer, not a sleep, so any number of requests can be
// waiting at once while the loop goes on accepting and answering others.
// --threads N runs N loops, one per thread; each connection stays on one.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <atomic>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "event_loop_types.hpp"
#include "server_config.hpp"

namespace kit {

class EventLoopServer {
 public:
  explicit EventLoopServer(const ServerConfig& config);  // binds; throws ListenError
  ~EventLoopServer();
  int port() const { return port_; }
  void run();
  void stop_accepting();  // safe to call from any thread

 private:
  // No strands: a connection is only ever touched by its own loop's thread.
  using Executor = event_loop::Executor;
  template <class T>
  using Awaitable = event_loop::Awaitable<T>;
  struct Connection;
  Awaitable<void> accept_connections();
  Awaitable<void> serve(std::shared_ptr<Connection> connection);
  template <class AnyStream>  // plain TCP or TLS
  Awaitable<void> serve_requests(Connection& connection, AnyStream& stream);
  Awaitable<void> refuse(std::shared_ptr<Connection> connection);

  ServerConfig config_;
  std::deque<boost::asio::io_context> loops_;  // one per thread; the first also accepts
  // The other loops keep running while there is nothing to serve, until accepting stops.
  std::vector<boost::asio::executor_work_guard<Executor>> keep_running_;
  std::size_t next_loop_ = 0;  // where the next connection goes
  boost::asio::basic_socket_acceptor<boost::asio::ip::tcp, Executor> acceptor_;
  int port_ = 0;
  std::string everyday_response_[2];  // GET 200, [keep_alive]; see serve()
  std::optional<boost::asio::ssl::context> tls_;  // https
  std::atomic<bool> stopping_{false};

  // Open connections, so that stopping can close the idle keep-alive ones.
  std::mutex connections_mutex_;
  std::unordered_set<std::shared_ptr<Connection>> connections_;
};

}  // namespace kit
