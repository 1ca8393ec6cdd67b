#include "worker_pool_server.hpp"

#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>

namespace kit {

namespace {

// Each pool thread names itself the first time it serves a request.
std::string worker_name() {
  static std::atomic<int> workers_seen{0};
  thread_local const std::string name = "worker " + std::to_string(++workers_seen);
  return name;
}

}  // namespace

WorkerPoolServer::WorkerPoolServer(const ServerConfig& config) : config_(config) {
  if (config_.tls_certificate.empty()) {
    server_ = std::make_unique<httplib::Server>();
  } else {
    server_ = std::make_unique<httplib::SSLServer>(config_.tls_certificate.c_str(), config_.tls_key.c_str());
    if (!server_->is_valid()) {
      throw ListenError("cannot use certificate " + config_.tls_certificate + " and key " + config_.tls_key);
    }
  }
  const int workers = config_.workers;
  server_->new_task_queue = [workers] { return new httplib::ThreadPool(workers); };
  // Like gunicorn's sync workers: one request per connection, so an idle
  // keep-alive client cannot hold a worker.
  server_->set_keep_alive_max_count(1);
  // Our own options replace httplib's, which set SO_REUSEPORT and so let two
  // servers share a port silently; we want "address in use" reported.
  server_->set_socket_options([this](socket_t fd) {
    int yes = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    listen_fd_ = fd;
  });

  server_->set_read_timeout(std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::duration<double>(config_.header_timeout)));
  // A client that connects and says nothing is timed by httplib's keep-alive
  // wait (5 s unless told), which takes whole seconds: round up, at least 1.
  server_->set_keep_alive_timeout(std::max<time_t>(1, static_cast<time_t>(std::ceil(config_.header_timeout))));
  server_->set_payload_max_length(max_body_bytes);
  // httplib answers requests it cannot read with an empty 400 (or 413); give
  // them the same words the event-loop model uses. An unknown method is a 405.
  const httplib::Server::HandlerWithResponse answer_refusal = [this](const httplib::Request& request,
                                                                    httplib::Response& response) {
    if (!response.body.empty()) return httplib::Server::HandlerResponse::Unhandled;  // the app's own
    const bool unknown_method = response.status == 400 && !request.method.empty() &&
                                request.method.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ") ==
                                    std::string::npos &&
                                request.version.rfind("HTTP/1.", 0) == 0;
    const AppResponse reply = unknown_method ? respond(config_.app, request.method, "/")
                                             : refusal(response.status);
    response.status = reply.status;
    if (!reply.allow.empty()) response.set_header("Allow", reply.allow);
    response.set_content(reply.body, std::string(AppResponse::content_type));
    return httplib::Server::HandlerResponse::Handled;
  };
  server_->set_error_handler(answer_refusal);

  auto handler = [this](const httplib::Request& request, httplib::Response& response) {
    handle(request, response);
  };
  // Every method reaches the app, which answers 405 for all but GET and HEAD.
  server_->Get(".*", handler);  // HEAD too: httplib drops the body
  server_->Post(".*", handler);
  server_->Put(".*", handler);
  server_->Delete(".*", handler);
  server_->Patch(".*", handler);
  server_->Options(".*", handler);

  errno = 0;
  if (config_.port == 0) {
    port_ = server_->bind_to_any_port(config_.host);
  } else {
    port_ = server_->bind_to_port(config_.host, config_.port) ? config_.port : -1;
  }
  if (port_ <= 0) {
    throw ListenError("cannot listen on " + config_.host + ":" + std::to_string(config_.port) +
                      (errno ? std::string(" (") + std::strerror(errno) + ")" : ""));
  }
  // httplib listens with a backlog of 5; a class with 1000 clients needs more.
  ::listen(listen_fd_, SOMAXCONN);
}

void WorkerPoolServer::run() { server_->listen_after_bind(); }

void WorkerPoolServer::stop_accepting() {
  // Shutting the listening socket down ends httplib's accept loop but, unlike
  // Server::stop(), still lets the pool answer connections it has accepted.
  ::shutdown(listen_fd_, SHUT_RDWR);
}

void WorkerPoolServer::handle(const httplib::Request& request, httplib::Response& response) {
  const auto started = std::chrono::steady_clock::now();
  // httplib reads headers of any size; hold them to the event-loop model's limit.
  std::size_t header_bytes = request.method.size() + request.target.size() + request.version.size();
  for (const auto& [name, value] : request.headers) header_bytes += name.size() + value.size() + 4;
  // httplib does not read a GET's body; its headers still say there is one.
  std::size_t declared_body = request.has_header("Transfer-Encoding") ? 1 : 0;
  const std::string length = request.get_header_value("Content-Length");
  std::from_chars(length.data(), length.data() + length.size(), declared_body);
  AppResponse reply = header_bytes > max_header_bytes
                          ? refusal(431)
                          : respond(config_.app, request.method, request.target,
                                    std::max(request.body.size(), declared_body));
  block_for(reply.delay);  // this worker can do nothing else meanwhile

  response.status = reply.status;
  if (!reply.allow.empty()) response.set_header("Allow", reply.allow);
  response.set_content(reply.body, std::string(AppResponse::content_type));

  if (!config_.quiet) {
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
    write_log_line(
        access_log_line(request.method, request.target, reply.status, took.count(), worker_name()));
  }
}

}  // namespace kit
