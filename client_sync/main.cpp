// client_sync: the talk's client.py in C++. Each request blocks until its
// answer is in, so two one-second requests take two seconds.
//
//   time ./build/client_sync              # ~2 s against ./build/server
//
// The talk's Python, for reading beside it:
//
//   def fetch(url):
//       resp = requests.get(url)
//       return resp.text
//
//   def main(url):
//       results = [fetch(url) for _ in range(2)]
//       return results
//
// The load tool's machinery (lanes, --rate, --retry, --follow, many hosts,
// the watchdog, --threads) is in client_sync/sync_run.*.
#include <httplib.h>
#include <unistd.h>

#include <iostream>

#include "fd_limit.hpp"
#include "merge.hpp"
#include "processes.hpp"
#include "report.hpp"
#include "sync_run.hpp"

namespace {

// One blocking request, like session.get(url) on a requests.Session: connect
// (or reuse the host's connection), send, wait for the answer, read it, and
// return it. The body is taken piece by piece so that one over --max-body
// can be refused.
kit::sync::Response fetch(kit::sync::Session& session, const kit::sync::Request& request) {
  httplib::Client& client = session.client_for(request.target, request.time_allowed);
  std::string body;
  bool too_large = false;
  httplib::Request asked = kit::sync::as_httplib_request(request);  // GET /, or what -m, -H and -d say
  asked.content_receiver = [&](const char* data, std::size_t size, std::uint64_t, std::uint64_t) {
    session.watch.body_received(size);
    too_large = body.size() + size > request.max_body;
    if (!too_large) body.append(data, size);
    return !too_large;
  };
  session.watch.begin(client, request.deadline);  // bounds what httplib's own timeouts do not
  httplib::Result result = client.send(asked);    // blocks until the answer is in
  return kit::sync::Response{std::move(result), std::move(body), too_large, session.watch.end()};
}

// The talk's main(): one request after another, each waiting for the one
// before. --threads N is the threading variant: N lanes, a thread each;
// --processes N the multiprocessing one: N lanes, a process each.
bool fetch_all(kit::sync::Run& run, kit::ProgressLine& progress) {
  run.fetch = fetch;
  if (run.options.processes > 0) return kit::sync::run_processes(run, progress, std::cerr);
  if (run.options.threads == 1) {
    kit::sync::run_lane(run, 1, progress);
    return true;
  }
  return kit::sync::run_threads(run, progress, std::cerr);
}

}  // namespace

int main(int argc, char** argv) {
  const kit::CommandLine command_line = kit::parse_client_command_line(kit::ClientKind::sync, argc, argv);
  if (command_line.exit_code) return *command_line.exit_code;
  const kit::ClientOptions& options = command_line.options;
  if (options.merging()) return kit::merge_results(options, std::cout, std::cerr, kit::terminal_style(STDOUT_FILENO));
  if (!kit::room_for_connections(options.program, options.lanes(), std::cerr)) return 2;

  kit::sync::Run run(options);
  {
    kit::ProgressLine progress(options.duration ? 0 : options.requests, run.clock);
    if (!fetch_all(run, progress)) return 2;
  }  // the progress line is cleared before the report
  return kit::report_run(run.plan.take_result(run.clock.now()), options, std::cout, std::cerr,
                         kit::terminal_style(STDOUT_FILENO));
}
