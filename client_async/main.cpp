// client_async: the talk's async_client.py in C++. One thread, one event loop:
// every request is started at once, and while one waits for its answer the
// loop runs the others, so two one-second requests take one second.
//
//   time ./build/client_async             # ~1 s against ./build/server
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <unistd.h>

#include <iostream>
#include <sstream>

#include "fd_limit.hpp"
#include "options.hpp"
#include "progress.hpp"
#include "report.hpp"
#include "run_plan.hpp"
#include "tls_errors.hpp"
#include "units.hpp"

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;
using kit::Failure;

// Every co_await hands back an error code instead of throwing.
constexpr auto no_throw = asio::as_tuple(asio::use_awaitable);

// What all the requests of a run share.
struct Run {
  const kit::ClientOptions& options;
  const tcp::resolver::results_type& addresses;  // looked up once, as a connection pool would
  const std::string request;  // the same bytes for every request, written once by Beast
  const kit::RunClock& clock;
  kit::RunPlan& plan;
  kit::ProgressLine& progress;
  asio::ssl::context* tls;  // for https://, else null
};

// A lane's connection. With keep-alive it carries one request after another,
// like an aiohttp ClientSession; without, every request opens its own.
struct Connection {
  explicit Connection(const asio::any_io_executor& executor) : stream(executor) {}
  beast::tcp_stream stream;
  std::optional<beast::ssl_stream<beast::tcp_stream&>> tls;  // https: TLS over `stream`
  beast::flat_buffer buffer;  // bytes that arrived after the last response
  bool open = false;

  void close() {
    tls.reset();
    stream.close();
    buffer.clear();
    open = false;
  }
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

// Names what went wrong, in the words a load tool counts. `headers_in` says
// whether the response's headers had arrived when the connection ended.
kit::RequestRecord failed(kit::RequestRecord& record, beast::error_code error, const Run& run,
                          Connection& connection, bool headers_in = false) {
  record.end = run.clock.now();
  connection.close();
  if (error == beast::error::timeout) {
    record.fail(Failure::timeout, "timed out after " + kit::format_number(run.options.timeout) + " s");
  } else if (error == asio::error::connection_refused) {
    record.fail(Failure::refused, "connection refused (" + run.options.target.host_header + ")");
  } else if (error == asio::error::connection_reset || error == asio::error::broken_pipe) {
    record.fail(Failure::reset, "connection reset by the server");
  } else if (error == http::error::partial_message && headers_in) {
    record.fail(Failure::reset, "truncated body: the connection closed before the body's end");
  } else if (error == http::error::end_of_stream || error == http::error::partial_message ||
             error == asio::error::eof || error == asio::ssl::error::stream_truncated) {
    record.fail(Failure::reset, "connection closed before the response headers");
  } else if (error == http::error::body_limit) {
    record.fail(Failure::too_large, "body larger than --max-body (" +
                                        std::to_string(run.options.max_body) + " bytes)");
  } else if (error.category() == make_error_code(http::error::end_of_stream).category()) {
    record.fail(Failure::bad_response, "bad HTTP response: " + error.message());
  } else {
    record.fail(Failure::other, error.message());
  }
  return record;
}

// https: the TLS handshake, with SNI, checking that the certificate is for
// the host we asked for (OpenSSL's own host-name check).
asio::awaitable<beast::error_code> start_tls(Run& run, Connection& connection) {
  connection.tls.emplace(connection.stream, *run.tls);
  SSL* ssl = connection.tls->native_handle();
  const std::string& host = run.options.target.host;
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

kit::RequestRecord tls_failed(kit::RequestRecord& record, beast::error_code error, const Run& run,
                              Connection& connection) {
  if (error == beast::error::timeout) return failed(record, error, run, connection);
  const long verified = SSL_get_verify_result(connection.tls->native_handle());
  record.end = run.clock.now();
  if (verified != X509_V_OK) {
    record.fail(Failure::tls, kit::describe_certificate_problem(verified));
  } else {
    record.fail(Failure::tls, "TLS handshake failed (" + error.message() + "): does the server speak TLS?");
  }
  connection.close();
  return record;
}

// Sends the request and reads the answer, over TLS or plain TCP alike.
template <class Stream>
asio::awaitable<beast::error_code> exchange(Stream& stream, const std::string& request,
                                            beast::flat_buffer& buffer,
                                            http::response_parser<http::string_body>& response) {
  auto [send_error, sent] = co_await asio::async_write(stream, asio::buffer(request), no_throw);
  if (send_error) co_return send_error;
  auto [receive_error, received] = co_await http::async_read(stream, buffer, response, no_throw);
  co_return receive_error;
}

// One GET, like the talk's `async def fetch(url)`. At each co_await this
// coroutine waits and the event loop runs the others.
asio::awaitable<kit::RequestRecord> fetch(Run& run, Connection& connection, const std::string& request,
                                          int number, int lane) {
  kit::RequestRecord record{.number = number, .lane = lane, .start = run.clock.now()};
  beast::tcp_stream& stream = connection.stream;
  stream.expires_after(std::chrono::duration_cast<std::chrono::steady_clock::duration>(
      run.plan.time_allowed()));  // one deadline for the whole request

  if (!connection.open) {
    auto [connect_error, address] = co_await stream.async_connect(run.addresses, no_throw);
    if (connect_error) co_return failed(record, connect_error, run, connection);
    record.connect = run.clock.now() - record.start;
    if (run.tls) {
      if (const auto tls_error = co_await start_tls(run, connection)) {
        co_return tls_failed(record, tls_error, run, connection);
      }
      record.handshake = run.clock.now() - record.start - record.connect;
    }
    connection.open = record.new_connection = true;
  }

  http::response_parser<http::string_body> response;
  response.body_limit(run.options.max_body);
  const beast::error_code error =
      connection.tls ? co_await exchange(*connection.tls, request, connection.buffer, response)
                     : co_await exchange(stream, request, connection.buffer, response);
  if (error) co_return failed(record, error, run, connection, response.is_header_done());

  record.end = run.clock.now();
  if (connection.buffer.size() > 0) {
    // We never send a second request before the first answer is in, so
    // bytes after the body mean the body was longer than Content-Length said.
    record.fail(Failure::bad_response, std::to_string(connection.buffer.size()) +
                                           " bytes after the body: Content-Length was too small");
    connection.close();
    co_return record;
  }
  if (!response.keep_alive()) connection.close();
  record.set_response(response.get().result_int(), std::move(response.get().body()),
                      response.get()[http::field::location]);
  co_return record;
}

// --follow: asks again where a redirect points, as long as that is the same
// host and port (the addresses were looked up once for the run). Returns
// false, with the reason in the record, when it cannot.
asio::awaitable<bool> follow(Run& run, Connection& connection, kit::RequestRecord& record) {
  kit::HttpTarget next;
  try {
    next = kit::resolve_redirect(run.options.target, record.location);
  } catch (const kit::BadUrl& e) {
    record.fail(Failure::bad_response, e.what());
    co_return false;
  }
  if (next.host != run.options.target.host || next.port != run.options.target.port) {
    record.error = "HTTP " + std::to_string(record.status) + " redirect to another host (" + next.url +
                   "), which client_async does not follow";
    co_return false;
  }
  const kit::Seconds started = record.start;  // the request's time includes every hop
  record = co_await fetch(run, connection, serialize_request(next, run.options), record.number, record.lane);
  record.start = started;
  co_return true;
}

// One lane: fetches the next request until the plan says stop. C lanes keep
// at most C requests in flight, like asyncio.Semaphore(C); by default there
// is a lane per request, so all of them start at once.
asio::awaitable<void> lane(int lane_number, Run& run) {
  Connection connection(co_await asio::this_coro::executor);
  while (const auto number = run.plan.next()) {
    kit::RequestRecord record = co_await fetch(run, connection, run.request, *number, lane_number);
    if (record.failure == Failure::reset && !record.new_connection && run.plan.running()) {
      // The server closed a kept-alive connection while it sat idle (nginx
      // does after 1000 requests): open a new one and ask again.
      record = co_await fetch(run, connection, run.request, *number, lane_number);
    }
    for (int hops = 0; run.options.follow && record.failure == Failure::redirect; ++hops) {
      if (hops == 5) {
        record.error = "more than 5 redirects, last to " + record.location;
        break;
      }
      if (!co_await follow(run, connection, record)) break;
    }
    run.progress.count(record);
    run.plan.finish(std::move(record));
  }
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

void rethrow(const std::exception_ptr& error) {
  if (error) std::rethrow_exception(error);
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
  if (options.target.tls) {
    try {
      tls.emplace(make_tls_context(options));
    } catch (const boost::system::system_error& e) {
      std::cerr << options.program << ": --cacert " << options.ca_file << ": not a PEM certificate file ("
                << e.code().message() << ")\n";
      return 2;
    }
  }

  asio::io_context event_loop(1);
  const kit::RunClock clock;
  kit::RunPlan plan(options, clock);

  beast::error_code resolve_error;
  const auto addresses = tcp::resolver(event_loop).resolve(options.target.host, options.target.port,
                                                           resolve_error);
  if (resolve_error) {
    while (const auto number = plan.next()) {
      kit::RequestRecord record{.number = *number, .lane = 1, .start = clock.now(), .end = clock.now()};
      record.fail(Failure::dns, "cannot resolve host '" + options.target.host + "'");
      plan.finish(std::move(record));
      if (options.duration) break;  // one line says it all
    }
  } else {
    kit::ProgressLine progress(options.duration ? 0 : options.requests, clock);
    Run run{options, addresses, serialize_request(options.target, options), clock, plan, progress,
            tls ? &*tls : nullptr};
    for (int lane_number = 1; lane_number <= options.lanes(); ++lane_number) {
      asio::co_spawn(event_loop, lane(lane_number, run), rethrow);
    }
    event_loop.run();  // returns when every lane is done: asyncio.gather
  }

  return kit::report_run({plan.take_records(), clock.now(), plan.cancelled()}, options, std::cout,
                         std::cerr, kit::terminal_style(STDOUT_FILENO));
}
