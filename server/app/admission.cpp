#include "admission.hpp"

#include <boost/asio/post.hpp>

namespace kit {

event_loop::Awaitable<void> Admission::room() {
  while (bounded() && inside_ >= capacity_ && !stopped_) {
    room_signal_->expires_at(event_loop::Timer::time_point::max());
    co_await room_signal_->async_wait(event_loop::no_throw);  // cancelled by leave() or stop()
  }
}

void Admission::leave() {
  // Only the connection that makes room wakes the accept loop, on its own thread.
  if (inside_.fetch_sub(1) == capacity_ && room_signal_) {
    boost::asio::post(room_signal_->get_executor(), [this] { room_signal_->cancel(); });
  }
}

void Admission::stop() {
  stopped_ = true;
  if (room_signal_) room_signal_->cancel();
}

}  // namespace kit
