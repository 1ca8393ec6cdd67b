#pragma once
// What the two server models do differently, and nothing else: how the app's
// wait runs. The HTTP front end reads and checks a request, hands it to a
// model, and writes whatever comes back; the model runs the app and waits out
// its delay, in a blocked worker thread or on a timer.
#include <cstddef>
#include <string>

#include "event_loop_types.hpp"
#include "slow_app.hpp"

namespace kit {

// A complete, valid request, as the app sees it.
struct AppRequest {
  std::string method;
  std::string target;
  std::size_t body_bytes = 0;
};

// The app's answer, and who waited for it ("worker 3", "thread 1") for the access log.
struct Served {
  AppResponse reply;
  std::string lane;
};

class AppModel {
 public:
  virtual ~AppModel() = default;
  // Runs the app for one request and waits out its delay; resumes on the
  // caller's event loop with the answer.
  virtual event_loop::Awaitable<Served> serve(const AppRequest& request) = 0;
  // Whether a connection may carry another request after this one.
  virtual bool keeps_connections() const = 0;
  // For the "Serving on" line: "worker pool, 8 workers".
  virtual std::string description() const = 0;
  // Called once the front end has stopped: finish and join any threads.
  virtual void finish() {}
};

}  // namespace kit
