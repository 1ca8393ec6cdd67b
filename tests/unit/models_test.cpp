// The server's two models in-process, without a socket: how the app's wait
// runs. Four requests of 0.2 s: the event loop waits for them together, a
// pool of two workers in two rounds, and a blocking loop one after another.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <chrono>
#include <set>
#include <vector>

#include "event_loop_model.hpp"
#include "worker_pool.hpp"

namespace kit {

namespace {

constexpr double delay = 0.2;

struct ModelRun {
  double seconds = 0;
  std::vector<Served> served;
};

// Serves `requests` GETs of / through `model` on one event loop, all at once.
ModelRun serve_at_once(AppModel& model, int requests) {
  boost::asio::io_context loop(1);
  ModelRun run;
  run.served.resize(static_cast<std::size_t>(requests));
  std::vector<AppRequest> asked;
  for (int k = 0; k < requests; ++k) asked.push_back({static_cast<std::uint64_t>(k + 1), "GET", "/", 0, ServerClock::now()});
  const auto started = std::chrono::steady_clock::now();
  for (int k = 0; k < requests; ++k) {
    boost::asio::co_spawn(
        loop,
        [&, k]() -> event_loop::Awaitable<void> {
          run.served[static_cast<std::size_t>(k)] = co_await model.serve(asked[static_cast<std::size_t>(k)]);
        },
        [](std::exception_ptr error) {
          if (error) std::rethrow_exception(error);
        });
  }
  loop.run();
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  model.finish();
  return run;
}

AppConfig app() {
  AppConfig config;
  config.delay = delay;
  return config;
}

}  // namespace

TEST(Models, TheEventLoopWaitsForEveryRequestAtOnce) {
  EventLoopModel model(app(), 1, false);
  const ModelRun run = serve_at_once(model, 4);
  EXPECT_LT(run.seconds, 1.5 * delay) << "four timers on one loop overlap";
  for (const Served& served : run.served) {
    EXPECT_EQ(served.reply.status, 200);
    EXPECT_EQ(served.reply.body, "This is a slow web api");
    EXPECT_EQ(served.lane.rfind("thread ", 0), 0u) << served.lane;
    EXPECT_GE(served.app.count(), delay * 0.95);
  }
}

TEST(Models, ABlockingLoopServesOneRequestAtATime) {
  EventLoopModel model(app(), 1, true);
  const ModelRun run = serve_at_once(model, 4);
  EXPECT_GE(run.seconds, 4 * delay * 0.95) << "each sleep stops the loop";
}

TEST(Models, APoolOfTwoWorkersServesInTwoRoundsAndSaysWhoWaited) {
  WorkerPool model(app(), 2, 10);
  const ModelRun run = serve_at_once(model, 4);
  EXPECT_GE(run.seconds, 2 * delay * 0.95);
  EXPECT_LT(run.seconds, 3 * delay) << "two at a time";
  std::set<std::string> lanes;
  int queued = 0;
  for (const Served& served : run.served) {
    lanes.insert(served.lane);
    if (served.queue.count() >= delay * 0.9) ++queued;
  }
  EXPECT_EQ(lanes.size(), 2u) << "two workers";
  EXPECT_EQ(queued, 2) << "the second round waited for a worker";
  EXPECT_EQ(model.capacity(), 12) << "workers and queue";
  EXPECT_FALSE(model.keeps_connections());
}

}  // namespace kit
