#pragma once
// The blocking model: N worker threads, each running one request at a time
// and sleeping through its delay (gunicorn -w N behind nginx; with N = 1,
// Python's wsgiref). The front end's event loop reads requests, so a slow or
// silent client never holds a worker; complete requests queue for the next
// free one.
#include <boost/asio/thread_pool.hpp>

#include "app_model.hpp"

namespace kit {

class WorkerPool : public AppModel {
 public:
  WorkerPool(const AppConfig& app, int workers);
  event_loop::Awaitable<Served> serve(const AppRequest& request) override;
  // Like gunicorn's sync workers: one request per connection, so an idle
  // keep-alive client cannot hold a place.
  bool keeps_connections() const override { return false; }
  std::string description() const override;
  void finish() override { workers_.join(); }

 private:
  AppConfig app_;
  int worker_count_;
  boost::asio::thread_pool workers_;
};

}  // namespace kit
