// server: the slow "WSGI-like" HTTP server of the demo kit.
//
// Every request waits --delay seconds, then answers "This is a slow web api".
// Two models serve it: a blocking worker pool (the default) and an event loop
// (--async). Run it, then time the clients against it in another terminal.
#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <memory>
#include <optional>
#include <system_error>
#include <thread>

#include "dashboard.hpp"
#include "event_loop_model.hpp"
#include "fd_limit.hpp"
#include "http_front_end.hpp"
#include "network_addresses.hpp"
#include "self_signed.hpp"
#include "version.hpp"
#include "worker_pool.hpp"

namespace {

constexpr const char* examples =
    "Examples:\n"
    "  server                          # 8 workers on http://127.0.0.1:8000\n"
    "  server --workers 1              # one request at a time, like Python's wsgiref\n"
    "  server --workers 2              # like gunicorn -w 2\n"
    "  server --async                  # event loop: every request waits at the same time\n"
    "  server --async --blocking       # event loop that sleeps: requests queue up again\n"
    "  server --port 0 --delay 0.2     # a free port, 0.2 s per request\n"
    "  server --tls-self-signed        # https with a throw-away certificate\n"
    "  server --dashboard 8001         # and a live page of the requests on http://127.0.0.1:8001/\n"
    "  server --async --rate-limit 5   # an API that takes 5 requests a second; past it, 429\n"
    "  server --host 0.0.0.0 --dashboard 8001   # a whole class: students reach it over the network\n"
    "\n"
    "Per request: /?delay=0.25 waits 0.25 s, /?status=503 answers 503.\n"
    "Stop with Ctrl-C: requests in flight are answered first (up to --drain seconds).";

// Returns the exit code when the program should stop now (help: 0, bad usage: 2).
std::optional<int> parse_command_line(int argc, char** argv, kit::ServerConfig& config,
                                      bool& self_signed, std::optional<int>& dashboard_port) {
  CLI::App app{"Slow HTTP server: every request waits, then answers a short text.", "server"};
  app.footer(examples);
  app.set_version_flag("--version", kit::version_text("server"), "print the kit's and its libraries' versions");
  app.add_option("--host", config.host, "address to listen on")->capture_default_str();
  app.add_option("--port", config.port, "port to listen on; 0 picks a free one")
      ->capture_default_str()->check(CLI::Range(0, 65535));
  app.add_option("--delay", config.app.delay, "seconds each request waits")
      ->capture_default_str()->check(CLI::NonNegativeNumber);
  app.add_option("--max-delay", config.app.max_delay, "largest ?delay= accepted, in seconds")
      ->capture_default_str()->check(CLI::NonNegativeNumber);
  app.add_option("--body", config.app.body, "the text every answer carries")->capture_default_str();
  auto* workers = app.add_option("-w,--workers", config.workers,
                                 "worker-pool model: requests served at the same time")
                      ->capture_default_str()->check(CLI::Range(1, 10000));
  auto* queue = app.add_option("--queue", config.queue,
                               "worker-pool model: requests that wait for a worker in the server; "
                               "more wait unread in the kernel's backlog, as with gunicorn")
                    ->capture_default_str()->check(CLI::Range(0, 1'000'000));
  auto* event_loop = app.add_flag("--async", config.event_loop,
                                  "event-loop model (Boost.Beast): delays are timers, not sleeps");
  app.add_option("--threads", config.threads,
                 "event-loop model: event loops, one per thread, taking new connections in turn")
      ->capture_default_str()->check(CLI::Range(1, 256))->needs(event_loop);
  app.add_flag("--blocking", config.blocking,
               "event-loop model with a blocking sleep in the handler: the classic mistake")
      ->needs(event_loop);
  workers->excludes(event_loop);
  queue->excludes(event_loop);
  app.add_option("--max-connections", config.max_connections,
                 "open connections at most; past it new ones get 503")
      ->capture_default_str()->check(CLI::Range(1, 10'000'000));
  app.add_option("--header-timeout", config.header_timeout,
                 "seconds a client gets to send its request; slower ones are closed")
      ->capture_default_str()->check(CLI::Range(0.001, 3600.0));
  app.add_option("--idle-timeout", config.idle_timeout,
                 "seconds a kept-alive connection may wait for its next request")
      ->capture_default_str()->check(CLI::Range(0.001, 3600.0));
  app.add_option("--drain", config.drain, "seconds in-flight requests get after Ctrl-C/SIGTERM")
      ->capture_default_str()->check(CLI::NonNegativeNumber);
  auto* certificate = app.add_option("--tls-cert", config.tls_certificate,
                                     "serve https with this certificate (PEM; needs --tls-key)")
                          ->check(CLI::ExistingFile)->type_name("FILE");
  auto* key = app.add_option("--tls-key", config.tls_key, "the certificate's private key (PEM)")
                  ->check(CLI::ExistingFile)->type_name("FILE");
  certificate->needs(key);
  key->needs(certificate);
  app.add_flag("--tls-self-signed", self_signed,
               "serve https with a throw-away certificate for localhost/127.0.0.1 made at start-up")
      ->excludes(certificate)->excludes(key);
  auto* rate_limit = app.add_option("--rate-limit", config.rate_limit,
                                    "a rate-limited API: requests a second the whole server takes; past it, 429")
                         ->check(CLI::Range(0.001, 1e6))->type_name("R");
  app.add_option("--burst", config.burst, "with --rate-limit: how many at once after a quiet spell (default: R)")
      ->check(CLI::Range(1.0, 1e9))->needs(rate_limit)->type_name("B");
  app.add_option("--dashboard", dashboard_port,
                 "also serve a live page of the requests on this port (0 picks a free one)")
      ->check(CLI::Range(0, 65535))->type_name("PORT");
  app.add_flag("-q,--quiet", config.quiet, "no access log on stderr");
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    std::cout << app.help();
    return 0;
  } catch (const CLI::CallForVersion& e) {
    std::cout << e.what() << "\n";
    return 0;
  } catch (const CLI::ParseError& e) {
    std::cerr << "server: " << e.what() << " (see --help)\n";
    return 2;
  }
  if (config.app.delay > config.app.max_delay) config.app.max_delay = config.app.delay;
  return std::nullopt;
}

std::string url_host(const std::string& host) {
  return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

}  // namespace

int main(int argc, char** argv) {
  kit::ServerConfig config;
  bool self_signed = false;
  std::optional<int> dashboard_port;
  if (auto exit_code = parse_command_line(argc, argv, config, self_signed, dashboard_port)) return *exit_code;
  std::optional<kit::SelfSignedCertificate> throwaway;
  if (self_signed) {
    try {
      throwaway.emplace();
    } catch (const std::runtime_error& e) {
      std::cerr << "server: " << e.what() << "\n";
      return 2;
    }
    config.tls_certificate = throwaway->certificate_file();
    config.tls_key_pem = throwaway->key_pem();
  }
  // The dashboard's connections count too, so that its visitors cannot take the descriptors the server needs.
  const int dashboard_connections = dashboard_port ? kit::Dashboard::most_connections : 0;
  const int wanted = config.max_connections + dashboard_connections;
  if (const int fit = kit::make_room_for_connections(wanted); fit < wanted) {
    // A class on laptops with a low limit still gets a server, with a note.
    const int served = std::max(1, fit - dashboard_connections);
    std::cerr << "server: " << kit::too_few_descriptors(wanted, fit) << "; serving at most " << served
              << " at once\n";
    config.max_connections = served;
  }

  // Signals are taken by one waiting thread (below), never by the serving
  // threads, so both models stop the same way. Block them before any thread starts.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  // SIGHUP (the terminal closed) and SIGQUIT stop it the same way, and clean up.
  for (const int stop_signal : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) sigaddset(&stop_signals, stop_signal);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);  // a peer gone mid-write is an error code, not the end

  // The two models differ only in how the app's wait runs; one front end serves both.
  std::unique_ptr<kit::AppModel> model;
  if (config.event_loop) {
    model = std::make_unique<kit::EventLoopModel>(config.app, config.threads, config.blocking);
  } else {
    config.threads = 1;  // one loop reads requests for the whole pool
    try {
      model = std::make_unique<kit::WorkerPool>(config.app, config.workers, config.queue);
    } catch (const std::system_error& e) {
      // The system refused a thread (ulimit -u, memory).
      std::cerr << "server: cannot start " << config.workers << " worker threads (" << e.what() << ")\n";
      return 2;
    }
  }
  std::optional<kit::Dashboard> dashboard;  // on a thread of its own, never the model's
  std::optional<kit::HttpFrontEnd> front_end;
  try {
    if (dashboard_port) {
      dashboard.emplace(config.host, *dashboard_port, model->description(), config.event_loop ? 0 : config.workers);
      model->tell(&*dashboard);
    }
    front_end.emplace(config, *model, dashboard ? &*dashboard : nullptr);
  } catch (const kit::ListenError& e) {
    std::cerr << "server: " << e.what() << "\n";
    return 2;
  }
  const int port = front_end->port();
  const std::string scheme = config.tls_certificate.empty() ? "http" : "https";
  std::printf("Serving on %s://%s:%d (%s) ...\n", scheme.c_str(), url_host(config.host).c_str(), port,
              model->description().c_str());
  if (dashboard) std::printf("Dashboard on http://%s:%d/\n", url_host(config.host).c_str(), dashboard->port());
  std::fflush(stdout);
  if (!front_end->address().is_loopback()) {
    std::fprintf(stderr, "server: listening beyond this machine: anyone on the network can reach it\n");
    for (const std::string& address : kit::addresses_for_others(front_end->address())) {
      std::fprintf(stderr, "server: students can use %s://%s:%d/", scheme.c_str(), address.c_str(), port);
      if (dashboard) std::fprintf(stderr, " (dashboard http://%s:%d/)", address.c_str(), dashboard->port());
      std::fprintf(stderr, "\n");
    }
  }
  if (throwaway) {
    std::fprintf(stderr,
                 "server: self-signed certificate for localhost, 127.0.0.1 and ::1 in %s\n"
                 "server: trust it with: client_async https://localhost:%d/ --cacert %s\n",
                 throwaway->certificate_file().c_str(), port, throwaway->certificate_file().c_str());
  }

  std::atomic<bool> finished{false};
  std::jthread signal_waiter([&] {
    // Short waits so this thread also ends when the server stops on its own.
    const timespec slice{0, 100'000'000};
    int signal_number = -1;
    while (!finished && (signal_number = sigtimedwait(&stop_signals, nullptr, &slice)) < 0) {}
    if (finished) return;
    std::fprintf(stderr, "server: SIG%s received, finishing requests in flight (up to %g s)\n",
                 sigabbrev_np(signal_number), config.drain);
    front_end->stop_accepting();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(config.drain);
    // Leaving without unwinding: the serving threads may still be busy. Only
    // the throw-away certificate's file needs removing by hand.
    auto exit_now = [&](int code) {
      throwaway.reset();
      std::_Exit(code);
    };
    while (!finished) {
      if (sigtimedwait(&stop_signals, nullptr, &slice) >= 0) {
        std::fprintf(stderr, "server: second signal, exiting now\n");
        exit_now(1);
      }
      if (std::chrono::steady_clock::now() >= deadline) {
        std::fprintf(stderr, "server: gave up waiting for requests after %g s\n", config.drain);
        exit_now(0);
      }
    }
  });

  front_end->run();
  finished = true;
  std::fprintf(stderr, "server: stopped\n");
  return 0;
}
