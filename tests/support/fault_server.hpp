#pragma once
// A deliberately broken HTTP server for client tests: each instance answers
// every request with one fault. Runs in the test process on a free loopback port.
#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace kit::test {

enum class Fault {
  close_before_headers,  // reads the request, closes without a byte
  reset,                 // reads the request, resets the connection
  truncated_body,        // Content-Length: 100, sends 10 bytes, closes
  extra_body,            // Content-Length: 4, sends more
  bad_status_line,       // "HTTP/1.1 abc OK"
  garbage,               // not HTTP at all
  chunked,               // a valid chunked answer: must work
  redirect,              // 302 to /final, which answers 200 "arrived"
  huge_body,             // an 11 MiB body
  stall,                 // reads the request, never answers
};

class FaultServer {
 public:
  explicit FaultServer(Fault fault);
  ~FaultServer();  // stops and joins every thread
  FaultServer(const FaultServer&) = delete;
  FaultServer& operator=(const FaultServer&) = delete;

  std::string url(const std::string& path = "/") const;

 private:
  void accept_loop();
  void answer(int fd);

  Fault fault_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::vector<std::thread> connections_;
  std::thread acceptor_;
};

}  // namespace kit::test
