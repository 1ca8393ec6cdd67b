// client_async: the talk's async_client.py in C++. One thread, one event loop:
// every request is started at once, and while one waits for its answer the
// loop runs the others, so two one-second requests take one second.
//
//   time ./build/client_async             # ~1 s against ./build/server
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <unistd.h>
#include <iostream>
#include <vector>

#include "options.hpp"
#include "progress.hpp"
#include "report.hpp"
#include "units.hpp"

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;
using kit::Failure;

// Every co_await hands back an error code instead of throwing.
constexpr auto no_throw = asio::as_tuple(asio::use_awaitable);

// Names what went wrong, in the words a load tool counts.
kit::RequestRecord& failed(kit::RequestRecord& record, beast::error_code error,
                           const kit::ClientOptions& options, const kit::RunClock& clock) {
  record.end = clock.now();
  if (error == beast::error::timeout) {
    record.fail(Failure::timeout, "timed out after " + kit::format_number(options.timeout) + " s");
  } else if (error == asio::error::connection_refused) {
    record.fail(Failure::refused, "connection refused (" + options.target.host_header + ")");
  } else if (error == http::error::end_of_stream || error == asio::error::eof ||
             error == asio::error::connection_reset || error == http::error::partial_message) {
    record.fail(Failure::reset, "connection closed before a complete answer");
  } else if (error.category() == make_error_code(http::error::end_of_stream).category()) {
    record.fail(Failure::bad_response, "bad HTTP response: " + error.message());
  } else {
    record.fail(Failure::other, error.message());
  }
  return record;
}

// One GET, like the talk's `async def fetch(url)`. At each co_await this
// coroutine waits and the event loop runs the others.
asio::awaitable<kit::RequestRecord> fetch(const kit::ClientOptions& options,
                                          const tcp::resolver::results_type& addresses,
                                          int number, int lane, const kit::RunClock& clock) {
  kit::RequestRecord record{.number = number, .lane = lane, .start = clock.now()};
  const kit::HttpTarget& target = options.target;

  beast::tcp_stream stream(co_await asio::this_coro::executor);
  stream.expires_after(std::chrono::duration_cast<std::chrono::steady_clock::duration>(
      std::chrono::duration<double>(options.timeout)));  // one deadline for the whole request

  auto [connect_error, address] = co_await stream.async_connect(addresses, no_throw);
  if (connect_error) co_return failed(record, connect_error, options, clock);

  http::request<http::empty_body> request{http::verb::get, target.target, 11};
  request.set(http::field::host, target.host_header);
  request.set(http::field::user_agent, "client_async");
  request.set(http::field::connection, "close");
  auto [send_error, sent] = co_await http::async_write(stream, request, no_throw);
  if (send_error) co_return failed(record, send_error, options, clock);

  beast::flat_buffer buffer;
  http::response<http::string_body> response;
  auto [receive_error, received] = co_await http::async_read(stream, buffer, response, no_throw);
  if (receive_error) co_return failed(record, receive_error, options, clock);

  record.end = clock.now();
  record.set_response(response.result_int(), std::move(response.body()));
  co_return record;
}

// One lane: fetches the next request until none are left. C lanes keep at
// most C requests in flight, like asyncio.Semaphore(C); by default there is
// a lane per request, so all of them start at once.
struct Run {
  const kit::ClientOptions& options;
  const tcp::resolver::results_type& addresses;
  const kit::RunClock& clock;
  std::vector<kit::RequestRecord>& records;
  kit::ProgressLine& progress;
  int next = 0;  // the next request to start; one thread, so no lock
};

asio::awaitable<void> lane(int lane_number, Run& run) {
  for (int i; (i = run.next++) < run.options.requests;) {
    run.records[i] = co_await fetch(run.options, run.addresses, i + 1, lane_number, run.clock);
    run.progress.count(run.records[i]);
  }
}

void rethrow(const std::exception_ptr& error) {
  if (error) std::rethrow_exception(error);
}

}  // namespace

int main(int argc, char** argv) {
  const kit::CommandLine command_line =
      kit::parse_client_command_line(kit::ClientKind::async, argc, argv);
  if (command_line.exit_code) return *command_line.exit_code;
  const kit::ClientOptions& options = command_line.options;

  asio::io_context event_loop(1);
  const kit::RunClock clock;
  std::vector<kit::RequestRecord> records(options.requests);

  // Look the host up once for the whole run, as a connection pool would.
  beast::error_code resolve_error;
  const auto addresses = tcp::resolver(event_loop).resolve(options.target.host, options.target.port,
                                                           resolve_error);
  if (resolve_error) {
    for (int i = 0; i < options.requests; ++i) {
      records[i] = {.number = i + 1, .lane = 1, .start = clock.now(), .end = clock.now()};
      records[i].fail(Failure::dns, "cannot resolve host '" + options.target.host + "'");
    }
  } else {
    kit::ProgressLine progress(options.requests, clock);
    Run run{options, addresses, clock, records, progress};
    for (int lane_number = 1; lane_number <= options.concurrency; ++lane_number) {
      asio::co_spawn(event_loop, lane(lane_number, run), rethrow);
    }
    event_loop.run();  // returns when every lane is done: asyncio.gather
  }

  return kit::report_run(records, clock.now(), options, std::cout, std::cerr,
                         kit::terminal_style(STDOUT_FILENO));
}
