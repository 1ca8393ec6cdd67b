#pragma once
// What the two server models do differently, and nothing else: how the app's
// wait runs. The HTTP front end reads and checks a request, hands it to a
// model, and writes whatever comes back; the model runs the app and waits out
// its delay, in a blocked worker thread or on a timer.
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "event_loop_types.hpp"
#include "request_events.hpp"
#include "slow_app.hpp"

namespace kit {

using ServerClock = std::chrono::steady_clock;

// A complete, valid request, as the app sees it.
struct AppRequest {
  std::uint64_t id = 0;  // numbers requests in the order they were read, for the dashboard
  std::string method;
  std::string target;
  std::size_t body_bytes = 0;
  ServerClock::time_point received;  // when the front end had read all of it
};

// The app's answer, who ran it ("worker 3", "thread 1") and where the time
// went: waiting for a worker or the loop (queue), then in the app (app).
// They go out as the Server-Timing header and into the access log.
struct Served {
  AppResponse reply;
  std::string lane;
  std::chrono::duration<double> queue{};
  std::chrono::duration<double> app{};
};

// The name a serving thread goes by in the access log and on the dashboard
// ("worker 3", "thread 1"), numbered by `seen` the first time it asks. A
// thread serves one model only, so one name per thread is enough.
inline const std::string& this_thread_name(std::string_view kind, std::atomic<int>& seen) {
  thread_local const std::string name = std::string(kind) + " " + std::to_string(++seen);
  return name;
}

class AppModel {
 public:
  virtual ~AppModel() = default;
  // Who is told when a request starts (the dashboard), or nobody.
  void tell(RequestEvents* events) { events_ = events; }
  // Runs the app for one request and waits out its delay; resumes on the
  // caller's event loop with the answer.
  virtual event_loop::Awaitable<Served> serve(const AppRequest& request) = 0;
  // Whether a connection may carry another request after this one.
  virtual bool keeps_connections() const = 0;
  // How many requests it takes at once. Past it, the front end stops
  // accepting, and new connections wait unread in the kernel's backlog.
  virtual int capacity() const { return std::numeric_limits<int>::max(); }
  // Whether requests may wait unread in the kernel: behind a full model, or
  // behind a loop that blocks (--async --blocking). The front end then dates
  // a new connection's request by when the kernel received it.
  virtual bool requests_wait_in_the_kernel() const { return capacity() < std::numeric_limits<int>::max(); }
  // For the "Serving on" line: "worker pool, 8 workers".
  virtual std::string description() const = 0;
  // Called once the front end has stopped: finish and join any threads.
  virtual void finish() {}

 protected:
  void started(const AppRequest& request, std::string_view lane) const {
    if (events_) events_->started(request.id, lane);
  }

 private:
  RequestEvents* events_ = nullptr;
};

}  // namespace kit
