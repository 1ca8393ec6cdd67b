#include "async_run.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <openssl/x509_vfy.h>

#include <algorithm>
#include <atomic>
#include <ostream>
#include <sstream>
#include <thread>

#include "http2_connection.hpp"
#include "http2_errors.hpp"
#include "platform.hpp"
#include "request_messages.hpp"
#include "retry.hpp"
#include "tls_errors.hpp"
#include "units.hpp"

namespace kit::async {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;
using event_loop::no_throw;
using event_loop::Timer;

namespace {

// Names what ended a try, in the words a load tool counts.
void name_failure(RequestRecord& record, const Response& response, const Run& run, const HttpTarget& target,
                  Seconds allowed, Connection& connection) {
  const bool timed_out = connection.this_try().timed_out;
  const long certificate_check = connection.certificate_check();
  const ErrorCode error = response.error;
  if (timed_out || error == asio::error::timed_out) {
    record.fail(Failure::timeout, run.plan.timeout_message(allowed));
  } else if (response.failed_in == Step::tls) {
    record.fail(Failure::tls, certificate_check != X509_V_OK
                                  ? describe_certificate_problem(certificate_check)
                                  : "TLS handshake failed (" + error.message() + "): does the server speak TLS?");
  } else if (error.category() == http2_category()) {
    record.fail(http2_failure(error), error.message());
  } else if (error == asio::error::connection_refused) {
    record.fail(Failure::refused, "connection refused (" + target.host_header + ")");
  } else if (error == asio::error::connection_reset || error == asio::error::broken_pipe) {
    record.fail(Failure::reset, "connection reset by the server");
  } else if (error == http::error::partial_message && response.headers_in) {
    record.fail(Failure::reset, "truncated body: the connection closed before the body's end");
  } else if (error == http::error::end_of_stream || error == http::error::partial_message ||
             error == asio::error::eof || error == asio::ssl::error::stream_truncated) {
    record.fail(Failure::reset, "connection closed before the response headers");
  } else if (error == http::error::buffer_overflow) {
    record.fail(Failure::bad_response, response.headers_in
                                           ? "bad HTTP response: a chunk-size line or trailer over 64 KiB"
                                           : "bad HTTP response: headers over 64 KiB");
  } else if (error == http::error::body_limit) {
    record.fail(Failure::too_large, "body larger than --max-body (" + std::to_string(run.options.max_body) + " bytes)");
  } else if (error.category() == make_error_code(http::error::end_of_stream).category()) {
    record.fail(Failure::bad_response, "bad HTTP response: " + error.message());
  } else {
    record.fail(Failure::other, error.message());
  }
}

// Puts what a try fetched into its record, and closes the connection unless
// it can carry the next request.
void take_response(RequestRecord& record, Response response, const Run& run, Connection& connection,
                   const HttpTarget& target, Seconds allowed) {
  record.end = run.clock.now();
  record.new_connection = connection.this_try().opened;
  record.connect = connection.this_try().connect_time;
  record.handshake = connection.this_try().handshake_time;
  record.connection = connection.number();
  record.http2 = connection.speaks_http2();
  record.held_by_stream_limit = connection.this_try().held;
  record.answer_started = response.got_some;
  const bool reusable = response.ok() && response.answer->keep_alive;
  if (Answer* answer = response.answer.get()) {
    record.server_queue = answer->server_queue;
    record.server_app = answer->server_app;
    record.retry_after = answer->retry_after;
    record.set_response(answer->status, std::move(answer->body), answer->location);
    record.include_head(answer->status_and_headers);
  }
  if (response.failed_in == Step::after_body) {
    record.fail(Failure::bad_response,
                std::to_string(connection.bytes_after_body()) + " bytes after the body: Content-Length was too small");
  } else if (!response.ok()) {
    name_failure(record, response, run, target, allowed, connection);
  }
  connection.end_try(reusable);
}

// False, with the lookup's failure in the record, when the host did not
// resolve (it was looked up once for the run).
bool resolved(const Host& host, RequestRecord& record) {
  if (host.lookup_failure.empty()) return true;
  record.end = record.start;
  record.fail(Failure::dns, host.lookup_failure);
  return false;
}

Clock::duration as_deadline(Seconds allowed) { return std::chrono::duration_cast<Clock::duration>(allowed); }

// One try of a reconnect or a redirect's hop. The lane's first try does the
// same in place: a coroutine of its own would make every waiting request's
// frames larger.
Awaitable<void> try_one_hop(Run& run, Session& session, const HttpTarget& target, const Host& host,
                            const RequestBytes& bytes, bool head, RequestRecord& record) {
  if (!resolved(host, record)) co_return;
  const Seconds allowed = run.plan.time_allowed(record.began());
  const Request request{
      host, target, bytes.http1, run.options.max_body, head, run.options.include, as_deadline(allowed), bytes.http2};
  take_response(record, co_await run.fetch(session, request), run, session.connection_to(host), target, allowed);
}

// --follow: asks again where a redirect points, resolved against `at`, the
// URL that answered, as long as that is the same scheme, host and port;
// `at` becomes the next hop. Returns false, with the reason in the record, when it cannot.
Awaitable<bool> follow(Run& run, Session& session, const Url& url, RequestRecord& record, HttpTarget& at, int hops) {
  std::optional<HttpTarget> next = next_hop(record, at, hops);
  if (!next) co_return false;
  at = std::move(*next);
  RequestRecord hop = try_again_now(record, run.clock.now());
  const std::string http1 = http1_request(at, url.shape, run.options);
  std::optional<Http2Message> http2;
  if (run.options.http2) http2 = http2_request(at, url.shape, run.options);
  co_await try_one_hop(run, session, at, run.hosts[url.host], RequestBytes{http1, http2 ? &*http2 : nullptr},
                       url.shape.is_head(), hop);
  hop.start = record.start;  // the try's time includes every hop
  record = std::move(hop);
  co_return true;
}

// What a browser does after some answers: a kept-alive connection that the
// server had closed is opened again, and --follow follows redirects.
bool needs_reconnect_or_follow(const Run& run, const RequestRecord& record) {
  return ask_again_on_a_new_connection(record, run.plan.running()) ||
         (run.options.follow && record.failure == Failure::redirect);
}

// Its own coroutine, entered only when needed: a waiting request's frame
// stays small.
Awaitable<void> reconnect_or_follow(Run& run, Session& session, const Url& url, RequestRecord& record) {
  if (ask_again_on_a_new_connection(record, run.plan.running())) {
    record = try_again_now(record, run.clock.now());
    const RequestBytes bytes{url.request, url.http2 ? &*url.http2 : nullptr};
    co_await try_one_hop(run, session, url.target, run.hosts[url.host], bytes, url.shape.is_head(), record);
  }
  HttpTarget at = url.target;  // each hop resolves against the one before
  for (int hops = 0; run.options.follow && record.failure == Failure::redirect; ++hops) {
    if (!co_await follow(run, session, url, record, at, hops)) break;
  }
}

// Waits until `when`, letting the event loop run the others meanwhile: asyncio.sleep.
Awaitable<void> sleep_until(Clock::time_point when) {
  Timer timer(co_await asio::this_coro::executor, when);
  co_await timer.async_wait(no_throw);
}

// One lane: fetches the next request until the plan says stop. C lanes keep
// at most C requests in flight, like asyncio.Semaphore(C); by default there
// is a lane per request, so all of them start at once. With --rate a lane
// waits for its request's due time; with --retry it waits and asks again.
Awaitable<void> lane(int lane_number, Run& run, Session& session) {
  while (const auto ticket = run.plan.next()) {
    if (ticket->due) co_await sleep_until(run.clock.at(*ticket->due));
    RequestRecord record = first_try(*ticket, lane_number, run.clock.now());
    const Url& url = run.urls[static_cast<std::size_t>(ticket->url)];
    Request request = run.requests[static_cast<std::size_t>(ticket->url)];
    for (;;) {
      if (resolved(request.host, record)) {
        const Seconds allowed = run.plan.time_allowed(record.began());
        request.time_allowed = as_deadline(allowed);
        take_response(record, co_await run.fetch(session, request), run, session.connection_to(request.host),
                      url.target, allowed);
      }
      if (needs_reconnect_or_follow(run, record)) co_await reconnect_or_follow(run, session, url, record);
      const auto wait = run.plan.retry_wait(record);
      if (!wait) break;
      run.plan.retry(record);
      co_await sleep_until(Clock::now() + std::chrono::duration_cast<Clock::duration>(*wait));
      record.start = run.clock.now();
    }
    run.progress.count(record);
    run.plan.finish(std::move(record));
  }
}

// Lanes start a batch at a time, with a turn of the event loop in between,
// so the first requests are on their way while later connections are still
// being opened, and their answers come back as evenly as they went out.
constexpr int lanes_per_batch = 16;

// Starts lanes on a loop, from its first batch on, until every lane has
// started. Later batches come from one counter that all loops share, so a
// loop that gets less CPU time takes fewer lanes instead of finishing last.
Awaitable<void> start_batches(Run& run, EventLoop& loop, int first_lane, std::atomic<int>& next_batch) {
  const auto executor = co_await asio::this_coro::executor;
  for (int batch = first_lane; batch <= run.options.lanes(); batch = next_batch.fetch_add(lanes_per_batch)) {
    const int last_lane = std::min(batch + lanes_per_batch - 1, run.options.lanes());
    for (int lane_number = batch; lane_number <= last_lane; ++lane_number) {
      Http2Pool* http2 = loop.http2 ? &*loop.http2 : nullptr;
      loop.sessions.emplace_back(executor, run.hosts.size(), run.connection_setup(), http2, lane_number - 1);
      ++loop.running_lanes;
      asio::co_spawn(executor, lane(lane_number, run, loop.sessions.back()), [&loop](const std::exception_ptr& error) {
        // The last lane's end is the loop's: its HTTP/2 connections say GOAWAY and close.
        if (--loop.running_lanes == 0 && loop.http2) loop.http2->close_all();
        rethrow(error);
      });
    }
    co_await asio::post(executor, event_loop::use_awaitable);
  }
}

// What a lookup found, or why it found nothing. localhost is both loopback
// addresses, whatever the system's lookup gave.
void looked_up(Host& host, const tcp::resolver::results_type& addresses) {
  for (const auto& found : addresses) host.addresses.push_back(found.endpoint());
  if (names_this_machine(host.name)) {
    for (const char* loopback : {"127.0.0.1", "::1"}) {
      const tcp::endpoint endpoint(asio::ip::make_address(loopback), static_cast<unsigned short>(std::stoi(host.port)));
      if (std::find(host.addresses.begin(), host.addresses.end(), endpoint) == host.addresses.end()) {
        host.addresses.push_back(endpoint);
      }
    }
  }
  if (host.addresses.empty()) host.lookup_failure = "cannot resolve host '" + host.name + "'";
}

Awaitable<void> look_up(Host& host) {
  asio::ip::basic_resolver<tcp, Executor> resolver(co_await asio::this_coro::executor);
  auto [error, addresses] = co_await resolver.async_resolve(host.name, host.port, no_throw);
  looked_up(host, addresses);  // a failed lookup has no address
}

// Looks every host up at once, before the first request, and waits for the
// answers: a name that does not resolve fails only its own URLs' requests.
// One host has nothing to wait beside: a blocking lookup then spares the
// thread Asio starts to run getaddrinfo for async_resolve.
void look_up_hosts(std::vector<Host>& hosts, asio::io_context& context) {
  if (hosts.size() == 1) {
    ErrorCode error;
    auto addresses = tcp::resolver(context).resolve(hosts.front().name, hosts.front().port, error);
    return looked_up(hosts.front(), addresses);
  }
  for (Host& host : hosts) asio::co_spawn(context, look_up(host), rethrow);
  context.run();
  context.restart();
}

// Certificates are checked against the system's CAs, or --cacert's.
asio::ssl::context make_tls_context(const ClientOptions& options) {
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

void rethrow(const std::exception_ptr& error) {
  if (error) std::rethrow_exception(error);
}

Run::Run(const ClientOptions& options)
    : options(options),
      clock(options.start_at ? RunClock(*options.start_at) : RunClock()),
      plan(options, clock),
      progress(options.duration ? 0 : static_cast<int>(share_of_requests(options.requests, options.shard)), clock),
      loops(static_cast<std::size_t>(options.loops)) {
  for (std::size_t k = 0; k < options.targets.size(); ++k) {
    const HttpTarget& target = options.targets[k];
    const RequestShape& shape = options.shapes[k];
    auto host = std::find_if(hosts.begin(), hosts.end(),
                             [&](const Host& h) { return h.name == target.host && h.port == target.port; });
    if (host == hosts.end()) host = hosts.insert(hosts.end(), Host{target.host, target.port, hosts.size()});
    urls.push_back(
        Url{target, shape, static_cast<std::size_t>(host - hosts.begin()), http1_request(target, shape, options)});
    if (options.http2) urls.back().http2 = http2_request(target, shape, options);
  }
  for (const Url& url : urls) {
    requests.push_back(Request{hosts[url.host],
                               url.target,
                               url.request,
                               options.max_body,
                               url.shape.is_head(),
                               options.include,
                               {},
                               url.http2 ? &*url.http2 : nullptr});
  }
}

namespace {

// --start-at: every shard starts its run at the same moment, ready to send.
bool wait_for_the_start(const RunClock& clock, const ClientOptions& options, std::ostream& errors) {
  const Clock::time_point start = clock.at(Seconds(0));
  if (Clock::now() > start) {
    errors << options.program << ": --start-at: the start passed "
           << format_number(Seconds(Clock::now() - start).count(), 3) << " s ago, while preparing\n";
    return false;
  }
  std::this_thread::sleep_until(start);
  return true;
}

}  // namespace

ConnectionSetup Run::connection_setup(bool for_http2) {
  return ConnectionSetup{tls ? &*tls : nullptr, &connection_numbers, for_http2};
}

std::unique_ptr<Run> Run::prepare(const ClientOptions& options, std::ostream& errors) {
  auto run = std::make_unique<Run>(options);
  if (options.any_https()) {
    try {
      run->tls.emplace(make_tls_context(options));
    } catch (const boost::system::system_error& e) {
      errors << options.program << ": --cacert " << options.ca_file << ": not a PEM certificate file ("
             << e.code().message() << ")\n";
      return nullptr;
    }
  }
  look_up_hosts(run->hosts, run->loops.front().context);
  if (options.http2) {
    for (std::size_t k = 0; k < run->loops.size(); ++k) {
      EventLoop& loop = run->loops[k];
      const int loops = static_cast<int>(run->loops.size()), of_this_loop = static_cast<int>(k);
      const int connections = std::max(1, options.connections / loops + (of_this_loop < options.connections % loops));
      loop.http2.emplace(loop.context.get_executor(), run->connection_setup(true), run->hosts.size(), connections);
    }
  }
  if (options.start_at && !wait_for_the_start(run->clock, options, errors)) return nullptr;
  return run;
}

bool Run::every_lookup_failed() const {
  return std::all_of(hosts.begin(), hosts.end(), [](const Host& h) { return !h.lookup_failure.empty(); });
}

// Nothing to connect to: a line for each request, at once.
void Run::fail_every_request() {
  while (const auto ticket = plan.next()) {
    RequestRecord record = first_try(*ticket, 1, clock.now());
    record.end = record.start;
    record.fail(Failure::dns, hosts[urls[static_cast<std::size_t>(ticket->url)].host].lookup_failure);
    plan.finish(std::move(record));
    if (options.duration) break;  // one line says it all
  }
}

Awaitable<void> Run::lanes(Fetch lane_fetch) {
  fetch = lane_fetch;
  if (every_lookup_failed()) co_return fail_every_request();
  // Each loop is handed its first batch here, so every thread has work from the start.
  std::vector<int> first_batches;
  for (std::size_t k = 0; k < loops.size(); ++k) first_batches.push_back(next_batch_.fetch_add(lanes_per_batch));
  for (std::size_t k = 1; k < loops.size(); ++k) {
    asio::co_spawn(loops[k].context, start_batches(*this, loops[k], first_batches[k], next_batch_), rethrow);
    other_loops_.emplace_back([&loop = loops[k]] { loop.context.run(); });
  }
  co_await start_batches(*this, loops.front(), first_batches.front(), next_batch_);
}

RunResult Run::take_result() {
  other_loops_.clear();  // joined: their lanes are done too
  progress.stop();       // the report must not land on the progress line
  return plan.take_result(clock.now());
}

}  // namespace kit::async
