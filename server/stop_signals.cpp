#include "stop_signals.hpp"

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstring>

namespace kit {

StopSignals::StopSignals(double drain_seconds, std::function<void()> stop_accepting, std::function<void(int)> exit_now)
    : drain_seconds_(drain_seconds),
      stop_accepting_(std::move(stop_accepting)),
      exit_now_(std::move(exit_now)),
      signals_(io_, SIGINT, SIGTERM, SIGHUP),
      drain_(io_) {
  signals_.add(SIGQUIT);
  signals_.async_wait([this](boost::system::error_code error, int signal_number) {
    if (!error) on_first_signal(signal_number);
  });
  thread_ = platform::JoiningThread([this] { io_.run(); });
}

StopSignals::~StopSignals() { io_.stop(); }  // the thread joins here

void StopSignals::on_first_signal(int signal_number) {
  std::fprintf(stderr, "server: SIG%s received, finishing requests in flight (up to %g s)\n",
               sigabbrev_np(signal_number), drain_seconds_);
  stop_accepting_();
  signals_.async_wait([this](boost::system::error_code error, int) {
    if (error) return;
    std::fprintf(stderr, "server: second signal, exiting now\n");
    exit_now_(1);
  });
  const double a_year = 365 * 86400.0;  // a longer --drain is as good as for ever, and fits the clock
  drain_.expires_after(std::chrono::duration_cast<std::chrono::steady_clock::duration>(
      std::chrono::duration<double>(std::min(drain_seconds_, a_year))));
  drain_.async_wait([this](boost::system::error_code error) {
    if (error) return;
    std::fprintf(stderr, "server: gave up waiting for requests after %g s\n", drain_seconds_);
    exit_now_(0);
  });
}

}  // namespace kit
