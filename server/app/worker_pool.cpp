#include "worker_pool.hpp"

#include <boost/asio/async_result.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <atomic>

namespace kit {

namespace asio = boost::asio;

namespace {

// Serving threads are numbered in the order they first serve.
std::atomic<int> workers_seen{0};

}  // namespace

// Like gunicorn's sync workers: one request per connection, so that an idle
// keep-alive client cannot hold a place, and past workers + queue
// connections the rest wait in the kernel's backlog.
WorkerPool::WorkerPool(const AppConfig& app, int workers, int queue)
    : AppModel({.keep_alive = false, .requests_wait_in_the_kernel = true}, workers + queue),
      app_(app),
      worker_count_(workers),
      workers_(static_cast<std::size_t>(workers)) {}

std::string WorkerPool::description() const {
  return "worker pool, " + std::to_string(worker_count_) + (worker_count_ == 1 ? " worker" : " workers");
}

event_loop::Awaitable<Served> WorkerPool::serve(const AppRequest& request) {
  // The request waits in the pool's queue for a free worker. That worker runs
  // the app and sleeps, like time.sleep(1): it can do nothing else meanwhile.
  // Then the answer goes back to the connection's event loop. The request
  // stays in the caller's coroutine frame until it resumes.
  auto hand_to_a_worker = [this, &request](auto resume) {
    // The event loop must not run out of work while the request is away.
    auto loop = asio::make_work_guard(asio::get_associated_executor(resume));
    asio::post(workers_, [this, &request, resume = std::move(resume), loop = std::move(loop)]() mutable {
      const auto started = ServerClock::now();
      const std::string& lane = this_thread_name("worker", workers_seen);
      this->started(request, lane);
      Served served{respond(app_, request.method, request.target, request.body_bytes), lane};
      block_for(served.reply.delay);
      served.queue = started - request.received;
      served.app = ServerClock::now() - started;
      asio::post(loop.get_executor(), [resume = std::move(resume), served = std::move(served)]() mutable {
        std::move(resume)(std::move(served));
      });
    });
  };
  return asio::async_initiate<const decltype(event_loop::use_awaitable)&, void(Served)>(std::move(hand_to_a_worker),
                                                                                        event_loop::use_awaitable);
}

}  // namespace kit
