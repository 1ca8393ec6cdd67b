#include "sync_run.hpp"

#include <netdb.h>
#include <openssl/x509_vfy.h>

#include <atomic>
#include <latch>
#include <ostream>
#include <system_error>
#include <thread>
#include <vector>

#include "httplib_tls.hpp"
#include "retry.hpp"
#include "server_timing.hpp"
#include "tls_errors.hpp"

namespace kit::sync {

namespace {

// scheme://host:port: what a Session keeps its clients by.
std::string origin_of(const HttpTarget& target) { return (target.tls ? "https://" : "http://") + target.host_header; }

bool host_resolves(const std::string& host) {
  addrinfo* found = nullptr;
  const bool ok = ::getaddrinfo(host.c_str(), nullptr, nullptr, &found) == 0;
  if (found) ::freeaddrinfo(found);
  return ok;
}

// httplib reports a failure as a coarse enum; turn it into the kinds a load tool counts.
void describe_failure(RequestRecord& record, httplib::Error error, const HttpTarget& target, const RunPlan& plan,
                      Seconds allowed, long verify_result) {
  const std::string timed_out = plan.timeout_message(allowed);
  switch (error) {
    case httplib::Error::Connection:
      if (!host_resolves(target.host)) {
        return record.fail(Failure::dns, "cannot resolve host '" + target.host + "'");
      }
      return record.fail(Failure::refused, "connection refused (" + target.host_header + ")");
    case httplib::Error::ConnectionTimeout: return record.fail(Failure::timeout, "connect " + timed_out);
    case httplib::Error::Read:
      // httplib says "read error" both when its read timeout fires and when the
      // server hangs up; the clock tells which it was.
      if (record.end - record.start >= allowed * 0.95) return record.fail(Failure::timeout, timed_out);
      return record.fail(Failure::reset, "connection closed before a complete answer");
    case httplib::Error::Write: return record.fail(Failure::reset, "connection closed while sending the request");
    case httplib::Error::SSLServerVerification:
      // httplib checks the host name itself, after OpenSSL found the chain fine.
      return record.fail(Failure::tls, verify_result == X509_V_OK
                                           ? "certificate host-name mismatch: it is not for this host"
                                           : describe_certificate_problem(verify_result));
    case httplib::Error::SSLConnection:
      return record.fail(Failure::tls, "TLS handshake failed: does the server speak TLS?");
    default: return record.fail(Failure::other, httplib::to_string(error));
  }
}

// -i: the status line and headers, made printable. httplib keeps the
// headers sorted by name, not in the order they came.
std::string status_and_headers(const httplib::Response& answer) {
  std::string text = status_line_text(answer.version, answer.status, answer.reason);
  for (const auto& [name, value] : answer.headers) text += header_line_text(name, value);
  return text + "\r\n";
}

void set_timeouts(httplib::Client& client, Seconds allowed) {
  const auto micro = std::chrono::duration_cast<std::chrono::microseconds>(allowed).count();
  client.set_connection_timeout(micro / 1'000'000, micro % 1'000'000);
  client.set_read_timeout(micro / 1'000'000, micro % 1'000'000);
  client.set_write_timeout(micro / 1'000'000, micro % 1'000'000);
}

// What the watchdog's stop means for the record, if it stopped the request.
bool stopped_by_watchdog(Watchdog::Stopped stopped, RequestRecord& record, const RunPlan& plan, Seconds allowed) {
  if (stopped == Watchdog::Stopped::time_up) {
    record.fail(Failure::timeout, plan.timeout_message(allowed));
  } else if (stopped == Watchdog::Stopped::framing_too_long) {
    record.fail(Failure::bad_response, "bad HTTP response: headers, chunk-size lines or trailer over 64 KiB");
  }
  return stopped != Watchdog::Stopped::no;
}

// Puts what a try fetched into its record.
void take_response(RequestRecord& record, Response& response, Session& lane, const Run& run, const HttpTarget& target,
                   Seconds allowed) {
  record.end = run.clock.now();
  record.answer_started = response.too_large || !response.body.empty();
  httplib::Result& result = response.result;
  if (stopped_by_watchdog(response.stopped, record, run.plan, allowed)) {
    lane.clients.clear();  // a stopped client's connection is not used again
  } else if (response.too_large) {
    record.fail(Failure::too_large, "body larger than --max-body (" + std::to_string(run.options.max_body) + " bytes)");
  } else if (result) {
    const auto [first, last] = result->headers.equal_range("Server-Timing");
    const ServerTimes times =
        read_server_timing(first, last, [](const auto& field) -> const std::string& { return field.second; });
    record.server_queue = times.queue;
    record.server_app = times.app;
    record.retry_after = parse_retry_after(result->get_header_value("Retry-After"), std::chrono::system_clock::now());
    record.set_response(result->status, std::move(response.body), result->get_header_value("Location"));
    if (run.options.include) record.include_head(status_and_headers(*result));
  } else {
    describe_failure(record, result.error(), target, run.plan, allowed,
                     httplib_tls::certificate_check(lane.client_for(target, allowed), result));
  }
}

// One try with fetch(), which never throws: whatever the library throws
// fails the request, not the lane.
void try_one_hop(Run& run, Session& lane, const HttpTarget& target, RequestRecord& record) {
  const Seconds allowed = run.plan.time_allowed(record.began());
  const int sockets_before = lane.sockets_opened;
  try {
    const auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(allowed);
    const RequestShape& shape = run.options.shapes[static_cast<std::size_t>(record.url)];
    Response response = run.fetch(lane, Request{target, shape, allowed, deadline, run.options.max_body});
    record.new_connection = lane.sockets_opened != sockets_before;
    take_response(record, response, lane, run, target, allowed);
  } catch (const std::exception& e) {
    lane.watch.end();
    lane.clients.clear();
    record.end = run.clock.now();
    record.fail(Failure::other, std::string("client error: ") + e.what());
  }
}

// --follow: asks again where a redirect points, within the same scheme, host
// and port, at most most_redirects times; client_async's rules.
void follow_redirects(Run& run, Session& lane, RequestRecord& record) {
  HttpTarget at = run.options.targets[static_cast<std::size_t>(record.url)];
  for (int hops = 0; record.failure == Failure::redirect; ++hops) {
    std::optional<HttpTarget> next = next_hop(record, at, hops);
    if (!next) return;
    at = std::move(*next);
    RequestRecord hop = try_again_now(record, run.clock.now());
    try_one_hop(run, lane, at, hop);
    hop.start = record.start;  // the try's time includes every hop
    record = std::move(hop);
  }
}

// One try of a request, with what a browser does after some answers.
void try_once(Run& run, Session& lane, RequestRecord& record) {
  if (!run.options.keep_alive) lane.clients.clear();
  const HttpTarget& target = run.options.targets[static_cast<std::size_t>(record.url)];
  try_one_hop(run, lane, target, record);
  if (record.failure == Failure::refused && lane.try_the_other_loopback(target)) {
    record = try_again_now(record, run.clock.now());
    try_one_hop(run, lane, target, record);
  }
  if (ask_again_on_a_new_connection(record, run.plan.running())) {
    record = try_again_now(record, run.clock.now());
    try_one_hop(run, lane, target, record);
  }
  if (run.options.follow) follow_redirects(run, lane, record);
}

}  // namespace

httplib::Request as_httplib_request(const Request& request) {
  httplib::Request asked;
  asked.method = request.shape.method;
  asked.path = request.target.target;
  for (const auto& [name, value] : request.shape.headers) asked.headers.emplace(name, value);
  if (request.shape.body) asked.body = *request.shape.body;
  return asked;
}

httplib::Client& Session::client_for(const HttpTarget& target, Seconds allowed) {
  std::unique_ptr<httplib::Client>& client = clients[origin_of(target)];
  if (!client) client = make_client(target);
  set_timeouts(*client, allowed);
  return *client;
}

bool Session::try_the_other_loopback(const HttpTarget& target) {
  if (!names_this_machine(target.host)) return false;
  const bool first_time = localhost_on_ipv6_.insert(origin_of(target)).second;
  if (first_time) clients.erase(origin_of(target));
  return first_time;
}

std::unique_ptr<httplib::Client> Session::make_client(const HttpTarget& target) {
  const std::string origin = origin_of(target);
  auto client = std::make_unique<httplib::Client>(origin);
  client->set_keep_alive(options.keep_alive);
  if (localhost_on_ipv6_.contains(origin)) client->set_hostname_addr_map({{target.host, "::1"}});
  if (target.tls) {
    client->enable_server_certificate_verification(!options.insecure);
    if (!options.ca_file.empty()) client->set_ca_cert_path(options.ca_file);
    // OpenSSL checks the host name too: cpp-httplib 0.11's own check of an
    // IPv4 host is unreliable (docs/performance.md says what it let through).
    X509_VERIFY_PARAM* check = SSL_CTX_get0_param(httplib_tls::openssl_context(*client));
    const std::string& host = target.host;
    if (X509_VERIFY_PARAM_set1_ip_asc(check, host.c_str()) != 1) {
      X509_VERIFY_PARAM_set1_host(check, host.c_str(), host.size());
    }
  }
  client->set_follow_location(false);  // --follow is the kit's: same host, at most 5 hops
  client->set_socket_options([this](socket_t socket) {
    ++sockets_opened;
    watch.new_socket(socket);
  });
  return client;
}

void run_lane(Run& run, int lane_number, ProgressLine& progress) {
  Session lane(run.options, lane_number, run.watchdog.watch());
  while (const auto ticket = run.plan.next()) {
    if (ticket->due) std::this_thread::sleep_until(run.clock.at(*ticket->due));
    RequestRecord record = first_try(*ticket, lane_number, run.clock.now());
    try_once(run, lane, record);
    while (const auto wait = run.plan.retry_wait(record)) {
      run.plan.retry(record);
      std::this_thread::sleep_for(*wait);
      record.start = run.clock.now();
      try_once(run, lane, record);
    }
    progress.count(record);
    run.plan.finish(std::move(record));
  }
}

// Each thread takes the next request until none are left. They start
// together, so that a thread that happens to start first cannot take a
// request meant to run beside it.
bool run_threads(Run& run, ProgressLine& progress, std::ostream& errors) {
  const int wanted = run.options.threads;
  std::latch all_started(wanted);
  std::atomic<bool> refused{false};  // the system would not start them all
  std::vector<std::jthread> threads;
  for (int lane = 1; lane <= wanted && !refused; ++lane) {
    try {
      threads.emplace_back([&, lane] {
        all_started.arrive_and_wait();
        if (!refused) run_lane(run, lane, progress);
      });
    } catch (const std::system_error& e) {
      // Out of threads (ulimit -u) or of memory for their stacks: none
      // runs, and the run says how many could be started.
      refused = true;
      all_started.count_down(wanted - static_cast<int>(threads.size()));
      errors << run.options.program << ": the system refused thread " << lane << " of " << wanted << " ("
             << e.code().message() << "); " << threads.size() << " could be started: use fewer --threads\n";
    }
  }
  return !refused;
}  // the threads join here

}  // namespace kit::sync
