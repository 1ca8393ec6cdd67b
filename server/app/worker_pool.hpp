#pragma once
// The blocking model: N worker threads, each running one request at a time
// and sleeping through its delay (gunicorn -w N behind nginx; with N = 1,
// Python's wsgiref). The front end's event loop reads requests, so a slow or
// silent client never holds a worker; complete requests queue for the next
// free one, up to `queue` of them. Past that, new connections wait unread in
// the kernel's backlog, where gunicorn's wait: the server's memory stays that
// of `queue` requests, however many arrive at once.
#include <boost/asio/thread_pool.hpp>

#include "app_model.hpp"

namespace kit {

class WorkerPool : public AppModel {
 public:
  WorkerPool(const AppConfig& app, int workers, int queue);
  event_loop::Awaitable<Served> serve(const AppRequest& request) override;
  std::string description() const override;
  void finish() override { workers_.join(); }

 private:
  Served serve_on_a_worker(const AppRequest& request);
  static Served withdrawn(const AppRequest& request, const std::string& lane, ServerClock::time_point now);
  AppConfig app_;
  int worker_count_;
  boost::asio::thread_pool workers_;
};

}  // namespace kit
