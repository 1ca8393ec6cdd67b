#include "loop_lag.hpp"

#include <algorithm>
#include <chrono>

namespace kit {

event_loop::Awaitable<void> watch_loop_lag(event_loop::Timer& timer, RequestEvents& events,
                                           const std::atomic<bool>& stopping) {
  constexpr auto tick = std::chrono::milliseconds(100);
  double worst = 0;
  auto reported = std::chrono::steady_clock::now();
  while (!stopping) {
    const auto due = std::chrono::steady_clock::now() + tick;
    timer.expires_at(due);
    if (auto [error] = co_await timer.async_wait(event_loop::no_throw); error) co_return;
    const auto now = std::chrono::steady_clock::now();
    events.loop_ticked(now);
    worst = std::max(worst, std::chrono::duration<double>(now - due).count());
    if (now - reported >= std::chrono::seconds(1)) {  // and at once after a block
      events.loop_lag(worst);
      worst = 0;
      reported = now;
    }
  }
}

}  // namespace kit
