#include "server_options.hpp"

#include <CLI/CLI.hpp>
#include <iostream>

#include "readable_flags.hpp"
#include "safe_text.hpp"
#include "version.hpp"

namespace kit {

namespace {

constexpr double seconds_in_a_day = 86400;

constexpr const char* examples =
    "Examples:\n"
    "  server                          # 8 workers on http://127.0.0.1:8000\n"
    "  server --workers 1              # one request at a time, like Python's wsgiref\n"
    "  server --workers 2              # like gunicorn -w 2\n"
    "  server --async                  # event loop: every request waits at the same time\n"
    "  server --async --blocking       # event loop that sleeps: requests queue up again\n"
    "  server --port 0 --delay 0.2     # a free port, 0.2 s per request\n"
    "  server --tls-self-signed        # https with a throw-away certificate\n"
    "  server --async --max-streams 20 # HTTP/2 beside HTTP/1.1 (unless --no-http2), 20 streams a connection\n"
    "  server --dashboard 8001         # and a live page of the requests on http://127.0.0.1:8001/\n"
    "  server --async --rate-limit 5   # an API that takes 5 requests a second; past it, 429\n"
    "  server --host 0.0.0.0 --dashboard 8001   # a whole class: students reach it over the network\n"
    "\n"
    "Per request: /?delay=0.25 waits 0.25 s, /?status=503 answers 503.\n"
    "GET, HEAD, POST, PUT, PATCH and DELETE are served; a body is read (up to --max-body)\n"
    "and the answer says how many bytes in X-Body-Bytes. OPTIONS answers Allow.\n"
    "Stop with Ctrl-C: requests in flight are answered first (up to --drain seconds).";

void add_model_flags(CLI::App& app, ServerConfig& config) {
  auto* workers = app.add_option("-w,--workers", config.workers, "worker-pool model: requests served at the same time")
                      ->capture_default_str()
                      ->check(flags::whole_number("a number of workers", 1, 10000));
  auto* queue = app.add_option("--queue", config.queue,
                               "worker-pool model: requests that wait for a worker in the server; "
                               "more wait unread in the kernel's backlog, as with gunicorn")
                    ->capture_default_str()
                    ->check(flags::whole_number("a number of requests", 0, 1e6));
  auto* event_loop =
      app.add_flag("--async", config.event_loop, "event-loop model (Boost.Beast): delays are timers, not sleeps");
  app.add_option("--threads", config.threads,
                 "event-loop model: event loops, one per thread, taking new connections in turn")
      ->capture_default_str()
      ->check(flags::whole_number("a number of threads", 1, 256))
      ->needs(event_loop);
  app.add_flag("--blocking", config.blocking,
               "event-loop model with a blocking sleep in the handler: the classic mistake")
      ->needs(event_loop);
  workers->excludes(event_loop);
  queue->excludes(event_loop);
}

void add_limit_flags(CLI::App& app, ServerConfig& config) {
  app.add_option("--max-connections", config.max_connections, "open connections at most; past it new ones get 503")
      ->capture_default_str()
      ->check(flags::whole_number("a number of connections", 1, 1e7));
  app.add_option("--header-timeout", config.header_timeout,
                 "seconds a client gets to send its request; slower ones are closed")
      ->capture_default_str()
      ->check(flags::number("a number of seconds", 0.001, 3600));
  app.add_flag_callback(
      "--no-http2", [&config] { config.http2 = false; },
      "HTTP/1.1 only: no HTTP/2, which is otherwise served beside it on the same port (by ALPN over TLS, "
      "by its preface on cleartext)");
  app.add_option("--max-streams", config.max_streams,
                 "HTTP/2: requests in flight on one connection at most (SETTINGS_MAX_CONCURRENT_STREAMS)")
      ->capture_default_str()
      ->check(flags::whole_number("a number of streams", 1, 10000));
  app.add_option("--idle-timeout", config.idle_timeout, "seconds a kept-alive connection may wait for its next request")
      ->capture_default_str()
      ->check(flags::number("a number of seconds", 0.001, 3600));
  app.add_option("--drain", config.drain, "seconds in-flight requests get after Ctrl-C/SIGTERM")
      ->capture_default_str()
      ->check(flags::number("a number of seconds", 0, seconds_in_a_day));
  app.add_option("--max-body", config.app.max_body,
                 "largest request body read (POST, PUT, PATCH, DELETE), in bytes (1m, 64k, 100); past it, 413")
      ->transform(flags::size_in_bytes())
      ->type_name("SIZE")
      ->default_str("1m");
}

void add_rate_limit_flags(CLI::App& app, ServerConfig& config) {
  auto* rate_limit = app.add_option("--rate-limit", config.rate_limit,
                                    "a rate-limited API: requests a second the whole server takes; past it, 429")
                         ->check(flags::number("a number of requests a second", 0.001, 1e6))
                         ->type_name("R");
  app.add_option("--burst", config.burst, "with --rate-limit: how many at once after a quiet spell (default: R)")
      ->check(flags::number("a number of requests", 1, 1e9))
      ->needs(rate_limit)
      ->type_name("B");
}

void add_tls_flags(CLI::App& app, ServerCommandLine& line) {
  auto* certificate = app.add_option("--tls-cert", line.config.tls_certificate,
                                     "serve https with this certificate (PEM; needs --tls-key)")
                          ->check(flags::existing_file())
                          ->type_name("FILE");
  auto* key = app.add_option("--tls-key", line.config.tls_key, "the certificate's private key (PEM)")
                  ->check(flags::existing_file())
                  ->type_name("FILE");
  certificate->needs(key);
  key->needs(certificate);
  app.add_flag("--tls-self-signed", line.self_signed,
               "serve https with a throw-away certificate for localhost/127.0.0.1 made at start-up")
      ->excludes(certificate)
      ->excludes(key);
}

}  // namespace

namespace {

void add_address_flags(CLI::App& app, ServerConfig& config) {
  app.add_option("--host", config.host, "address to listen on")->capture_default_str();
  app.add_option("--port", config.port, "port to listen on; 0 picks a free one")
      ->capture_default_str()
      ->check(flags::whole_number("a port number", 0, 65535));
}

void add_app_flags(CLI::App& app, AppConfig& config) {
  // At most a day: a larger number of seconds overflows the clock's ticks into no wait at all.
  app.add_option("--delay", config.delay, "seconds each request waits")
      ->capture_default_str()
      ->check(flags::number("a number of seconds", 0, seconds_in_a_day));
  app.add_option("--max-delay", config.max_delay, "largest ?delay= accepted, in seconds")
      ->capture_default_str()
      ->check(flags::number("a number of seconds", 0, seconds_in_a_day));
  app.add_option("--body", config.body, "the text every answer carries")->capture_default_str();
}

void add_dashboard_flags(CLI::App& app, ServerCommandLine& line) {
  auto* dashboard = app.add_option("--dashboard", line.dashboard_port,
                                   "also serve a live page of the requests on this port (0 picks a free one)")
                        ->check(flags::whole_number("a port number", 0, 65535))
                        ->type_name("PORT");
  app.add_option("--allow-host", line.allowed_hosts,
                 "the dashboard also answers to this name (a lab's DNS name, a proxy's; .example.org for a "
                 "whole domain), besides addresses, localhost and this machine's name (repeatable)")
      ->type_name("NAME")
      ->needs(dashboard)
      ->check(flags::host_name());
}

// What the flags cannot say alone; the exit code when they do not go together.
std::optional<int> check_together(const std::string& program, ServerCommandLine& line) {
  ServerConfig& config = line.config;
  if (line.dashboard_port && *line.dashboard_port != 0 && *line.dashboard_port == config.port) {
    std::cerr << program << ": --port and --dashboard must differ: the dashboard is another server, on port "
              << config.port << " too (see --help)\n";
    return 2;
  }
  if (config.app.delay > config.app.max_delay) config.app.max_delay = config.app.delay;
  return std::nullopt;
}

}  // namespace

ServerCommandLine parse_server_command_line(int argc, char** argv) {
  ServerCommandLine line;
  ServerConfig& config = line.config;
  const std::string program = invoked_name(argc > 0 ? argv[0] : nullptr, "server");
  CLI::App app{"Slow HTTP server: every request waits, then answers a short text.", program};
  app.set_version_flag("--version", version_text(program), "print the kit's and its libraries' versions");
  add_address_flags(app, config);
  add_app_flags(app, config.app);
  add_model_flags(app, config);
  add_limit_flags(app, config);
  add_tls_flags(app, line);
  add_rate_limit_flags(app, config);
  add_dashboard_flags(app, line);
  app.add_flag("-q,--quiet", config.quiet, "no access log on stderr");
  flags::without_needs_and_excludes(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    std::cout << flags::help_with_examples(app, with_program_name(examples, "server", program));
    line.exit_code = 0;
  } catch (const CLI::CallForVersion& e) {
    std::cout << e.what() << "\n";
    line.exit_code = 0;
  } catch (const CLI::ParseError& e) {
    std::cerr << program << ": " << printable(flags::plain_error(e), 4096) << " (see --help)\n";
    line.exit_code = 2;
  }
  if (!line.exit_code) line.exit_code = check_together(program, line);
  return line;
}

}  // namespace kit
