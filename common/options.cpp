#include "options.hpp"

#include <CLI/CLI.hpp>
#include <iostream>

namespace kit {

namespace {

constexpr const char* default_url = "http://localhost:8000/";

const char* description(ClientKind kind) {
  return kind == ClientKind::sync
             ? "Blocking HTTP client: sends the requests one after another (cpp-httplib)."
             : "Concurrent HTTP client: starts the requests at once on one thread "
               "(Boost.Beast, C++20 coroutines) and gathers the answers in order.";
}

const char* examples(ClientKind kind) {
  return kind == ClientKind::sync
             ? "Examples:\n"
               "  client_sync                                  # 2 requests to http://localhost:8000/\n"
               "  client_sync -n 4                             # 4 requests, one after another\n"
               "  client_sync --threads 3 -n 3                 # 3 threads share the requests\n"
               "  client_sync 'http://127.0.0.1:8000/?delay=0.2' --timeout 5\n"
               "\nExit status: 0 all requests succeeded, 1 some failed, 2 bad usage."
             : "Examples:\n"
               "  client_async                                 # 2 requests at once to http://localhost:8000/\n"
               "  client_async -n 100                          # 100 requests at once\n"
               "  client_async -n 9 -c 3                       # at most 3 in flight (a semaphore of 3)\n"
               "  client_async 'http://127.0.0.1:8000/?delay=0.2' --timeout 5\n"
               "\nExit status: 0 all requests succeeded, 1 some failed, 2 bad usage.";
}

}  // namespace

CommandLine parse_client_command_line(ClientKind kind, int argc, char** argv) {
  const std::string program = kind == ClientKind::sync ? "client_sync" : "client_async";
  CLI::App app{description(kind), program};
  app.footer(examples(kind));

  CommandLine result;
  ClientOptions& options = result.options;
  std::string url = default_url;
  app.add_option("url", url, "URL to fetch")->capture_default_str();
  app.add_option("-n,--requests", options.requests, "number of requests")
      ->capture_default_str()->check(CLI::Range(1, 10'000'000));
  app.add_option("--timeout", options.timeout, "seconds allowed per request")
      ->capture_default_str()->check(CLI::Range(0.001, 86'400.0));
  app.add_flag("-q,--quiet", options.quiet, "do not print the bodies");
  if (kind == ClientKind::sync) {
    app.add_option("-t,--threads", options.threads, "threads that share the requests")
        ->capture_default_str()->check(CLI::Range(1, 10'000));
  } else {
    app.add_option("-c,--concurrency", options.concurrency,
                   "most requests in flight at once (default: all of them)")
        ->check(CLI::Range(1, 10'000'000));
  }

  try {
    app.parse(argc, argv);
    options.target = parse_http_url(url);
  } catch (const CLI::CallForHelp&) {
    std::cout << app.help();
    result.exit_code = 0;
  } catch (const CLI::ParseError& e) {
    std::cerr << program << ": " << e.what() << " (see --help)\n";
    result.exit_code = 2;
  } catch (const BadUrl& e) {
    std::cerr << program << ": " << e.what() << "\n";
    result.exit_code = 2;
  }
  if (options.concurrency == 0 || options.concurrency > options.requests) {
    options.concurrency = options.requests;
  }
  return result;
}

}  // namespace kit
