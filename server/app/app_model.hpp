#pragma once
// What the two server models do differently, and nothing else: how the app's
// wait runs. The HTTP front end reads and checks a request, hands it to a
// model, and writes whatever comes back; the model runs the app and waits out
// its delay, in a blocked worker thread or on a timer.
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "admission.hpp"
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
  // HTTP/2: set when the client resets the stream; a worker that has not
  // started the request yet skips it (null over HTTP/1.1).
  std::shared_ptr<const std::atomic<bool>> withdrawn;
};

// The app's answer, who ran it ("worker 3", "thread 1") and where the time
// went: waiting for a worker or the loop (queue), then in the app (app).
// They go out as the Server-Timing header and into the access log.
struct Served {
  AppResponse reply;
  std::string served_by;  // the serving thread's name: "worker 3", "thread 1"
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

// How the front end treats a model's connections: configuration, set once.
struct ConnectionPolicy {
  bool keep_alive = true;  // a connection may carry another request after its first
  // Requests may wait unread in the kernel: behind a full pool, or behind a
  // loop that blocks (--async --blocking). The front end then dates a new
  // connection's request by when the kernel received it.
  bool requests_wait_in_the_kernel = false;
};

class AppModel {
 public:
  explicit AppModel(ConnectionPolicy policy, int capacity = Admission::unlimited)
      : policy(policy), admission_(capacity) {}
  virtual ~AppModel() = default;
  // Runs the app for one request and waits out its delay; resumes on the
  // caller's event loop with the answer.
  virtual event_loop::Awaitable<Served> serve(const AppRequest& request) = 0;
  // For the "Serving on" line: "worker pool, 8 workers".
  virtual std::string description() const = 0;
  // Called once the front end has stopped: finish and join any threads.
  virtual void finish() {}

  const ConnectionPolicy policy;
  // How many connections it takes at once; the front end accepts within it.
  Admission& admission() { return admission_; }
  // Who is told when a request starts (the dashboard), or nobody.
  void report_to(RequestEvents* events) { events_ = events; }

 protected:
  void started(const AppRequest& request, std::string_view lane) const {
    if (events_) events_->started(request.id, lane);
  }

 private:
  Admission admission_;
  RequestEvents* events_ = nullptr;
};

}  // namespace kit
