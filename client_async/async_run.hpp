#pragma once
// client_async's load-tool machinery, behind the fetch() and gather() that
// client_async/main.cpp shows: the hosts looked up once, the requests written
// once, lanes that take the next request from the plan (-n, -z, --rate),
// tries again as --retry and --follow say, a batch of lanes started at a
// time, and --loops event loops on threads of their own. A reader of the
// talk can skip it all.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <atomic>
#include <deque>
#include <exception>
#include <iosfwd>
#include <memory>
#include <optional>
#include <vector>

#include "async_connection.hpp"
#include "http2_connection.hpp"
#include "request_messages.hpp"
#include "options.hpp"
#include "platform.hpp"
#include "progress.hpp"
#include "run_plan.hpp"

namespace kit::async {

// co_spawn's completion for the run's tasks: an exception in one leaves the
// event loop's run() and ends the program with its message.
void rethrow(const std::exception_ptr& error);

// The one request of a try: what client_async's fetch() does.
using Fetch = Awaitable<Response> (*)(Session& session, const Request& request);

// One of the run's URLs: where it goes, and its request's bytes.
struct Url {
  const HttpTarget& target;
  const RequestShape& shape;  // its method, headers and body
  std::size_t host;           // in Run::hosts
  std::string request;
  std::optional<Http2Message> http2;  // --http2: the same as a stream's header list and body
};

// A request in both its forms, for a redirect's hop.
struct RequestBytes {
  const std::string& http1;
  const Http2Message* http2;
};

// An event loop and the sessions of its lanes, which outlive its run.
struct EventLoop {
  boost::asio::io_context context{1};  // run by one thread
  std::optional<Http2Pool> http2;      // --http2: the connections its lanes share
  std::deque<Session> sessions;
  int running_lanes = 0;
};

// What all the requests of a run share. With --loops, every loop's thread
// does: the plan and the progress line are made for that, the rest is only read.
class Run {
 public:
  // Sets up TLS, writes each URL's request and looks every host up; says
  // why on `errors` and returns null when it cannot (a bad --cacert).
  static std::unique_ptr<Run> prepare(const ClientOptions& options, std::ostream& errors);

  // The event loop this thread runs: the talk's one loop.
  boost::asio::io_context& event_loop() { return loops.front().context; }
  // Every lane, each a task fetching with `fetch`, started on the event loop
  // a batch at a time (the first requests are out while later connections
  // are being opened); with --loops, the other loops start theirs on
  // threads of their own. Done once every lane has started.
  Awaitable<void> lanes(Fetch fetch);
  // Once the event loop has run out of work: every record, in request order.
  RunResult take_result();

  explicit Run(const ClientOptions& options);  // use prepare()
  Run(const Run&) = delete;
  Run& operator=(const Run&) = delete;

  const ClientOptions& options;
  const RunClock clock;
  RunPlan plan;
  ProgressLine progress;
  std::optional<boost::asio::ssl::context> tls;  // for https://
  std::vector<Host> hosts;
  std::vector<Url> urls;
  std::vector<Request> requests;  // urls[k]'s, ready to send
  std::deque<EventLoop> loops;
  Fetch fetch = nullptr;
  std::atomic<int> connection_numbers{0};  // connections opened so far, by every loop
  ConnectionSetup connection_setup(bool for_http2 = false);

 private:
  bool every_lookup_failed() const;
  void fail_every_request();
  std::atomic<int> next_batch_{1};                    // the first lane of the next batch, for every loop
  std::vector<platform::JoiningThread> other_loops_;  // --loops: the threads that run loops[1...]
};

}  // namespace kit::async
