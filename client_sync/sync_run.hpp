#pragma once
// client_sync's load-tool machinery, behind the fetch() and the loop that
// client_sync/main.cpp shows: an HTTP client per host, the watchdog that
// bounds what cpp-httplib does not, lanes that take the next request from
// the plan (-n, -z, --rate) and try again as --retry and --follow say, and
// the --threads and --processes variants.
#include <httplib.h>

#include <map>
#include <set>
#include <memory>
#include <string>

#include "options.hpp"
#include "progress.hpp"
#include "run_plan.hpp"
#include "watchdog.hpp"

namespace kit::sync {

// One try of a request, as fetch() sees it.
struct Request {
  const HttpTarget& target;
  const RequestShape& shape;   // the method, headers and body
  Seconds time_allowed;        // httplib's timeouts, for each read and write
  Clock::time_point deadline;  // the watchdog's: when the whole try's time is up
  std::size_t max_body;
};

// The request as httplib sends it: method, path, headers, and a copy of the body.
httplib::Request as_httplib_request(const Request& request);

// What a try fetched: httplib's result, the body as far as --max-body
// allowed, and whether the watchdog stopped it.
struct Response {
  httplib::Result result;
  std::string body;
  bool too_large = false;
  Watchdog::Stopped stopped = Watchdog::Stopped::no;
};

// A lane's session, as requests.Session is: its HTTP clients, one for each
// host it talks to. With keep-alive a client carries all of the lane's
// requests to its host; without, each request gets its own, like
// requests.get(url). httplib reconnects by itself when the server has closed
// a kept-alive connection; counting the sockets it opens shows when.
class Session {
 public:
  Session(const ClientOptions& options, int number, Watchdog::Watch& watch)
      : options(options), number(number), watch(watch) {}
  Session(const Session&) = delete;  // the clients' socket callbacks point here
  Session& operator=(const Session&) = delete;

  // The client for the target's host, its timeouts set to `allowed`.
  httplib::Client& client_for(const HttpTarget& target, Seconds allowed);
  // localhost refused on 127.0.0.1 (the system's answer here): its next
  // client goes to ::1, as curl tries both. False when there is no other to try.
  bool try_the_other_loopback(const HttpTarget& target);

  const ClientOptions& options;
  const int number;
  Watchdog::Watch& watch;  // ends what httplib's own timeouts and limits do not
  std::map<std::string, std::unique_ptr<httplib::Client>> clients;  // by scheme://host:port
  int sockets_opened = 0;

 private:
  std::set<std::string> localhost_on_ipv6_;  // by scheme://host:port
  std::unique_ptr<httplib::Client> make_client(const HttpTarget& target);
};

// The one request of a try: what client_sync's fetch() does.
using Fetch = Response (*)(Session& session, const Request& request);

// What all the lanes of a run share. A worker process (--processes) has a
// Run of its own, on the clock of the one that reports.
struct Run {
  explicit Run(const ClientOptions& options, RunClock started = {})
      : options(options), clock(started), plan(options, clock) {}
  const ClientOptions& options;
  const RunClock clock;
  RunPlan plan;
  Watchdog watchdog;
  Fetch fetch = nullptr;
};

// Takes the next request and fetches it until the plan says stop: the
// talk's client. With --rate a lane sleeps until its request is due; with
// --retry it sleeps and asks again.
void run_lane(Run& run, int lane_number, ProgressLine& progress);

// The threading variant: --threads lanes, each on a thread of its own.
// False, with the reason on `errors`, when the system refused a thread.
bool run_threads(Run& run, ProgressLine& progress, std::ostream& errors);

}  // namespace kit::sync
