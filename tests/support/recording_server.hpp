#pragma once
// An HTTP server for client tests that keeps every request it reads (method,
// target, headers, body) and answers 200 "recorded". Runs in the test
// process on a free loopback port, over HTTP or HTTPS (a self-signed
// certificate: clients need -k); Beast parses what comes in.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <map>
#include <memory>
#include <optional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace kit::test {

struct RecordedRequest {
  std::string method, target, body;
  std::multimap<std::string, std::string> headers;               // names in lower case
  std::string header(const std::string& lower_case_name) const;  // the first, or ""
  std::size_t count(const std::string& lower_case_name) const { return headers.count(lower_case_name); }
};

class RecordingServer {
 public:
  enum class Scheme { http, https };
  explicit RecordingServer(Scheme scheme = Scheme::http);
  ~RecordingServer();  // stops and joins every thread
  RecordingServer(const RecordingServer&) = delete;
  RecordingServer& operator=(const RecordingServer&) = delete;

  std::string url(const std::string& path = "/") const;
  std::vector<RecordedRequest> requests() const;

 private:
  void serve(boost::asio::ip::tcp::socket socket);
  template <class Stream>
  void record_and_answer(Stream& stream);

  std::optional<boost::asio::ssl::context> tls_;  // set for https
  boost::asio::io_context context_;
  boost::asio::ip::tcp::acceptor acceptor_;
  int port_ = 0;
  mutable std::mutex mutex_;
  std::vector<RecordedRequest> requests_;
  std::vector<std::thread> connections_;
  std::thread accepting_;
};

}  // namespace kit::test
