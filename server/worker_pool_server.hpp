#pragma once
// The blocking model: N worker threads, each serving one request at a time
// and sleeping through its delay (gunicorn -w N; with N = 1, Python's wsgiref).
#include <httplib.h>

#include <atomic>
#include <memory>

#include "server_config.hpp"

namespace kit {

class WorkerPoolServer {
 public:
  explicit WorkerPoolServer(const ServerConfig& config);  // binds; throws ListenError
  int port() const { return port_; }
  void run();
  void stop_accepting();

 private:
  void handle(const httplib::Request& request, httplib::Response& response);

  ServerConfig config_;
  std::unique_ptr<httplib::Server> server_;  // an httplib::SSLServer for https
  std::atomic<int> listen_fd_{-1};
  int port_ = 0;
};

}  // namespace kit
