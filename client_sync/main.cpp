// client_sync: the talk's client.py in C++. Each request blocks until its
// answer is in, so two one-second requests take two seconds.
//
//   time ./build/client_sync              # ~2 s against ./build/server
#include <httplib.h>
#include <netdb.h>
#include <unistd.h>

#include <atomic>
#include <iostream>
#include <thread>
#include <vector>

#include "options.hpp"
#include "progress.hpp"
#include "report.hpp"
#include "units.hpp"

namespace {

using kit::Failure;

bool host_resolves(const std::string& host) {
  addrinfo* found = nullptr;
  const bool ok = ::getaddrinfo(host.c_str(), nullptr, nullptr, &found) == 0;
  if (found) ::freeaddrinfo(found);
  return ok;
}

// httplib reports a failure as a coarse enum; turn it into the kinds a load tool counts.
void describe_failure(kit::RequestRecord& record, httplib::Error error,
                      const kit::ClientOptions& options) {
  const kit::HttpTarget& target = options.target;
  const std::string timeout = kit::format_number(options.timeout) + " s";
  switch (error) {
    case httplib::Error::Connection:
      if (!host_resolves(target.host)) {
        return record.fail(Failure::dns, "cannot resolve host '" + target.host + "'");
      }
      return record.fail(Failure::refused, "connection refused (" + target.host_header + ")");
    case httplib::Error::ConnectionTimeout:
      return record.fail(Failure::timeout, "connect timed out after " + timeout);
    case httplib::Error::Read:
      // httplib says "read error" both when its read timeout fires and when the
      // server hangs up; the clock tells which it was.
      if (record.duration().count() >= options.timeout * 0.95) {
        return record.fail(Failure::timeout, "timed out after " + timeout);
      }
      return record.fail(Failure::reset, "connection closed before a complete answer");
    case httplib::Error::Write:
      return record.fail(Failure::reset, "connection closed while sending the request");
    default:
      return record.fail(Failure::other, httplib::to_string(error));
  }
}

// One blocking GET, like requests.get(url): connect, send, wait, read, close.
kit::RequestRecord fetch(const kit::ClientOptions& options, int number, int lane,
                         const kit::RunClock& clock) {
  kit::RequestRecord record{.number = number, .lane = lane, .start = clock.now()};

  const kit::HttpTarget& target = options.target;
  httplib::Client client(target.host, std::stoi(target.port));
  const auto timeout = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::duration<double>(options.timeout));
  client.set_connection_timeout(timeout.count() / 1'000'000, timeout.count() % 1'000'000);
  client.set_read_timeout(timeout.count() / 1'000'000, timeout.count() % 1'000'000);
  client.set_write_timeout(timeout.count() / 1'000'000, timeout.count() % 1'000'000);

  httplib::Result result = client.Get(target.target);  // blocks until the answer is in

  record.end = clock.now();
  if (result) {
    record.set_response(result->status, std::move(result->body));
  } else {
    describe_failure(record, result.error(), options);
  }
  return record;
}

}  // namespace

int main(int argc, char** argv) {
  const kit::CommandLine command_line =
      kit::parse_client_command_line(kit::ClientKind::sync, argc, argv);
  if (command_line.exit_code) return *command_line.exit_code;
  const kit::ClientOptions& options = command_line.options;

  const kit::RunClock clock;
  std::vector<kit::RequestRecord> records(options.requests);
  {
    kit::ProgressLine progress(options.requests, clock);
    auto fetch_request = [&](int i, int lane) {
      records[i] = fetch(options, i + 1, lane, clock);
      progress.count(records[i]);
    };
    if (options.threads == 1) {
      // The talk's client: one request after another.
      for (int i = 0; i < options.requests; ++i) fetch_request(i, 1);
    } else {
      // The threading variant: each thread takes the next request until none are left.
      std::atomic<int> next{0};
      std::vector<std::jthread> threads;
      for (int lane = 1; lane <= std::min(options.threads, options.requests); ++lane) {
        threads.emplace_back([&, lane] {
          for (int i; (i = next++) < options.requests;) fetch_request(i, lane);
        });
      }
    }  // the threads join here
  }

  return kit::report_run(records, clock.now(), options, std::cout, std::cerr,
                         kit::terminal_style(STDOUT_FILENO));
}
