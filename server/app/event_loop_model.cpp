#include "event_loop_model.hpp"

#include <boost/asio/this_coro.hpp>
#include <atomic>

namespace kit {

namespace {

// Serving threads are numbered in the order they first serve.
std::atomic<int> threads_seen{0};

}  // namespace

std::string EventLoopModel::description() const {
  return std::string(blocking_ ? "blocking event loop, " : "event loop, ") + std::to_string(threads_) +
         (threads_ == 1 ? " thread" : " threads");
}

event_loop::Awaitable<Served> EventLoopModel::serve(const AppRequest& request) {
  const auto started = ServerClock::now();
  const std::string& lane = this_thread_name("thread", threads_seen);
  this->started(request, lane);
  Served served{respond(app_, request.method, request.target, request.body_bytes), lane};
  served.queue = started - request.received;
  if (blocking_) {
    // The classic mistake (--blocking): the whole loop sleeps with this
    // request, so every other request waits behind it.
    block_for(served.reply.delay);
  } else if (served.reply.delay.count() > 0) {
    // The event loop's sleep: this coroutine waits, the loop serves others.
    event_loop::Timer timer(co_await boost::asio::this_coro::executor,
                            std::chrono::duration_cast<event_loop::Timer::duration>(served.reply.delay));
    co_await timer.async_wait(event_loop::no_throw);
  }
  served.app = ServerClock::now() - started;
  co_return served;
}

}  // namespace kit
