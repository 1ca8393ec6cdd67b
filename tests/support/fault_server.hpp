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
  // Hostile peers: each sends without end (until the client goes, or 30 s).
  endless_chunk_extension,  // a chunked answer whose first chunk-size line never ends
  endless_trailer,          // a chunked answer whose trailer never ends
  endless_header_line,      // one header line that never ends
  endless_header_lines,     // short header lines without end
  drip,                     // the headers one byte every 0.2 s
  // Hostile answers that end.
  redirect_to_huge_port,   // 302 to http://127.0.0.1:99999999999/x
  redirect_loop,           // 302 to /again, every time
  redirect_to_other_host,  // 302 to the same port on 127.0.0.2
  retry_after_year_9999,   // 503 with Retry-After: Fri, 31 Dec 9999 23:59:59 GMT
  control_bytes_location,  // 302 whose Location holds ESC, BEL and 0xFF
  continue_then_ok,        // 100 Continue, then 200 "arrived"
};

class FaultServer {
 public:
  explicit FaultServer(Fault fault);
  ~FaultServer();  // stops and joins every thread
  FaultServer(const FaultServer&) = delete;
  FaultServer& operator=(const FaultServer&) = delete;

  std::string url(const std::string& path = "/") const;
  int requests() const { return requests_; }  // read so far

 private:
  void accept_loop();
  void answer(int fd);

  Fault fault_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> requests_{0};
  std::mutex mutex_;
  std::vector<std::thread> connections_;
  std::thread acceptor_;
};

}  // namespace kit::test
