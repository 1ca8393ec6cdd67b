#include "options.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <fstream>
#include <iostream>
#include <map>

#include "distributed_flags.hpp"
#include "http2_flags.hpp"
#include "help_text.hpp"
#include "readable_flags.hpp"
#include "request_body.hpp"
#include "records_export.hpp"
#include "safe_text.hpp"
#include "targets_file.hpp"
#include "url_list.hpp"
#include "version.hpp"

namespace kit {

namespace {

constexpr const char* default_url = "http://localhost:8000/";

}  // namespace

bool ClientOptions::any_https() const {
  return std::any_of(targets.begin(), targets.end(), [](const HttpTarget& t) { return t.tls; });
}

namespace {

// What the flags hold before they become ClientOptions.
struct ParsedFlags {
  std::vector<std::string> urls;
  std::string url_file;
  std::string targets_file;
  CLI::Option* requests = nullptr;  // given or not
  std::optional<double> deadline_seconds, duration_seconds;
  bool keep_alive = false, no_keep_alive = false;
  std::optional<std::string> method, data, data_file, content_type, auth;
  std::vector<std::string> header_lines;
  std::vector<std::string> fail_if;
  std::optional<std::string> stages;
  DistributedFlags distributed;
};

void add_request_flags(CLI::App& app, ParsedFlags& flags) {
  app.add_option("-m,--method", flags.method,
                 std::string("the method: ") + std::string(client_methods) + " (default GET, or POST with a body)")
      ->type_name("METHOD");
  app.add_option("-H,--header", flags.header_lines, "a header to send, 'Name: value' (repeatable)")
      ->type_name("HEADER");
  auto* data = app.add_option("-d,--data", flags.data,
                              "the body to send; @FILE reads it from FILE (@- from stdin) without its line "
                              "breaks, as curl's -d does")
                   ->type_name("DATA");
  app.add_option("-D,--data-file", flags.data_file, "the body to send, read once from FILE (- for stdin)")
      ->type_name("FILE")
      ->excludes(data);
  app.add_option("-T,--content-type", flags.content_type,
                 "the body's Content-Type (default " + std::string(default_body_type) + ")")
      ->type_name("TYPE");
  app.add_option("-a,--auth", flags.auth, "basic authentication")->type_name("USER:PASS");
}

void add_target_flags(CLI::App& app, ClientOptions& options, ParsedFlags& flags) {
  // Named "url", not "urls": CLI11 2.4.2 and later (Debian 13 on) refuse a
  // positional named like an option, since the two would clash in a config file.
  app.add_option("url", flags.urls,
                 std::string("URLs to fetch (default ") + default_url + "); request k takes URL k mod their count")
      ->type_name("URL");
  app.add_option("--urls", flags.url_file, "read more URLs from FILE, one per line, # for comments (- for stdin)")
      ->type_name("FILE");
  app.add_option("--targets", flags.targets_file,
                 "read the requests from FILE in vegeta's format: 'METHOD URL', its header lines, '@path' for a "
                 "body, a blank line between targets (- for stdin)")
      ->type_name("FILE")
      ->excludes("url")
      ->excludes("--urls");
  flags.requests = app.add_option("-n,--requests", options.requests,
                                  "number of requests (default 2; one per URL with several URLs or --urls)")
                       ->check(flags::whole_number("a number of requests", 1, 1e7));
}

void add_timing_flags(CLI::App& app, ClientOptions& options, ParsedFlags& flags) {
  app.add_option("--timeout", options.timeout, "seconds allowed per try")
      ->capture_default_str()
      ->check(flags::number("a number of seconds", 0.001, 86400));
  app.add_option("--rate", options.rate,
                 "requests due per second (fractions allowed), each on its schedule whatever became of the "
                 "others; its latency counts from its due time")
      ->check(flags::number("a number of requests a second", 0.001, 1e6));
  app.add_option("--retry", options.retries,
                 "ask again up to N times after a 429 or 503 (waiting as Retry-After says, else a backoff) "
                 "or a reset before any answer")
      ->capture_default_str()
      ->check(flags::whole_number("a number of retries", 0, 100))
      ->type_name("N");
  app.add_option("--deadline", flags.deadline_seconds,
                 "seconds allowed per request, its tries and waits included (from its due time with --rate)")
      ->check(flags::number("a number of seconds", 0.001, 86400));
  app.add_option("-z,--duration", flags.duration_seconds,
                 "send requests for this long instead of -n (10s, 500ms, 2m); implies --quiet and --keep-alive")
      ->transform(
          flags::said_as(CLI::AsNumberWithUnit(std::map<std::string, double>{{"ms", 0.001}, {"s", 1}, {"m", 60}},
                                               CLI::AsNumberWithUnit::Options(CLI::AsNumberWithUnit::CASE_SENSITIVE |
                                                                              CLI::AsNumberWithUnit::UNIT_REQUIRED),
                                               "DURATION"),
                         "a duration with its unit, like 10s, 500ms or 2m"))
      ->type_name("DURATION")
      ->check(flags::number("a number of seconds", 0.001, 86400))
      ->excludes(flags.requests);
  app.add_option("--stages", flags.stages,
                 "an open-loop ramp: the rate moves linearly to each stage's RATE over its DURATION, from --rate "
                 "(default 0), as k6's ramping arrival rate; the run ends after the last ('10s:100,20s:100,10s:0')")
      ->type_name("DURATION:RATE,...")
      ->excludes(flags.requests)
      ->excludes("--duration");
}

void add_connection_flags(CLI::App& app, ClientOptions& options, ParsedFlags& flags, ClientKind kind) {
  auto* keep_alive_flag =
      app.add_flag("--keep-alive", flags.keep_alive, "reuse each lane's connection (default with -z)");
  app.add_flag("--no-keep-alive", flags.no_keep_alive, "a new connection for every request (default without -z)")
      ->excludes(keep_alive_flag);
  app.add_option("--max-body", options.max_body, "largest body accepted, in bytes (10m, 512k, 100)")
      ->transform(flags::size_in_bytes())
      ->type_name("SIZE")
      ->default_str("10m");
  app.add_flag(
      "--follow", options.follow,
      kind == ClientKind::sync ? "follow redirects (up to 5)" : "follow redirects on the same host and port (up to 5)");
  app.add_flag("-k,--insecure", options.insecure, "https: do not verify the server's certificate (says so on stderr)");
  app.add_option("--cacert", options.ca_file, "https: trust the CA certificates in this PEM file")
      ->check(flags::existing_file())
      ->type_name("FILE");
}

void add_threshold_flags(CLI::App& app, ParsedFlags& flags) {
  app.add_option("--fail-if", flags.fail_if,
                 "after the run, exit 3 if this holds: 'p99 > 200ms', 'avg > 1s', 'max > 2s', 'errors > 1%', "
                 "'errors > 0', 'rps < 100' (repeatable)")
      ->type_name("EXPR");
}

std::vector<Threshold> parse_thresholds(const ParsedFlags& flags) {
  std::vector<Threshold> thresholds;
  for (const std::string& expression : flags.fail_if) {
    std::string problem;
    auto threshold = parse_threshold(expression, problem);
    if (!threshold) throw CLI::ValidationError("--fail-if '" + expression + "': " + problem);
    thresholds.push_back(std::move(*threshold));
  }
  return thresholds;
}

void add_report_flags(CLI::App& app, ClientOptions& options) {
  auto* quiet = app.add_flag("-q,--quiet", options.quiet, "do not print the bodies");
  app.add_flag("-i,--include", options.include,
               "print each answer's status line and headers before its body, as curl -i does")
      ->excludes(quiet);
  app.add_flag("--summary", options.summary,
               "after the run: total, latency histogram and percentiles (exact up to 65,536 requests, "
               "then within 0.1%), status and error counts");
  app.add_flag("--timeline", options.timeline, "after the run: when each request ran, one row per lane");
  app.add_option("--svg", options.svg_path, "write the timeline as an SVG picture to FILE")->type_name("FILE");
  app.add_option("--json", options.json_path, "write every record and the summary as JSON (- for stdout)")
      ->type_name("FILE");
  app.add_option("--csv", options.csv_path, "write every record as CSV (- for stdout)")->type_name("FILE");
}

void add_lane_flags(CLI::App& app, ClientOptions& options, ClientKind kind) {
  if (kind == ClientKind::sync) {
    auto* threads = app.add_option("-t,--threads", options.threads, "threads that share the requests")
                        ->capture_default_str()
                        ->check(flags::whole_number("a number of threads", 1, 10000));
    app.add_option("--processes", options.processes,
                   "worker processes that share the requests, as Python's multiprocessing.Pool (with -n)")
        ->check(flags::whole_number("a number of processes", 1, 5000))
        ->excludes(threads)
        ->excludes("--duration")
        ->excludes("--rate")
        ->excludes("--stages")
        ->type_name("N");
    return;
  }
  app.add_option("-c,--concurrency", options.concurrency, "most requests in flight at once (default: all of them)")
      ->check(flags::whole_number("a number of requests in flight", 1, 1e7));
  app.add_option("--loops", options.loops, "event loops, each on a thread of its own, sharing the requests in flight")
      ->capture_default_str()
      ->check(flags::whole_number("a number of event loops", 1, 64));
}

// The URLs from the command line and --urls, or the default one.
void collect_targets(ClientOptions& options, const ParsedFlags& flags) {
  for (const std::string& url : flags.urls) options.targets.push_back(parse_http_url(url));
  const std::string& url_file = flags.url_file;
  if (!url_file.empty()) {
    std::ifstream file;
    if (url_file != "-") {
      file.open(url_file);
      if (!file) throw CLI::ValidationError("--urls: cannot read '" + url_file + "'");
    }
    const auto listed = read_url_list(url_file == "-" ? std::cin : file, url_file == "-" ? "stdin" : url_file);
    if (listed.empty()) throw CLI::ValidationError("--urls: no URL in '" + url_file + "'");
    options.targets.insert(options.targets.end(), listed.begin(), listed.end());
  }
  if (options.targets.empty()) options.targets.push_back(parse_http_url(default_url));
  if (flags.requests->count() == 0 && (options.targets.size() > 1 || !url_file.empty())) {
    options.requests = static_cast<int>(std::min<std::size_t>(options.targets.size(), 10'000'000));
  }
}

// -m, -H, -d/-D, -T and -a as one shape that every request takes.
RequestShape shape_requests(const ParsedFlags& flags) {
  RequestShape shape;
  if (flags.data) {
    try {
      shape.body = body_from_data_flag(*flags.data);
    } catch (const std::invalid_argument& e) {
      throw CLI::ValidationError(std::string("--data: ") + e.what());
    }
  }
  if (flags.data_file) {
    try {
      shape.body = body_from_file(*flags.data_file);
    } catch (const std::invalid_argument& e) {
      throw CLI::ValidationError(std::string("--data-file: ") + e.what());
    }
  }
  if (flags.method) {
    const auto method = known_method(*flags.method);
    if (!method)
      throw CLI::ValidationError("--method: '" + *flags.method + "' is not one of " + std::string(client_methods));
    shape.method = *method;
  } else if (shape.body) {
    shape.method = "POST";  // as curl -d does
  }
  for (const std::string& line : flags.header_lines) {
    try {
      shape.headers.push_back(parse_header_line(line));
    } catch (const std::invalid_argument& e) {
      throw CLI::ValidationError("--header '" + line + "': " + e.what());
    }
  }
  if (flags.content_type) {
    shape.headers.emplace_back("Content-Type", *flags.content_type);
  } else if (shape.body && !shape.header("Content-Type")) {
    shape.headers.emplace_back("Content-Type", std::string(default_body_type));
  }
  if (flags.auth) {
    if (flags.auth->find(':') == std::string::npos) throw CLI::ValidationError("--auth: expected USER:PASS");
    shape.headers.emplace_back("Authorization", basic_authorization(*flags.auth));
  }
  if ((flags.data_file == "-" || flags.data == "@-") && flags.url_file == "-") {
    throw CLI::ValidationError("the body and --urls cannot both read stdin");
  }
  return shape;
}

// --targets: each target's own method, headers and body, with -H, -T and
// -a added to all; otherwise every URL takes the one shape of the flags.
void shape_each_target(ClientOptions& options, const ParsedFlags& flags) {
  if (flags.targets_file.empty()) {
    options.shapes.assign(options.targets.size(), options.shape);
    return;
  }
  if (flags.method || flags.data || flags.data_file) {
    throw CLI::ValidationError("--targets: the method and body come from the file, not -m, -d or -D");
  }
  const std::string& path = flags.targets_file;
  std::ifstream file;
  if (path != "-") {
    file.open(path);
    if (!file) throw CLI::ValidationError("--targets: cannot read '" + path + "'");
  }
  options.targets.clear();
  for (FileTarget& listed : read_targets(path == "-" ? std::cin : file, path == "-" ? "stdin" : path, body_from_file)) {
    RequestShape& shape = listed.shape;
    shape.headers.insert(shape.headers.end(), options.shape.headers.begin(), options.shape.headers.end());
    if (shape.body && !shape.header("Content-Type"))
      shape.headers.emplace_back("Content-Type", std::string(default_body_type));
    options.targets.push_back(std::move(listed.target));
    options.shapes.push_back(std::move(shape));
  }
  if (flags.requests->count() == 0) {
    options.requests = static_cast<int>(std::min<std::size_t>(options.targets.size(), 10'000'000));
  }
}

// Found out now, not after a long run whose results would have nowhere to go.
void check_outputs(const CLI::App& app, const ClientOptions& options) {
  if (options.json_path == "-" && options.csv_path == "-") {
    throw CLI::ValidationError("--json and --csv cannot both write to stdout");
  }
  for (const auto& [flag, path] :
       {std::pair{"--svg", options.svg_path}, {"--json", options.json_path}, {"--csv", options.csv_path}}) {
    if (app.count(flag) == 0) continue;
    if (const std::string problem = check_writable(path); !problem.empty()) {
      throw CLI::ValidationError(std::string(flag) + ": " + problem);
    }
  }
}

// What follows from the flags given: -z's implications, and lanes capped by -n.
void settle(ClientOptions& options, const ParsedFlags& flags) {
  if (flags.deadline_seconds) options.deadline = Seconds(*flags.deadline_seconds);
  if (flags.duration_seconds) options.duration = Seconds(*flags.duration_seconds);
  if (!options.stages.empty()) {
    options.duration = Seconds(0);
    for (const Stage& stage : options.stages) *options.duration += stage.length;
  }
  if (options.duration) options.quiet = true;
  options.keep_alive = flags.keep_alive || options.http2 || (options.duration && !flags.no_keep_alive);
  // -n caps the lanes; a timed run has no count, so it needs -c / --threads.
  if (options.concurrency == 0) options.concurrency = options.duration ? 50 : options.requests;
  if (options.shard.split()) options.concurrency = share_of_concurrency(options.concurrency, options.shard);
  if (!options.duration) {
    const auto requests = static_cast<int>(share_of_requests(options.requests, options.shard));
    options.concurrency = std::max(1, std::min(options.concurrency, requests));
    options.threads = std::min(options.threads, options.requests);
    options.processes = std::min(options.processes, options.requests);
  }
  options.loops = std::min(options.loops, options.concurrency);  // no loop without a lane
}

// Parses and checks; the exit code when the program should stop now.
std::optional<int> parse(CLI::App& app, int argc, char** argv, ClientOptions& options, const ParsedFlags& flags) {
  const std::string& program = options.program;
  try {
    app.parse(argc, argv);
    options.shape = shape_requests(flags);
    collect_targets(options, flags);
    shape_each_target(options, flags);
    options.thresholds = parse_thresholds(flags);
    if (flags.stages) {
      try {
        options.stages = parse_stages(*flags.stages);
      } catch (const std::invalid_argument& e) {
        throw CLI::ValidationError("--stages '" + *flags.stages + "': " + e.what());
      }
    }
    check_outputs(app, options);
    check_http2_flags(app, options);
    check_distributed_flags(app, options, flags.distributed,
                            flags.url_file.empty() ? flags.targets_file : flags.url_file);
    if (options.insecure && options.any_https()) {
      std::cerr << program << ": warning: --insecure: the server's certificate is not verified\n";
    }
  } catch (const CLI::CallForHelp&) {
    const char* usual = options.kind == ClientKind::sync ? "client_sync" : "client_async";
    std::cout << flags::help_with_examples(app, with_program_name(client_examples(options.kind), usual, program));
    return 0;
  } catch (const CLI::CallForVersion& e) {
    std::cout << e.what() << "\n";
    return 0;
  } catch (const CLI::ParseError& e) {
    std::cerr << program << ": " << printable(flags::plain_error(e), 4096) << " (see --help)\n";
    return 2;
  } catch (const BadUrl& e) {
    std::cerr << program << ": " << printable(e.what(), 4096) << "\n";
    return 2;
  }
  return std::nullopt;
}

}  // namespace

CommandLine parse_client_command_line(ClientKind kind, int argc, char** argv) {
  const char* usual = kind == ClientKind::sync ? "client_sync" : "client_async";
  const std::string program = invoked_name(argc > 0 ? argv[0] : nullptr, usual);
  CLI::App app{client_description(kind), program};
  app.set_version_flag("--version", version_text(program), "print the kit's and its libraries' versions");

  CommandLine result;
  ClientOptions& options = result.options;
  options.kind = kind;
  options.program = program;
  for (int i = 0; i < argc; ++i) options.command += (i ? " " : "") + std::string(i ? argv[i] : program.c_str());
  ParsedFlags flags;
  add_target_flags(app, options, flags);
  add_timing_flags(app, options, flags);
  add_connection_flags(app, options, flags, kind);
  add_report_flags(app, options);
  add_lane_flags(app, options, kind);
  add_request_flags(app, flags);
  add_threshold_flags(app, flags);
  add_distributed_flags(app, options, flags.distributed);
  add_http2_flags(app, options);
  flags::without_needs_and_excludes(app);
  result.exit_code = parse(app, argc, argv, options, flags);
  settle(options, flags);
  return result;
}

}  // namespace kit
