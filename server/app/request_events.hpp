#pragma once
// What happens to each request, for whoever watches (the live dashboard):
// received by the front end, started by a worker or the loop, finished; and
// how late the front end's event loop runs.
// Called from the serving threads, so an implementation must be quick and
// thread-safe; with no watcher nothing is called at all.
#include <chrono>
#include <cstdint>
#include <string_view>

namespace kit {

class RequestEvents {
 public:
  virtual ~RequestEvents() = default;
  // `at`: when the front end had the whole request (or the kernel had it, for a blocked loop).
  virtual void received(std::uint64_t id, std::string_view method, std::string_view target,
                        std::chrono::steady_clock::time_point at) = 0;
  virtual void started(std::uint64_t id, std::string_view lane) = 0;
  virtual void finished(std::uint64_t id, int status, double queue_seconds, double app_seconds) = 0;
  // About once a second: the most the loop's timers ran late since the last call.
  virtual void loop_lag(double /*seconds*/) {}
  // Ten times a second, from the loop itself: it is running. A watcher on
  // another thread sees a blocked loop by these stopping, while it is blocked.
  virtual void loop_ticked(std::chrono::steady_clock::time_point /*at*/) {}
};

}  // namespace kit
