// client_sync: the talk's client.py in C++. Each request blocks until its
// answer is in, so two one-second requests take two seconds.
//
//   time ./build/client_sync              # ~2 s against ./build/server
#include <httplib.h>
#include <netdb.h>
#include <openssl/x509_vfy.h>
#include <unistd.h>

#include <atomic>
#include <iostream>
#include <latch>
#include <map>
#include <memory>
#include <optional>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "fd_limit.hpp"
#include "httplib_tls.hpp"
#include "options.hpp"
#include "progress.hpp"
#include "report.hpp"
#include "retry.hpp"
#include "run_plan.hpp"
#include "server_timing.hpp"
#include "tls_errors.hpp"
#include "units.hpp"
#include "watchdog.hpp"

namespace {

using kit::Failure;

bool host_resolves(const std::string& host) {
  addrinfo* found = nullptr;
  const bool ok = ::getaddrinfo(host.c_str(), nullptr, nullptr, &found) == 0;
  if (found) ::freeaddrinfo(found);
  return ok;
}

// httplib reports a failure as a coarse enum; turn it into the kinds a load tool counts.
void describe_failure(kit::RequestRecord& record, httplib::Error error, const kit::HttpTarget& target,
                      const kit::RunPlan& plan, kit::Seconds allowed, long verify_result) {
  const std::string timed_out = plan.timeout_message(allowed);
  switch (error) {
    case httplib::Error::Connection:
      if (!host_resolves(target.host)) {
        return record.fail(Failure::dns, "cannot resolve host '" + target.host + "'");
      }
      return record.fail(Failure::refused, "connection refused (" + target.host_header + ")");
    case httplib::Error::ConnectionTimeout:
      return record.fail(Failure::timeout, "connect " + timed_out);
    case httplib::Error::Read:
      // httplib says "read error" both when its read timeout fires and when the
      // server hangs up; the clock tells which it was.
      if (record.end - record.start >= allowed * 0.95) return record.fail(Failure::timeout, timed_out);
      return record.fail(Failure::reset, "connection closed before a complete answer");
    case httplib::Error::Write:
      return record.fail(Failure::reset, "connection closed while sending the request");
    case httplib::Error::SSLServerVerification:
      // httplib checks the host name itself, after OpenSSL found the chain fine.
      return record.fail(Failure::tls, verify_result == X509_V_OK
                                           ? "certificate host-name mismatch: it is not for this host"
                                           : kit::describe_certificate_problem(verify_result));
    case httplib::Error::SSLConnection:
      return record.fail(Failure::tls, "TLS handshake failed: does the server speak TLS?");
    default:
      return record.fail(Failure::other, httplib::to_string(error));
  }
}

// A lane's HTTP clients, one for each host it talks to. With keep-alive a
// client carries all of the lane's requests to its host, like a
// requests.Session; without, each request gets its own, like
// requests.get(url). httplib reconnects by itself when the server has closed
// a kept-alive connection; counting the sockets it opens shows when.
struct Lane {
  Lane(const kit::ClientOptions& options, int number, kit::Watchdog::Watch& watch)
      : options(options), number(number), watch(watch) {}
  Lane(const Lane&) = delete;  // the clients' socket callbacks point here
  Lane& operator=(const Lane&) = delete;

  httplib::Client& client_for(const kit::HttpTarget& target) {
    std::unique_ptr<httplib::Client>& client = clients[(target.tls ? "https://" : "http://") + target.host_header];
    if (!client) client = make_client(target);
    return *client;
  }

  const kit::ClientOptions& options;
  int number;
  kit::Watchdog::Watch& watch;  // ends what httplib's own timeouts and limits do not
  std::map<std::string, std::unique_ptr<httplib::Client>> clients;  // by scheme://host:port
  int sockets_opened = 0;

 private:
  std::unique_ptr<httplib::Client> make_client(const kit::HttpTarget& target) {
    auto client = std::make_unique<httplib::Client>((target.tls ? "https://" : "http://") + target.host_header);
    client->set_keep_alive(options.keep_alive);
    if (target.tls) {
      client->enable_server_certificate_verification(!options.insecure);
      if (!options.ca_file.empty()) client->set_ca_cert_path(options.ca_file);
      // OpenSSL checks the host name too. httplib 0.11.4's own check compares
      // an IPv4 host with uninitialised memory and was seen passing a
      // certificate for 127.0.0.1 at 127.0.0.2.
      X509_VERIFY_PARAM* check = SSL_CTX_get0_param(kit::httplib_tls::openssl_context(*client));
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
};

void set_timeouts(httplib::Client& client, kit::Seconds allowed) {
  const auto micro = std::chrono::duration_cast<std::chrono::microseconds>(allowed).count();
  client.set_connection_timeout(micro / 1'000'000, micro % 1'000'000);
  client.set_read_timeout(micro / 1'000'000, micro % 1'000'000);
  client.set_write_timeout(micro / 1'000'000, micro % 1'000'000);
}

// What the watchdog's stop means for the record, if it stopped the request.
bool stopped_by_watchdog(kit::Watchdog::Stopped stopped, kit::RequestRecord& record, const kit::RunPlan& plan,
                         kit::Seconds allowed) {
  if (stopped == kit::Watchdog::Stopped::time_up) {
    record.fail(Failure::timeout, plan.timeout_message(allowed));
  } else if (stopped == kit::Watchdog::Stopped::framing_too_long) {
    record.fail(Failure::bad_response, "bad HTTP response: headers, chunk-size lines or trailer over 64 KiB");
  }
  return stopped != kit::Watchdog::Stopped::no;
}

// One blocking GET, like requests.get(url): connect, send, wait, read.
void fetch(Lane& lane, const kit::HttpTarget& target, const kit::RunPlan& plan, const kit::RunClock& clock,
           kit::RequestRecord& record) {
  const kit::ClientOptions& options = lane.options;
  httplib::Client& client = lane.client_for(target);
  const kit::Seconds allowed = plan.time_allowed(record.began());
  set_timeouts(client, allowed);
  const int sockets_before = lane.sockets_opened;

  // The body is taken piece by piece so that one over --max-body can be refused.
  std::string body;
  bool too_large = false;
  lane.watch.begin(client, kit::Clock::now() + std::chrono::duration_cast<kit::Clock::duration>(allowed));
  httplib::Result result = client.Get(target.target, [&](const char* data, std::size_t size) {
    lane.watch.body_received(size);
    too_large = body.size() + size > options.max_body;
    if (!too_large) body.append(data, size);
    return !too_large;
  });  // blocks until the answer is in
  const kit::Watchdog::Stopped stopped = lane.watch.end();

  record.end = clock.now();
  record.new_connection = lane.sockets_opened != sockets_before;
  record.answer_started = too_large || !body.empty();
  if (stopped_by_watchdog(stopped, record, plan, allowed)) {
    lane.clients.clear();  // a stopped client's connection is not used again
  } else if (too_large) {
    record.fail(Failure::too_large, "body larger than --max-body (" + std::to_string(options.max_body) + " bytes)");
  } else if (result) {
    const auto [first, last] = result->headers.equal_range("Server-Timing");
    kit::read_server_timing(record, first, last, [](const auto& field) -> const std::string& { return field.second; });
    record.retry_after =
        kit::parse_retry_after(result->get_header_value("Retry-After"), std::chrono::system_clock::now());
    record.set_response(result->status, std::move(body), result->get_header_value("Location"));
  } else {
    describe_failure(record, result.error(), target, plan, allowed,
                     kit::httplib_tls::certificate_check(client, result));
  }
}

// fetch() that never throws: whatever the library throws fails the request, not the lane.
void fetch_safely(Lane& lane, const kit::HttpTarget& target, const kit::RunPlan& plan, const kit::RunClock& clock,
                  kit::RequestRecord& record) {
  try {
    fetch(lane, target, plan, clock, record);
  } catch (const std::exception& e) {
    lane.watch.end();
    lane.clients.clear();
    record.end = clock.now();
    record.fail(Failure::other, std::string("client error: ") + e.what());
  }
}

// --follow: asks again where a redirect points, within the same scheme, host
// and port, at most kit::most_redirects times; client_async's rules.
void follow_redirects(Lane& lane, const kit::RunPlan& plan, const kit::RunClock& clock, kit::RequestRecord& record) {
  kit::HttpTarget at = lane.options.targets[static_cast<std::size_t>(record.url)];
  for (int hops = 0; record.failure == Failure::redirect; ++hops) {
    if (hops == kit::most_redirects) {
      record.error = "more than " + std::to_string(kit::most_redirects) + " redirects, last to " + record.location;
      return;
    }
    kit::RedirectStep step = kit::next_redirect(at, record.location, record.status);
    if (!step.next) return record.fail(step.bad_location ? Failure::bad_response : Failure::redirect, step.refusal);
    at = std::move(*step.next);
    kit::RequestRecord hop = kit::try_again_now(record, clock.now());
    fetch_safely(lane, at, plan, clock, hop);
    hop.start = record.start;  // the try's time includes every hop
    record = std::move(hop);
  }
}

// One try of a request.
void try_once(Lane& lane, const kit::RunPlan& plan, const kit::RunClock& clock, kit::RequestRecord& record) {
  if (!lane.options.keep_alive) lane.clients.clear();
  const kit::HttpTarget& target = lane.options.targets[static_cast<std::size_t>(record.url)];
  fetch_safely(lane, target, plan, clock, record);
  if (record.failure == kit::Failure::reset && !record.new_connection && !record.answer_started &&
      lane.options.keep_alive && plan.running()) {
    // The server closed the kept-alive connection just as we reused it
    // (nginx does after 1000 requests): open a new one and ask again.
    record = kit::try_again_now(record, clock.now());
    fetch_safely(lane, target, plan, clock, record);
  }
  if (lane.options.follow) follow_redirects(lane, plan, clock, record);
}

// Takes the next request until the plan says stop. With --rate a lane
// sleeps until its request is due; with --retry it sleeps and asks again.
void run_lane(int lane_number, const kit::ClientOptions& options, kit::RunPlan& plan,
              kit::ProgressLine& progress, const kit::RunClock& clock, kit::Watchdog& watchdog) {
  Lane lane(options, lane_number, watchdog.watch());
  while (const auto ticket = plan.next()) {
    if (ticket->due) std::this_thread::sleep_until(clock.at(*ticket->due));
    kit::RequestRecord record = kit::first_try(*ticket, lane_number, clock.now());
    try_once(lane, plan, clock, record);
    while (const auto wait = plan.retry_wait(record)) {
      plan.retry(record);
      std::this_thread::sleep_for(*wait);
      record.start = clock.now();
      try_once(lane, plan, clock, record);
    }
    progress.count(record);
    plan.finish(std::move(record));
  }
}

}  // namespace

int main(int argc, char** argv) {
  const kit::CommandLine command_line =
      kit::parse_client_command_line(kit::ClientKind::sync, argc, argv);
  if (command_line.exit_code) return *command_line.exit_code;
  const kit::ClientOptions& options = command_line.options;
  if (const int fit = kit::make_room_for_connections(options.lanes()); fit < options.lanes()) {
    std::cerr << options.program << ": " << kit::too_few_descriptors(options.lanes(), fit) << ", or use fewer\n";
    return 2;
  }

  const kit::RunClock clock;
  kit::RunPlan plan(options, clock);
  kit::Watchdog watchdog;
  {
    kit::ProgressLine progress(options.duration ? 0 : options.requests, clock);
    if (options.threads == 1) {
      // The talk's client: one request after another.
      run_lane(1, options, plan, progress, clock, watchdog);
    } else {
      // The threading variant: each thread takes the next request until none
      // are left. They start together, so that a thread that happens to start
      // first cannot take a request meant to run beside it.
      std::latch all_started(options.threads);
      std::atomic<bool> refused{false};  // the system would not start them all
      std::vector<std::jthread> threads;
      for (int lane = 1; lane <= options.threads && !refused; ++lane) {
        try {
          threads.emplace_back([&, lane] {
            all_started.arrive_and_wait();
            if (!refused) run_lane(lane, options, plan, progress, clock, watchdog);
          });
        } catch (const std::system_error& e) {
          // Out of threads (ulimit -u) or of memory for their stacks: none
          // runs, and the run says how many could be started.
          refused = true;
          all_started.count_down(options.threads - static_cast<int>(threads.size()));
          std::cerr << options.program << ": the system refused thread " << lane << " of " << options.threads
                    << " (" << e.code().message() << "); " << threads.size()
                    << " could be started: use fewer --threads\n";
        }
      }
      if (refused) return 2;  // once the started ones have left
    }  // the threads join here
  }

  return kit::report_run(plan.take_result(clock.now()), options, std::cout,
                         std::cerr, kit::terminal_style(STDOUT_FILENO));
}
