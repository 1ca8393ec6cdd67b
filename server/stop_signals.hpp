#pragma once
// How the server stops: Ctrl-C, SIGTERM, SIGHUP (the terminal closed) or
// SIGQUIT stops accepting and lets the requests in flight finish, up to
// --drain seconds; a second signal, or the drain running out, exits at once.
// The signals are taken on a thread of their own (asio::signal_set), so both
// models stop the same way.
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <thread>

#include "platform.hpp"

namespace kit {

class StopSignals {
 public:
  // `stop_accepting` runs on the first signal; `exit_now(code)` after the
  // second or once the drain is over, and must not return.
  StopSignals(double drain_seconds, std::function<void()> stop_accepting, std::function<void(int)> exit_now);
  ~StopSignals();  // the server stopped on its own: stops listening for signals
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

 private:
  void on_first_signal(int signal_number);

  double drain_seconds_;
  std::function<void()> stop_accepting_;
  std::function<void(int)> exit_now_;
  boost::asio::io_context io_{1};
  boost::asio::signal_set signals_;
  boost::asio::steady_timer drain_;
  platform::JoiningThread thread_;  // last: it starts once everything above exists
};

}  // namespace kit
