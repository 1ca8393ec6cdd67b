#pragma once
// The non-blocking model: one event loop (Boost.Asio) serves every connection.
// A request's delay is a timer, not a sleep, so any number of requests can be
// waiting at once while the loop goes on accepting and answering others.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/strand.hpp>
#include <atomic>
#include <string>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_set>

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
  struct Connection;
  boost::asio::any_io_executor connection_executor();
  boost::asio::awaitable<void> accept_connections();
  boost::asio::awaitable<void> serve(std::shared_ptr<Connection> connection);
  template <class Stream>
  boost::asio::awaitable<void> serve_requests(Connection& connection, Stream& stream);
  boost::asio::awaitable<void> refuse(std::shared_ptr<Connection> connection);

  ServerConfig config_;
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  int port_ = 0;
  std::string everyday_response_[2];  // GET 200, [keep_alive]; see serve()
  std::optional<boost::asio::ssl::context> tls_;  // https
  std::atomic<bool> stopping_{false};

  // Open connections, so that stopping can close the idle keep-alive ones.
  std::mutex connections_mutex_;
  std::unordered_set<std::shared_ptr<Connection>> connections_;
};

}  // namespace kit
