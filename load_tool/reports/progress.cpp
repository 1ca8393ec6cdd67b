#include "progress.hpp"

#include <unistd.h>

#include <cstdio>
#include <utility>

#include "terminal.hpp"

namespace kit {

ProgressLine::ProgressLine(int total, const RunClock& clock, bool shown) : total_(total), clock_(clock) {
  if (shown && is_tty(STDERR_FILENO)) painter_ = std::thread([this] { draw_until_stopped(); });
}

void ProgressLine::stop() {
  if (!painter_.joinable()) return;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  painter_.join();
  if (drawn_) std::fputs("\r\033[K", stderr);
}

void ProgressLine::count(const RequestRecord& finished) {
  if (finished.retried) return;  // its request is not done yet
  (finished.ok() ? ok_ : failed_).fetch_add(1, std::memory_order_relaxed);
}

void ProgressLine::draw_until_stopped() {
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, std::chrono::milliseconds(200), [this] { return stopping_; })) {
    const double elapsed = clock_.now().count();
    if (elapsed < 0) {  // --start-at: the run has not started yet
      std::fprintf(stderr, "\r\033[Kstarting in %.1f s (--start-at)", -elapsed);
      std::fflush(stderr);
      drawn_ = true;
      continue;
    }
    if (elapsed < 1.0) {  // short runs stay quiet
      if (std::exchange(drawn_, false)) std::fputs("\r\033[K", stderr);
      continue;
    }
    const int ok = ok_.load(std::memory_order_relaxed);
    const int failed = failed_.load(std::memory_order_relaxed);
    if (total_ > 0) {
      std::fprintf(stderr, "\r\033[K%d/%d done, %d ok, %d failed, %.1f s", ok + failed, total_, ok, failed, elapsed);
    } else {
      std::fprintf(stderr, "\r\033[K%d done, %d ok, %d failed, %.1f s", ok + failed, ok, failed, elapsed);
    }
    std::fflush(stderr);
    drawn_ = true;
  }
}

}  // namespace kit
