// The server's two models in-process, without a socket: how the app's wait
// runs. Four requests of 0.2 s: the event loop waits for them together, a
// pool of two workers in two rounds, and a blocking loop one after another.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <chrono>
#include <thread>
#include <set>
#include <vector>

#include "event_loop_model.hpp"
#include "platform.hpp"
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
  for (int k = 0; k < requests; ++k)
    asked.push_back({static_cast<std::uint64_t>(k + 1), "GET", "/", 0, ServerClock::now()});
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
    EXPECT_EQ(served.served_by.rfind("thread ", 0), 0u) << served.served_by;
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
    lanes.insert(served.served_by);
    if (served.queue.count() >= delay * 0.9) ++queued;
  }
  EXPECT_EQ(lanes.size(), 2u) << "two workers";
  EXPECT_EQ(queued, 2) << "the second round waited for a worker";
  EXPECT_EQ(model.admission().capacity(), 12) << "workers and queue";
  EXPECT_FALSE(model.policy.keep_alive);
}

// The accept loop waits while the pool is full, and goes on as soon as one
// connection leaves, from another thread as the front end's do.
TEST(Models, APoolsAdmissionWaitsWhileFullAndWakesWhenOneLeaves) {
  boost::asio::io_context loop(1);  // first: the model's admission waits on it, and goes before it
  WorkerPool model(app(), 1, 1);
  Admission& admission = model.admission();
  admission.wake_on(loop.get_executor());
  int admitted = 0;
  boost::asio::co_spawn(
      loop,
      [&]() -> event_loop::Awaitable<void> {
        for (int k = 0; k < 3; ++k) {
          co_await admission.room();
          admission.enter();
          ++admitted;
        }
      },
      boost::asio::detached);
  platform::JoiningThread leaver([&] {
    std::this_thread::sleep_for(std::chrono::duration<double>(delay));
    admission.leave();
  });
  const auto started = std::chrono::steady_clock::now();
  loop.run_for(std::chrono::seconds(5));
  const double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  EXPECT_EQ(admitted, 3);
  EXPECT_EQ(admission.inside(), 2);
  EXPECT_GE(waited, delay * 0.9) << "the third waited for room";
  EXPECT_TRUE(admission.bounded());
  EXPECT_FALSE(EventLoopModel(app(), 1, false).admission().bounded());
}

TEST(Models, StoppingEndsAWaitForRoom) {
  boost::asio::io_context loop(1);
  WorkerPool model(app(), 1, 0);
  Admission& admission = model.admission();
  admission.wake_on(loop.get_executor());
  admission.enter();
  bool done = false;
  boost::asio::co_spawn(
      loop,
      [&]() -> event_loop::Awaitable<void> {
        co_await admission.room();
        done = true;
      },
      boost::asio::detached);
  boost::asio::post(loop, [&] { admission.stop(); });
  loop.run_for(std::chrono::seconds(5));
  EXPECT_TRUE(done);
}

}  // namespace kit
