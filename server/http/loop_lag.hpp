#pragma once
// How late the loop runs its timers: a timer asks to wake every 100 ms, and
// the lag is how much later it woke. A loop blocked in a sleep (--async
// --blocking) wakes late by the whole sleep: the talk's classic mistake, on
// the dashboard's gauge.
#include <atomic>

#include "app_model.hpp"
#include "event_loop_types.hpp"

namespace kit {

// Reports each tick and, once a second, the worst lag, until the timer is
// cancelled or `stopping` is set.
event_loop::Awaitable<void> watch_loop_lag(event_loop::Timer& timer, RequestEvents& events,
                                           const std::atomic<bool>& stopping);

}  // namespace kit
