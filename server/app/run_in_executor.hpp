#pragma once
// Python's loop.run_in_executor(pool, work): `work` runs on a thread of
// `pool`, and the coroutine that awaits it resumes on its own event loop with
// the result. The loop serves other requests meanwhile.
#include <boost/asio/async_result.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <utility>

#include "event_loop_types.hpp"

namespace kit {

template <class Result, class Work>
event_loop::Awaitable<Result> run_in_executor(boost::asio::thread_pool& pool, Work work) {
  namespace asio = boost::asio;
  auto hand_over = [&pool, work = std::move(work)](auto resume) mutable {
    // The event loop must not run out of work while the request is away.
    auto loop = asio::make_work_guard(asio::get_associated_executor(resume));
    asio::post(pool, [work = std::move(work), resume = std::move(resume), loop = std::move(loop)]() mutable {
      Result result = work();
      asio::post(loop.get_executor(), [resume = std::move(resume), result = std::move(result)]() mutable {
        std::move(resume)(std::move(result));
      });
    });
  };
  return asio::async_initiate<const decltype(event_loop::use_awaitable)&, void(Result)>(std::move(hand_over),
                                                                                        event_loop::use_awaitable);
}

}  // namespace kit
