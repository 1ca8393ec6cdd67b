// client_async: the talk's async_client.py in C++. One thread, one event loop:
// every request is started at once, and while one waits for its answer the
// loop runs the others, so two one-second requests take one second.
//
//   time ./build/client_async             # ~1 s against ./build/server
//
// The talk's Python, for reading beside it:
//
//   async def fetch(url, l):
//       async with aiohttp.ClientSession(loop=l) as session:
//           async with session.get(url) as response:
//               return await response.text()
//
//   async def main(url, l):
//       tasks = [asyncio.ensure_future(fetch(url, l)) for _ in range(2)]
//       return await asyncio.gather(*tasks)
//
//   loop = asyncio.get_event_loop()
//   print(loop.run_until_complete(main(url, loop)))
//
// The load tool's machinery (lanes, --rate, --retry, --follow, many hosts,
// --loops) is in async_run.*, beside this file; the connection's steps are
// in async_connection.*.
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <iostream>

#include "async_run.hpp"
#include "fd_limit.hpp"
#include "merge.hpp"
#include "report.hpp"

namespace {

using kit::async::Awaitable;
using kit::async::Connection;
using kit::async::Failed;
using kit::async::Request;
using kit::async::Response;
using kit::async::Session;
using kit::async::Step;

// One GET, like the talk's `async def fetch(url)` with its ClientSession:
// connect (or reuse the host's connection), send the request, await the
// answer, and return it. At each co_await this coroutine waits and the event
// loop runs the other requests. One deadline covers all three steps.
// With --http2 the connection is shared: the request goes as one of its streams.
Awaitable<Response> fetch(Session& session, const Request& request) {
  Connection& connection = session.connection_to(request.host);
  connection.expires_after(request.time_allowed);
  if (!connection.is_open()) {
    if (auto failed = co_await connection.open(request.host, request.target)) co_return failed;
  }
  auto [error, sent] = co_await connection.send(request);
  if (error) co_return Failed{error, Step::send};
  if (connection.this_try().opened) co_await connection.wait_for_the_answer();  // holding no buffer meanwhile
  co_return co_await connection.receive(request);
}

// asyncio.gather(*tasks): a task (a lane) for each request, all started at
// once on one event loop, and the loop run until the last answer is in.
// With -c C, C lanes take turns at the requests, like an asyncio.Semaphore(C).
// The result holds every request's record, in the order they were asked for.
kit::RunResult gather(kit::async::Run& run) {
  boost::asio::io_context& loop = run.event_loop();                    // asyncio.get_event_loop()
  boost::asio::co_spawn(loop, run.lanes(fetch), kit::async::rethrow);  // the tasks: ensure_future(fetch(...))
  loop.run();                                                          // run_until_complete: until the last answer
  return run.take_result();
}

}  // namespace

int main(int argc, char** argv) {
  const kit::CommandLine command_line = kit::parse_client_command_line(kit::ClientKind::async, argc, argv);
  if (command_line.exit_code) return *command_line.exit_code;
  const kit::ClientOptions& options = command_line.options;
  if (options.merging()) return kit::merge_results(options, std::cout, std::cerr, kit::terminal_style(STDOUT_FILENO));
  if (!kit::room_for_connections(options.program, options.lanes(), std::cerr)) return 2;

  const auto run = kit::async::Run::prepare(options, std::cerr);  // TLS set up, hosts looked up
  if (!run) return 2;
  return kit::report_run(gather(*run), options, std::cout, std::cerr, kit::terminal_style(STDOUT_FILENO));
}
