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
  // In an order that leaves no gaps: a record's size is multiplied by the requests kept.
  int number = 0;      // 1-based, the order in which requests were planned
  int lane = 0;        // 1-based: the thread (sync) or concurrent slot (async) that ran it
  int url = 0;         // which of the run's URLs, 0-based in the order given
  int attempt = 1;     // --retry: 1 for the first try
  int connection = 0;  // which connection carried it, numbered as they opened (0: none did)
  Seconds start{};     // when this try went out, since the run started
  Seconds end{};
  // When the request was due: its slot in --rate's schedule, and for a later
  // try, when the first one was due or went out. Its time counts from here,
  // so neither a held-back start nor a wait between tries is hidden.
  std::optional<Seconds> due;
  int status = 0;  // HTTP status; 0 when no answer arrived
  Failure failure = Failure::none;
  std::size_t bytes = 0;              // body bytes received
  Seconds connect{};                  // of a new connection: TCP connect took this long
  Seconds handshake{};                // of a new https connection: the TLS handshake took this long
  bool new_connection = false;        // this request opened a connection (always, without keep-alive)
  bool retried = false;               // another try followed this one: a retry, not a request of its own
  bool answer_started = false;        // on failure: some of the answer had arrived
  bool http2 = false;                 // it went as an HTTP/2 stream
  bool held_by_stream_limit = false;  // HTTP/2: it waited for the server's limit on streams
  std::string body;
  std::string error;     // one sentence for people, set when failure != none
  std::string location;  // where a redirect points
  // The server's own figures, when it sent a Server-Timing header: how long
  // the request queued there, and how long its app took.
  std::optional<Seconds> server_queue, server_app;
  std::optional<Seconds> retry_after;  // a 429 or 503 said when to ask again

  bool ok() const { return failure == Failure::none; }
  Seconds began() const { return due.value_or(start); }
  // The request's time: from when it was due to the end of its last try.
  Seconds duration() const { return end - began(); }
  // From when its last try went out to its end: the server's part, with
  // none of the wait for a lane ("service time"; duration() is "response time").
  Seconds service_time() const { return end - start; }
  // How late this try went out after its due time (0 for a later try).
  Seconds late() const { return attempt == 1 && due ? start - *due : Seconds(0); }

  // Stores the answer. A status of 400 and above makes the request a failure,
  // and so does a 3xx: a redirect that was not followed is not the page asked for.
  void set_response(int http_status, std::string response_body, std::string_view location = {});
  // -i/--include: the answer's status line and headers go before its body
  // where the body is kept; `bytes` still counts the body alone.
  void include_head(std::string_view head) { body.insert(0, head); }
  void fail(Failure kind, std::string message);
};

// Seconds since the start of a run, the time base of every record.
class RunClock {
 public:
  RunClock() = default;
  // A run that starts at `unix_seconds` (--start-at), on the steady clock.
  explicit RunClock(double unix_seconds)
      : started_(Clock::now() + std::chrono::duration_cast<Clock::duration>(Seconds(unix_seconds - unix_now()))),
        unix_start_(unix_seconds) {}
  Seconds now() const { return Clock::now() - started_; }
  Clock::time_point at(Seconds since_start) const {
    return started_ + std::chrono::duration_cast<Clock::duration>(since_start);
  }
  // When the run started, in Unix seconds: what shards on other machines share.
  double unix_start() const { return unix_start_; }
  static double unix_now() {
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  }

 private:
  Clock::time_point started_ = Clock::now();
  double unix_start_ = unix_now();
};

// -i/--include: an answer's status line and its header lines, as curl -i
// prints them, each made printable (a peer's text reaching a terminal).
std::string status_line_text(std::string_view version, int status, std::string_view reason);
std::string header_line_text(std::string_view name, std::string_view value);

}  // namespace kit
