#pragma once
// The "WSGI app" both server models run: a request in, a response and a delay
// out. Like the talk's `app(environ, start_response)`, it knows nothing about
// sockets; the models decide how to wait (a blocking sleep or a timer).
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace kit {

inline constexpr std::size_t default_max_body_bytes = 1024 * 1024;

struct AppConfig {
  double delay = 1.0;       // seconds every request waits unless ?delay= says otherwise
  double max_delay = 60.0;  // the largest ?delay= accepted
  std::string body = "This is a slow web api";
  std::size_t max_body = default_max_body_bytes;  // --max-body: the largest request body read
};

// What the app serves. GET and HEAD carry no body; POST, PUT, PATCH and
// DELETE may, and the app reads it, as a WSGI app reads wsgi.input.
inline constexpr std::string_view served_methods = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";

struct AppResponse {
  int status = 200;
  std::string body;
  std::string allow;                           // the Allow header of a 405 or an OPTIONS, empty otherwise
  std::optional<std::size_t> body_bytes_read;  // X-Body-Bytes: what the app read of the request's body
  std::chrono::duration<double> delay{};

  static constexpr std::string_view content_type = "text/plain; charset=utf-8";
};

// GET, HEAD, POST, PUT, PATCH and DELETE wait `delay` and answer the body;
// `?delay=S` changes the wait for one request and `?status=N` the status (to
// show clients a 503, say). The four that may carry a body say how many bytes
// of it the app read. OPTIONS answers 204 with Allow, at once. Anything
// malformed gets a 400 with a one-line reason, other methods a 405, a GET or
// HEAD that carries a body a 413.
AppResponse respond(const AppConfig& config, std::string_view method, std::string_view target,
                    std::size_t body_bytes = 0);

inline constexpr std::size_t max_header_bytes = 8 * 1024;
// What a connection's read buffer may hold: the headers, one chunk-size line
// with its extensions, or the trailer must fit, and so must any pipelined
// requests read ahead. Beast before Boost 1.91 limits none of the middle
// two; a bounded buffer limits them on every version.
inline constexpr std::size_t max_read_ahead_bytes = 16 * 1024;

// 413: a body on a GET or HEAD, or one over `max_body` bytes.
AppResponse body_too_large(std::size_t max_body);

// A number as the answers write it: "0.25", "60", "1e+06".
std::string number_text(double value);

// The worker pool's way to wait: the whole thread sleeps, like time.sleep(1).
void block_for(std::chrono::duration<double> delay);

}  // namespace kit
