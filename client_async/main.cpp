// client_async: the talk's async_client.py in C++. One thread, one event loop:
// every request is started at once, and while one waits for its answer the
// loop runs the others, so two one-second requests take one second.
//
//   time ./build/client_async             # ~1 s against ./build/server
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <deque>
#include <memory>
#include <utility>
#include <iostream>
#include <sstream>
#include <thread>
#include <vector>

#include "event_loop_types.hpp"
#include "fd_limit.hpp"
#include "options.hpp"
#include "progress.hpp"
#include "report.hpp"
#include "retry.hpp"
#include "run_plan.hpp"
#include "server_timing.hpp"
#include "tls_errors.hpp"
#include "units.hpp"

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;
using kit::Failure;

using kit::event_loop::Awaitable;
using kit::event_loop::Executor;
using kit::event_loop::no_throw;  // every co_await hands back an error code instead of throwing
using kit::event_loop::Socket;
using kit::event_loop::Timer;
using kit::event_loop::use_awaitable;

// A host the run talks to, looked up once for the whole run, as a
// connection pool would.
struct Host {
  std::string name, port;
  tcp::resolver::results_type addresses;
  std::string lookup_failure;  // why the name did not resolve; "" once it did
};

// One of the run's URLs: where it goes, and its request's bytes, written
// once by Beast and sent as they are by every request to it.
struct Url {
  const kit::HttpTarget& target;
  std::size_t host;  // in Run::hosts
  std::string request;
};

// What all the requests of a run share. With --loops, every loop's thread
// does: the plan and the progress line are made for that, the rest is only read.
struct Run {
  const kit::ClientOptions& options;
  std::vector<Host> hosts;
  std::vector<Url> urls;
  const kit::RunClock& clock;
  kit::RunPlan& plan;
  kit::ProgressLine& progress;
  asio::ssl::context* tls;  // for https://, else null
};

// What an answer's read buffer may hold: its headers, one chunk-size line
// with its extensions, or its trailer must fit. Beast before Boost 1.91
// bounds neither of the last two; a bounded buffer bounds all of them.
constexpr std::size_t most_header_bytes = 64 * 1024;
constexpr std::size_t read_buffer_limit = most_header_bytes + 1024;
constexpr int most_interim_answers = 16;  // 100 Continue and its kind, skipped

// A lane's connection. With keep-alive it carries one request after another,
// like an aiohttp ClientSession; without, every request opens its own.
// Connections outlive the event loop's run, so a deadline that fires late
// never finds its connection gone.
struct Connection {
  explicit Connection(const Executor& executor) : socket(executor), deadline(executor) {}
  Socket socket;
  std::optional<beast::ssl_stream<Socket&>> tls;  // https: TLS over `socket`
  beast::flat_buffer buffer{read_buffer_limit};  // the answer as it arrives, then any bytes after it
  Timer deadline;
  kit::Seconds allowed{};  // the try's time, for the message when it runs out
  bool open = false;
  bool timed_out = false;

  // Closes the socket if the try is not done within `allowed`: whatever
  // it is waiting for then ends with an error, and `timed_out` says why.
  void start_deadline(kit::Seconds time_allowed) {
    allowed = time_allowed;
    timed_out = false;
    deadline.expires_after(std::chrono::duration_cast<Timer::duration>(allowed));
    deadline.async_wait([this](beast::error_code cancelled) {
      // A wait that completed just before its request ended must not close
      // the next request's socket: only a deadline that is still set counts.
      if (cancelled || deadline.expiry() > Timer::clock_type::now()) return;
      timed_out = true;
      beast::error_code ignored;
      socket.close(ignored);
    });
  }
  void stop_deadline() { deadline.expires_at(Timer::time_point::max()); }

  void close() {
    tls.reset();
    beast::error_code ignored;
    socket.close(ignored);
    buffer = beast::flat_buffer(read_buffer_limit);  // an idle connection holds no buffer
    open = false;
  }
};

// A lane's connections, one for each host it has talked to, made when first
// needed: with several hosts, keep-alive keeps one connection per host.
struct LaneConnections {
  LaneConnections(const Executor& executor, std::size_t hosts) : executor(executor), by_host(hosts) {}
  Connection& to(std::size_t host) {
    if (!by_host[host]) by_host[host] = std::make_unique<Connection>(executor);
    return *by_host[host];
  }
  Executor executor;
  std::vector<std::unique_ptr<Connection>> by_host;
};

std::string serialize_request(const kit::HttpTarget& target, const kit::ClientOptions& options) {
  http::request<http::empty_body> request{http::verb::get, target.target, 11};
  request.set(http::field::host, target.host_header);
  request.set(http::field::user_agent, options.program);
  if (!options.keep_alive) request.set(http::field::connection, "close");
  std::ostringstream bytes;
  bytes << request;
  return bytes.str();
}

// How reading an answer ended; the answer itself goes into the record.
struct Answer {
  beast::error_code error;
  bool got_some = false;    // on error: some of the answer had arrived
  bool headers_in = false;  // on error: the headers had arrived
  bool keep_alive = false;  // the server will take another request on this connection
};

// Names what went wrong, in the words a load tool counts. `answer` says how
// much of the response had arrived when the connection ended.
void failed(kit::RequestRecord& record, beast::error_code error, const Run& run, Connection& connection,
            const kit::HttpTarget& target, const Answer& answer = {}) {
  record.end = run.clock.now();
  record.answer_started = answer.got_some;
  connection.stop_deadline();
  const bool timed_out = connection.timed_out;
  const bool headers_in = answer.headers_in;
  connection.close();
  if (timed_out) {
    record.fail(Failure::timeout, run.plan.timeout_message(connection.allowed));
  } else if (error == asio::error::connection_refused) {
    record.fail(Failure::refused, "connection refused (" + target.host_header + ")");
  } else if (error == asio::error::connection_reset || error == asio::error::broken_pipe) {
    record.fail(Failure::reset, "connection reset by the server");
  } else if (error == http::error::partial_message && headers_in) {
    record.fail(Failure::reset, "truncated body: the connection closed before the body's end");
  } else if (error == http::error::end_of_stream || error == http::error::partial_message ||
             error == asio::error::eof || error == asio::ssl::error::stream_truncated) {
    record.fail(Failure::reset, "connection closed before the response headers");
  } else if (error == http::error::buffer_overflow) {
    record.fail(Failure::bad_response, headers_in ? "bad HTTP response: a chunk-size line or trailer over 64 KiB"
                                                  : "bad HTTP response: headers over 64 KiB");
  } else if (error == http::error::body_limit) {
    record.fail(Failure::too_large, "body larger than --max-body (" +
                                        std::to_string(run.options.max_body) + " bytes)");
  } else if (error.category() == make_error_code(http::error::end_of_stream).category()) {
    record.fail(Failure::bad_response, "bad HTTP response: " + error.message());
  } else {
    record.fail(Failure::other, error.message());
  }
}

// https: the TLS handshake, with SNI, checking that the certificate is for
// the host we asked for (OpenSSL's own host-name check).
Awaitable<beast::error_code> start_tls(Run& run, Connection& connection, const std::string& host) {
  connection.tls.emplace(connection.socket, *run.tls);
  SSL* ssl = connection.tls->native_handle();
  beast::error_code not_an_address;
  asio::ip::make_address(host, not_an_address);
  if (not_an_address) {
    SSL_set_tlsext_host_name(ssl, host.c_str());
    SSL_set1_host(ssl, host.c_str());
  } else {
    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host.c_str());
  }
  auto [error] = co_await connection.tls->async_handshake(asio::ssl::stream_base::client, no_throw);
  co_return error;
}

void tls_failed(kit::RequestRecord& record, beast::error_code error, const Run& run, Connection& connection,
                const kit::HttpTarget& target) {
  if (connection.timed_out) return failed(record, error, run, connection, target);
  const long verified = SSL_get_verify_result(connection.tls->native_handle());
  record.end = run.clock.now();
  if (verified != X509_V_OK) {
    record.fail(Failure::tls, kit::describe_certificate_problem(verified));
  } else {
    record.fail(Failure::tls, "TLS handshake failed (" + error.message() + "): does the server speak TLS?");
  }
  connection.stop_deadline();
  connection.close();
}

// Sends the request, over TLS or plain TCP.
Awaitable<beast::error_code> send(Connection& connection, const std::string& request) {
  auto [error, sent] = connection.tls
                           ? co_await asio::async_write(*connection.tls, asio::buffer(request), no_throw)
                           : co_await asio::async_write(connection.socket, asio::buffer(request), no_throw);
  co_return error;
}

// Keeps what the record needs of a complete answer.
Answer take_answer(http::response<http::string_body>& response, kit::RequestRecord& record) {
  const auto [first, last] = response.equal_range("Server-Timing");
  kit::read_server_timing(record, first, last, [](const auto& field) { return field.value(); });
  record.retry_after = kit::parse_retry_after(response[http::field::retry_after], std::chrono::system_clock::now());
  const bool keep_alive = response.keep_alive();
  record.set_response(response.result_int(), std::move(response.body()), response[http::field::location]);
  return Answer{{}, true, true, keep_alive};
}

// Reads one HTTP response into the record, past any interim 1xx answers
// (100 Continue, 103 Early Hints). The parser lives only while the bytes come in.
Awaitable<Answer> read_answer(Connection& connection, kit::RequestRecord& record, std::size_t max_body) {
  for (int interim = 0;; ++interim) {
    http::response_parser<http::string_body> response;
    response.header_limit(most_header_bytes);
    response.body_limit(max_body);
    auto [error, received] =
        connection.tls ? co_await http::async_read(*connection.tls, connection.buffer, response, no_throw)
                       : co_await http::async_read(connection.socket, connection.buffer, response, no_throw);
    if (error) co_return Answer{error, response.got_some() || interim > 0, response.is_header_done()};
    const int status = response.get().result_int();
    if (status >= 200 || status == 101) co_return take_answer(response.get(), record);
    if (interim == most_interim_answers) co_return Answer{http::error::bad_status, true, true};
  }
}


// One GET, like the talk's `async def fetch(url)`. At each co_await this
// coroutine waits and the event loop runs the others. What happens goes into
// the caller's record: a coroutine's frame keeps room for its result, so
// returning the record had every waiting request hold two of them.
Awaitable<void> fetch(Run& run, Connection& connection, const kit::HttpTarget& target, const Host& host,
                      const std::string& request, kit::RequestRecord& record) {
  if (!host.lookup_failure.empty()) {  // looked up once for the run, and it did not resolve
    record.end = record.start;
    co_return record.fail(Failure::dns, host.lookup_failure);
  }
  connection.start_deadline(run.plan.time_allowed(record.began()));  // one deadline for the whole try

  if (!connection.open) {
    auto [connect_error, address] = co_await asio::async_connect(connection.socket, host.addresses, no_throw);
    if (connect_error) co_return failed(record, connect_error, run, connection, target);
    record.connect = run.clock.now() - record.start;
    if (target.tls) {
      if (const auto tls_error = co_await start_tls(run, connection, target.host)) {
        co_return tls_failed(record, tls_error, run, connection, target);
      }
      record.handshake = run.clock.now() - record.start - record.connect;
    }
    connection.open = record.new_connection = true;
  }

  // Send the request. On a new connection, wait for the answer's first bytes
  // before making room for it: while the server takes its time, a request
  // holds no buffer and no parser. A kept-alive connection has its buffer
  // already; reading at once there spares the system call a wait costs.
  if (const auto send_error = co_await send(connection, request)) {
    co_return failed(record, send_error, run, connection, target);
  }
  if (record.new_connection) {
    auto [wait_error] = co_await connection.socket.async_wait(Socket::wait_read, no_throw);
    if (wait_error) co_return failed(record, wait_error, run, connection, target);
  }
  const Answer answer = co_await read_answer(connection, record, run.options.max_body);
  if (answer.error) co_return failed(record, answer.error, run, connection, target, answer);

  connection.stop_deadline();
  record.end = run.clock.now();
  if (connection.buffer.size() > 0) {
    // We never send a second request before the first answer is in, so
    // bytes after the body mean the body was longer than Content-Length said.
    record.fail(Failure::bad_response, std::to_string(connection.buffer.size()) +
                                           " bytes after the body: Content-Length was too small");
    connection.close();
  } else if (!answer.keep_alive || connection.timed_out) {
    connection.close();
  }
}

// --follow: asks again where a redirect points, as long as that is the same
// scheme, host and port (the host was looked up once for the run). Returns
// false, with the reason in the record, when it cannot.
Awaitable<bool> follow(Run& run, Connection& connection, const Url& url, kit::RequestRecord& record) {
  const kit::RedirectStep step = kit::next_redirect(url.target, record.location, record.status);
  if (!step.next) {
    record.fail(step.bad_location ? Failure::bad_response : Failure::redirect, step.refusal);
    co_return false;
  }
  const kit::HttpTarget& next = *step.next;
  kit::RequestRecord hop = kit::try_again_now(record, run.clock.now());
  co_await fetch(run, connection, next, run.hosts[url.host], serialize_request(next, run.options), hop);
  hop.start = record.start;  // the try's time includes every hop
  record = std::move(hop);
  co_return true;
}

// What a browser does after some answers: a kept-alive connection that the
// server had closed is opened again, and --follow follows redirects.
bool needs_a_second_look(const Run& run, const kit::RequestRecord& record) {
  const bool stale_connection = record.failure == Failure::reset && !record.new_connection &&
                                !record.answer_started && run.plan.running();
  return stale_connection || (run.options.follow && record.failure == Failure::redirect);
}

// Its own coroutine, entered only when needed: a waiting request's frame
// stays small (at 10,000 in flight, every 100 bytes are 1 MB).
Awaitable<void> take_a_second_look(Run& run, Connection& connection, const Url& url, kit::RequestRecord& record) {
  if (record.failure == Failure::reset) {
    // The server closed a kept-alive connection while it sat idle (nginx
    // does after 1000 requests): open a new one and ask again.
    record = kit::try_again_now(record, run.clock.now());
    co_await fetch(run, connection, url.target, run.hosts[url.host], url.request, record);
  }
  for (int hops = 0; run.options.follow && record.failure == Failure::redirect; ++hops) {
    if (hops == kit::most_redirects) {
      record.error = "more than " + std::to_string(kit::most_redirects) + " redirects, last to " + record.location;
      break;
    }
    if (!co_await follow(run, connection, url, record)) break;
  }
}

// Waits until `when`, letting the event loop run the others meanwhile: asyncio.sleep.
Awaitable<void> sleep_until(kit::Clock::time_point when) {
  Timer timer(co_await asio::this_coro::executor, when);
  co_await timer.async_wait(no_throw);
}

// One lane: fetches the next request until the plan says stop. C lanes keep
// at most C requests in flight, like asyncio.Semaphore(C); by default there
// is a lane per request, so all of them start at once. With --rate a lane
// waits for its request's due time; with --retry it waits and asks again.
Awaitable<void> lane(int lane_number, Run& run, LaneConnections& connections) {
  while (const auto ticket = run.plan.next()) {
    if (ticket->due) co_await sleep_until(run.clock.at(*ticket->due));
    kit::RequestRecord record = kit::first_try(*ticket, lane_number, run.clock.now());
    const Url& url = run.urls[static_cast<std::size_t>(ticket->url)];
    Connection& connection = connections.to(url.host);
    for (;;) {
      co_await fetch(run, connection, url.target, run.hosts[url.host], url.request, record);
      if (needs_a_second_look(run, record)) co_await take_a_second_look(run, connection, url, record);
      const auto wait = run.plan.retry_wait(record);
      if (!wait) break;
      run.plan.retry(record);
      co_await sleep_until(kit::Clock::now() + std::chrono::duration_cast<kit::Clock::duration>(*wait));
      record.start = run.clock.now();
    }
    run.progress.count(record);
    run.plan.finish(std::move(record));
  }
}

void rethrow(const std::exception_ptr& error) {
  if (error) std::rethrow_exception(error);
}

// An event loop and the connections of its lanes, which outlive its run.
struct EventLoop {
  asio::io_context context{1};  // run by one thread
  std::deque<LaneConnections> connections;
};

// Lanes start a batch at a time, with a turn of the event loop in between,
// so the first requests are on their way while later connections are still
// being opened, and their answers come back as evenly as they went out.
// Starting all 10,000 before the loop's first look at the sockets made the
// whole run about 0.15 s longer.
constexpr int lanes_per_batch = 16;

// Starts lanes on a loop, from its first batch on, until every lane has
// started. Later batches come from one counter that all loops share, so a
// loop that gets less CPU time takes fewer lanes instead of finishing last.
Awaitable<void> start_lanes(Run& run, EventLoop& loop, int first_lane, std::atomic<int>& next_batch) {
  const auto executor = co_await asio::this_coro::executor;
  for (int batch = first_lane; batch <= run.options.lanes(); batch = next_batch.fetch_add(lanes_per_batch)) {
    const int last_lane = std::min(batch + lanes_per_batch - 1, run.options.lanes());
    for (int lane_number = batch; lane_number <= last_lane; ++lane_number) {
      loop.connections.emplace_back(executor, run.hosts.size());
      asio::co_spawn(executor, lane(lane_number, run, loop.connections.back()), rethrow);
    }
    co_await asio::post(executor, use_awaitable);
  }
}

// Runs the lanes on --loops event loops, each on a thread of its own, and
// returns when every lane is done: asyncio.gather. One loop, the default, is
// the talk's single thread. Opening a connection is mostly the kernel's work,
// and a loop does it on one core: with 10,000 at once, one loop sends them
// in about 0.4 s and two loops on two cores in about 0.25 s. Each loop is
// handed its first batch here, so every thread has work from the start.
void run_lanes(Run& run, std::deque<EventLoop>& loops) {
  std::atomic<int> next_batch = 1;
  for (EventLoop& loop : loops) {
    asio::co_spawn(loop.context, start_lanes(run, loop, next_batch.fetch_add(lanes_per_batch), next_batch),
                   rethrow);
  }
  std::vector<std::jthread> helpers;
  for (std::size_t k = 1; k < loops.size(); ++k) helpers.emplace_back([&loop = loops[k]] { loop.context.run(); });
  loops.front().context.run();
}  // the helpers join here

// What a lookup found, or why it found nothing.
void looked_up(Host& host, beast::error_code error, tcp::resolver::results_type addresses) {
  if (error) {
    host.lookup_failure = "cannot resolve host '" + host.name + "'";
  } else {
    host.addresses = std::move(addresses);
  }
}

Awaitable<void> look_up(Host& host) {
  asio::ip::basic_resolver<tcp, Executor> resolver(co_await asio::this_coro::executor);
  auto [error, addresses] = co_await resolver.async_resolve(host.name, host.port, no_throw);
  looked_up(host, error, std::move(addresses));
}

// Looks every host up at once, before the first request, and waits for the
// answers: a name that does not resolve fails only its own URLs' requests.
// One host has nothing to wait beside: a blocking lookup then spares the
// thread Asio starts to run getaddrinfo for async_resolve (0.25 ms of start-up).
void look_up_hosts(std::vector<Host>& hosts, asio::io_context& context) {
  if (hosts.size() == 1) {
    beast::error_code error;
    auto addresses = tcp::resolver(context).resolve(hosts.front().name, hosts.front().port, error);
    return looked_up(hosts.front(), error, std::move(addresses));
  }
  for (Host& host : hosts) asio::co_spawn(context, look_up(host), rethrow);
  context.run();
  context.restart();
}

// Certificates are checked against the system's CAs, or --cacert's.
asio::ssl::context make_tls_context(const kit::ClientOptions& options) {
  asio::ssl::context context(asio::ssl::context::tls_client);
  if (options.insecure) {
    context.set_verify_mode(asio::ssl::verify_none);
  } else {
    context.set_verify_mode(asio::ssl::verify_peer);
    if (options.ca_file.empty()) {
      context.set_default_verify_paths();
    } else {
      context.load_verify_file(options.ca_file);
    }
  }
  return context;
}

}  // namespace

int main(int argc, char** argv) {
  const kit::CommandLine command_line =
      kit::parse_client_command_line(kit::ClientKind::async, argc, argv);
  if (command_line.exit_code) return *command_line.exit_code;
  const kit::ClientOptions& options = command_line.options;
  if (const int fit = kit::make_room_for_connections(options.lanes()); fit < options.lanes()) {
    std::cerr << options.program << ": " << kit::too_few_descriptors(options.lanes(), fit) << ", or use fewer\n";
    return 2;
  }

  std::optional<asio::ssl::context> tls;
  if (options.any_https()) {
    try {
      tls.emplace(make_tls_context(options));
    } catch (const boost::system::system_error& e) {
      std::cerr << options.program << ": --cacert " << options.ca_file << ": not a PEM certificate file ("
                << e.code().message() << ")\n";
      return 2;
    }
  }

  std::deque<EventLoop> loops(static_cast<std::size_t>(options.loops));
  const kit::RunClock clock;
  kit::RunPlan plan(options, clock);
  kit::ProgressLine progress(options.duration ? 0 : options.requests, clock);
  Run run{options, {}, {}, clock, plan, progress, tls ? &*tls : nullptr};
  for (const kit::HttpTarget& target : options.targets) {
    auto host = std::find_if(run.hosts.begin(), run.hosts.end(),
                             [&](const Host& h) { return h.name == target.host && h.port == target.port; });
    if (host == run.hosts.end()) host = run.hosts.insert(run.hosts.end(), Host{target.host, target.port});
    const auto host_index = static_cast<std::size_t>(host - run.hosts.begin());
    run.urls.push_back(Url{target, host_index, serialize_request(target, options)});
  }
  look_up_hosts(run.hosts, loops.front().context);

  if (std::all_of(run.hosts.begin(), run.hosts.end(), [](const Host& h) { return !h.lookup_failure.empty(); })) {
    while (const auto ticket = plan.next()) {  // nothing to connect to: a line for each request
      kit::RequestRecord record = kit::first_try(*ticket, 1, clock.now());
      record.end = record.start;
      record.fail(Failure::dns, run.hosts[run.urls[static_cast<std::size_t>(ticket->url)].host].lookup_failure);
      plan.finish(std::move(record));
      if (options.duration) break;  // one line says it all
    }
  } else {
    run_lanes(run, loops);
  }

  return kit::report_run(plan.take_result(clock.now()), options, std::cout,
                         std::cerr, kit::terminal_style(STDOUT_FILENO));
}
