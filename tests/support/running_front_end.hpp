#pragma once
// The server's front end before the event-loop model, serving on a thread of
// its own in the test's process: for in-process tests of both sides.
#include <thread>

#include "event_loop_model.hpp"
#include "http_front_end.hpp"

namespace kit {

inline ServerConfig in_process_config() {
  ServerConfig config;
  config.port = 0;
  config.event_loop = true;
  config.quiet = true;
  config.app.delay = 0.05;
  return config;
}

struct RunningFrontEnd {
  RunningFrontEnd() : serving([this] { front_end.run(); }) {}
  ~RunningFrontEnd() { stop(); }
  void stop() {
    if (!serving.joinable()) return;
    front_end.stop_accepting();
    serving.join();
  }
  ServerConfig settings = in_process_config();
  EventLoopModel model{settings.app, 1, false};
  HttpFrontEnd front_end{settings, model};
  std::thread serving;  // last: it starts once the front end exists
};

}  // namespace kit
