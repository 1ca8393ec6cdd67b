#pragma once
// The non-blocking model: the app's delay is a timer on the event loop, so
// any number of requests wait at once while the loop goes on serving others.
// With `blocking` it makes the classic mistake instead: a blocking sleep in
// the loop's own thread, which stops the loop, and requests queue up again.
#include "app_model.hpp"

namespace kit {

class EventLoopModel : public AppModel {
 public:
  EventLoopModel(const AppConfig& app, int threads, bool blocking)
      : AppModel({.keep_alive = true, .requests_wait_in_the_kernel = blocking}),
        app_(app),
        threads_(threads),
        blocking_(blocking) {}
  event_loop::Awaitable<Served> serve(const AppRequest& request) override;
  std::string description() const override;

 private:
  AppConfig app_;
  int threads_;
  bool blocking_;
};

}  // namespace kit
