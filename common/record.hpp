#pragma once
// One request's record: what both clients produce and what every report reads.
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace kit {

using Clock = std::chrono::steady_clock;
using Seconds = std::chrono::duration<double>;

// The kinds of failure a load tool counts separately.
enum class Failure {
  none,
  dns,           // the host name did not resolve
  refused,       // nobody listens on that port
  timeout,       // no complete answer within --timeout
  reset,         // the peer closed or reset the connection mid-way
  bad_response,  // something came back that is not valid HTTP
  too_large,     // a body over --max-body
  tls,           // the TLS handshake failed or the certificate was refused
  redirect,      // a 3xx answer, not followed (--follow follows it)
  http_status,   // a valid answer with status >= 400
  other,
};

std::string_view failure_name(Failure failure);

struct RequestRecord {
  int number = 0;          // 1-based, the order in which requests were planned
  int lane = 0;            // 1-based: the thread (sync) or concurrent slot (async) that ran it
  Seconds start{};         // since the run started
  Seconds end{};
  int status = 0;          // HTTP status; 0 when no answer arrived
  std::size_t bytes = 0;   // body bytes received
  bool new_connection = false;  // this request opened a connection (always, without keep-alive)
  Seconds connect{};       // of a new connection: TCP connect took this long
  Seconds handshake{};     // of a new https connection: the TLS handshake took this long
  std::string body;
  Failure failure = Failure::none;
  std::string error;       // one sentence for people, set when failure != none
  std::string location;    // where a redirect points
  // The server's own figures, when it sent a Server-Timing header: how long
  // the request queued there, and how long its app took.
  std::optional<Seconds> server_queue, server_app;

  bool ok() const { return failure == Failure::none; }
  Seconds duration() const { return end - start; }

  // Stores the answer. A status of 400 and above makes the request a failure,
  // and so does a 3xx: a redirect that was not followed is not the page asked for.
  void set_response(int http_status, std::string response_body, std::string_view location = {});
  void fail(Failure kind, std::string message);
};

// Seconds since the start of a run, the time base of every record.
class RunClock {
 public:
  Seconds now() const { return Clock::now() - started_; }

 private:
  Clock::time_point started_ = Clock::now();
};

}  // namespace kit
