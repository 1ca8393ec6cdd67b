#include "fault_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>

namespace kit::test {

namespace {

void send_all(int fd, const std::string& bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return;  // the client gave up: fine for a fault server
    sent += static_cast<std::size_t>(n);
  }
}

// Reads up to the end of the request headers; returns the request line.
std::string read_request(int fd) {
  std::string request;
  const auto start = std::chrono::steady_clock::now();
  while (request.find("\r\n\r\n") == std::string::npos &&
         std::chrono::steady_clock::now() - start < std::chrono::seconds(5)) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    char buffer[4096];
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    request.append(buffer, static_cast<std::size_t>(n));
  }
  return request.substr(0, request.find("\r\n"));
}

// Sends `head`, then `piece` again and again, every `interval`, until the
// client goes, the server stops, or 30 s pass: a peer without end.
void send_without_end(int fd, const std::string& head, const std::string& piece, std::chrono::milliseconds interval,
                      const std::atomic<bool>& stopping) {
  send_all(fd, head);
  const std::string block = interval.count() > 0 ? piece : [&] {
    std::string many;
    while (many.size() < 16 * 1024) many += piece;
    return many;
  }();
  const auto start = std::chrono::steady_clock::now();
  while (!stopping && std::chrono::steady_clock::now() - start < std::chrono::seconds(30)) {
    pollfd p{fd, POLLOUT, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    if (p.revents & (POLLERR | POLLHUP)) return;
    if (::send(fd, block.data(), block.size(), MSG_NOSIGNAL | MSG_DONTWAIT) < 0 && errno != EAGAIN) return;
    if (interval.count() > 0) std::this_thread::sleep_for(interval);
  }
}

}  // namespace

FaultServer::FaultServer(Fault fault) : fault_(fault) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof address);
  ::listen(listen_fd_, 128);
  socklen_t length = sizeof address;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length);
  port_ = ntohs(address.sin_port);
  acceptor_ = std::thread([this] { accept_loop(); });
}

FaultServer::~FaultServer() {
  stopping_ = true;
  acceptor_.join();
  ::close(listen_fd_);
  std::lock_guard lock(mutex_);
  for (auto& connection : connections_) connection.join();
}

std::string FaultServer::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

void FaultServer::accept_loop() {
  while (!stopping_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    std::lock_guard lock(mutex_);
    connections_.emplace_back([this, fd] { answer(fd); });
  }
}

void FaultServer::answer(int fd) {
  const std::string request_line = read_request(fd);
  if (!request_line.empty()) ++requests_;
  using std::chrono::milliseconds;
  switch (fault_) {
    case Fault::endless_chunk_extension:
      send_without_end(fd, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1;", "aaaaaaaa", milliseconds(0),
                       stopping_);
      break;
    case Fault::endless_trailer:
      send_without_end(fd, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n0\r\n", "X-T: y\r\n",
                       milliseconds(0), stopping_);
      break;
    case Fault::endless_header_line:
      send_without_end(fd, "HTTP/1.1 200 OK\r\nX-Long: ", "aaaaaaaa", milliseconds(0), stopping_);
      break;
    case Fault::endless_header_lines:
      send_without_end(fd, "HTTP/1.1 200 OK\r\n", "a: b\r\n", milliseconds(0), stopping_);
      break;
    case Fault::drip: send_without_end(fd, "HTTP/1.1 200 OK\r\nX-Drip: ", "a", milliseconds(200), stopping_); break;
    case Fault::redirect_to_huge_port:
      send_all(fd,
               "HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:99999999999/x\r\nContent-Length: 0\r\n"
               "Connection: close\r\n\r\n");
      break;
    case Fault::redirect_loop:
      send_all(fd, "HTTP/1.1 302 Found\r\nLocation: /again\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
      break;
    case Fault::redirect_to_other_host:
      send_all(fd, "HTTP/1.1 302 Found\r\nLocation: http://127.0.0.2:" + std::to_string(port_) +
                       "/x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
      break;
    case Fault::retry_after_year_9999:
      send_all(fd,
               "HTTP/1.1 503 Service Unavailable\r\nRetry-After: Fri, 31 Dec 9999 23:59:59 GMT\r\n"
               "Content-Length: 0\r\nConnection: close\r\n\r\n");
      break;
    case Fault::control_bytes_location:
      send_all(fd,
               "HTTP/1.1 302 Found\r\nLocation: /\x1b[31mred\x07\xff\r\nContent-Length: 0\r\n"
               "Connection: close\r\n\r\n");
      break;
    case Fault::continue_then_ok:
      send_all(fd,
               "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 7\r\nConnection: close\r\n\r\n"
               "arrived");
      break;
    case Fault::close_before_headers: break;
    case Fault::reset: {
      const linger abort_on_close{1, 0};
      ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &abort_on_close, sizeof abort_on_close);
      break;
    }
    case Fault::truncated_body: send_all(fd, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly ten b"); break;
    case Fault::extra_body:
      send_all(fd, "HTTP/1.1 200 OK\r\nContent-Length: 4\r\nConnection: close\r\n\r\nabcdEXTRA BYTES");
      break;
    case Fault::bad_status_line: send_all(fd, "HTTP/1.1 abc OK\r\nContent-Length: 0\r\n\r\n"); break;
    case Fault::garbage: send_all(fd, "hello there\r\n\r\n"); break;
    case Fault::chunked:
      send_all(fd,
               "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
               "5\r\nThis \r\n11\r\nis a slow web api\r\n0\r\n\r\n");
      break;
    case Fault::redirect:
      if (request_line.rfind("GET /final ", 0) == 0) {
        send_all(fd, "HTTP/1.1 200 OK\r\nContent-Length: 7\r\nConnection: close\r\n\r\narrived");
      } else {
        send_all(fd, "HTTP/1.1 302 Found\r\nLocation: /final\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
      }
      break;
    case Fault::huge_body: {
      const std::size_t size = 11 * 1024 * 1024;
      send_all(fd, "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(size) + "\r\nConnection: close\r\n\r\n");
      const std::string block(64 * 1024, 'x');
      for (std::size_t sent = 0; sent < size && !stopping_; sent += block.size()) send_all(fd, block);
      break;
    }
    case Fault::stall:
      while (!stopping_) std::this_thread::sleep_for(std::chrono::milliseconds(20));
      break;
  }
  ::close(fd);
}

}  // namespace kit::test
