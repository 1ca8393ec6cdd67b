#include "worker_pool.hpp"

#include <atomic>

#include "run_in_executor.hpp"

namespace kit {

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

// loop.run_in_executor(pool, app): the request waits in the pool's queue for
// a free worker, and the connection's event loop serves others meanwhile.
event_loop::Awaitable<Served> WorkerPool::serve(const AppRequest& request) {
  return run_in_executor<Served>(workers_, [this, &request] { return serve_on_a_worker(request); });
}

// A request whose client gave up before a worker took it (an HTTP/2 stream
// reset while it queued): no app, no wait. 499, as nginx logs such a request.
Served WorkerPool::withdrawn(const AppRequest& request, const std::string& lane, ServerClock::time_point now) {
  Served served{AppResponse{.status = 499}, lane + ", withdrawn"};
  served.queue = now - request.received;
  return served;
}

// On the worker: run the app, then sleep like time.sleep(1). The worker can
// do nothing else meanwhile.
Served WorkerPool::serve_on_a_worker(const AppRequest& request) {
  const auto started = ServerClock::now();
  const std::string& lane = this_thread_name("worker", workers_seen);
  if (request.withdrawn && *request.withdrawn) return withdrawn(request, lane, started);
  this->started(request, lane);
  Served served{respond(app_, request.method, request.target, request.body_bytes), lane};
  block_for(served.reply.delay);
  served.queue = started - request.received;
  served.app = ServerClock::now() - started;
  return served;
}

}  // namespace kit
