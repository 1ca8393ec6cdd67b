#include "recording_server.hpp"

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <algorithm>
#include <cctype>

#include "self_signed.hpp"

namespace kit::test {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using asio::ip::tcp;

std::string RecordedRequest::header(const std::string& lower_case_name) const {
  const auto found = headers.find(lower_case_name);
  return found == headers.end() ? "" : found->second;
}

RecordingServer::RecordingServer(Scheme scheme)
    : acceptor_(context_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
  if (scheme == Scheme::https) {
    const SelfSignedCertificate certificate;  // its file is read here, then removed
    tls_.emplace(asio::ssl::context::tls_server);
    tls_->use_certificate_chain_file(certificate.certificate_file());
    tls_->use_private_key(asio::buffer(certificate.key_pem()), asio::ssl::context::pem);
  }
  port_ = acceptor_.local_endpoint().port();
  accepting_ = std::thread([this] {
    for (;;) {
      boost::system::error_code error;
      tcp::socket socket = acceptor_.accept(error);
      if (error) return;  // closed by the destructor
      std::lock_guard lock(mutex_);
      connections_.emplace_back([this, s = std::move(socket)]() mutable { serve(std::move(s)); });
    }
  });
}

RecordingServer::~RecordingServer() {
  ::shutdown(acceptor_.native_handle(), SHUT_RDWR);  // wakes the blocked accept
  accepting_.join();
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  for (std::thread& connection : connections_) connection.join();
}

std::string RecordingServer::url(const std::string& path) const {
  return (tls_ ? "https" : "http") + std::string("://127.0.0.1:") + std::to_string(port_) + path;
}

std::vector<RecordedRequest> RecordingServer::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

void RecordingServer::serve(tcp::socket socket) {
  const timeval five_seconds{5, 0};  // a client that stops sending is let go
  ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &five_seconds, sizeof five_seconds);
  if (!tls_) return record_and_answer(socket);
  asio::ssl::stream<tcp::socket> stream(std::move(socket), *tls_);
  boost::system::error_code error;
  stream.handshake(asio::ssl::stream_base::server, error);
  if (!error) record_and_answer(stream);
}

template <class Stream>
void RecordingServer::record_and_answer(Stream& stream) {
  boost::beast::flat_buffer buffer;
  for (;;) {
    http::request<http::string_body> request;
    boost::system::error_code error;
    http::read(stream, buffer, request, error);
    if (error) return;
    RecordedRequest recorded{std::string(request.method_string()), std::string(request.target()), request.body(), {}};
    for (const auto& field : request) {
      std::string name(field.name_string());
      std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
      recorded.headers.emplace(name, std::string(field.value()));
    }
    {
      std::lock_guard lock(mutex_);
      requests_.push_back(std::move(recorded));
    }
    http::response<http::string_body> answer{http::status::ok, 11};
    answer.keep_alive(request.keep_alive());
    answer.body() = "recorded";
    answer.prepare_payload();
    http::write(stream, answer, error);
    if (error || !request.keep_alive()) return;
  }
}

}  // namespace kit::test
