#pragma once
// A model's back-pressure: how many connections it takes at once. The front
// end's accept loop waits for room here, so that past the limit new
// connections wait unread in the kernel's backlog, where they cost the
// server nothing (as gunicorn's do). The event-loop model takes any number.
#include <atomic>
#include <limits>
#include <optional>

#include "event_loop_types.hpp"

namespace kit {

class Admission {
 public:
  static constexpr int unlimited = std::numeric_limits<int>::max();
  explicit Admission(int capacity = unlimited) : capacity_(capacity) {}

  bool bounded() const { return capacity_ != unlimited; }
  int capacity() const { return capacity_; }
  int inside() const { return inside_; }

  // The accept loop's executor, before the first wait; unbind() once that
  // loop has stopped, before it goes: the model outlives it.
  void wake_on(const event_loop::Executor& accept_loop) { room_signal_.emplace(accept_loop); }
  void unbind() { room_signal_.reset(); }
  // On the accept loop: returns once there is room, or once stop() is called.
  event_loop::Awaitable<void> room();
  // A connection came in (on the accept loop) or ended (on any thread).
  void enter() { ++inside_; }
  void leave();
  // On the accept loop: ends any wait for room, for good.
  void stop();

 private:
  const int capacity_;
  std::atomic<int> inside_{0};
  bool stopped_ = false;
  std::optional<event_loop::Timer> room_signal_;
};

}  // namespace kit
