#pragma once
// The command line both clients share: URL, how many requests, timeout, output.
#include <optional>
#include <string>
#include <vector>

#include "http_target.hpp"
#include "record.hpp"
#include "request_shape.hpp"
#include "schedule.hpp"
#include "shard.hpp"
#include "thresholds.hpp"

namespace kit {

enum class ClientKind { sync, async };

struct ClientOptions {
  ClientKind kind = ClientKind::async;
  std::vector<HttpTarget> targets;          // the URLs: request k takes URL k mod their count
  RequestShape shape;                       // the method, headers and body the flags ask for
  std::vector<RequestShape> shapes;         // each URL's: the flags', or its own with --targets
  std::vector<Threshold> thresholds;        // --fail-if
  int requests = 2;                         // -n; with several URLs, one request each by default
  int threads = 1;                          // client_sync --threads
  int processes = 0;                        // client_sync --processes: worker processes instead of threads (0: none)
  int concurrency = 0;                      // client_async -c; 0 means all requests at once
  int loops = 1;                            // client_async --loops: event loops, each on a thread of its own
  std::optional<Seconds> duration;          // -z: send requests until this much time has passed
  double timeout = 30;                      // seconds per try
  std::optional<double> rate;               // --rate: requests due per second, whatever came of earlier ones
  std::vector<Stage> stages;                // --stages: the rate moving linearly to each stage's, from --rate (or 0)
  int retries = 0;                          // --retry: more tries after a 429, a 503 or a reset
  std::optional<Seconds> deadline;          // --deadline: the whole request, its tries and waits included
  std::size_t max_body = 10 * 1024 * 1024;  // bytes; a larger body is a failure
  bool follow = false;                      // follow redirects (up to 5)
  bool insecure = false;                    // https: skip certificate verification
  std::string ca_file;                      // https: trust this CA (PEM) instead of the system's
  bool quiet = false;                       // no bodies on stdout
  bool include = false;                     // -i: each answer's status line and headers before its body, as curl -i
  bool keep_alive = false;                  // reuse each lane's connection; on by default with -z
  bool http2 = false;                       // client_async --http2: requests as streams on shared connections
  int connections = 1;                      // --connections: HTTP/2 connections to each host

  // Reports after the run, all built from the same records.
  bool summary = false;                       // hey-style figures
  bool timeline = false;                      // a Gantt chart in the terminal
  std::string svg_path, json_path, csv_path;  // "" for none, "-" for stdout

  // A run spread over many processes (docs/distributed.md).
  Shard shard;                           // --shard K/N: this run's part of the plan
  std::optional<double> start_at;        // --start-at, in Unix seconds
  std::string result_path;               // --result: the mergeable result ("" for none, "-" for stdout)
  std::vector<std::string> merge_paths;  // --merge: add these results up instead of running

  std::string program;  // "client_sync" or "client_async"
  std::string command;  // the command line as typed, for titles

  bool any_https() const;
  bool data_on_stdout_besides_result() const { return json_path == "-" || csv_path == "-"; }
  bool data_on_stdout() const { return data_on_stdout_besides_result() || result_path == "-"; }
  bool merging() const { return !merge_paths.empty(); }
  bool keep_bodies() const { return !quiet && !data_on_stdout(); }
  // Lanes: threads for client_sync, concurrent requests for client_async.
  int lanes() const { return kind == ClientKind::sync ? (processes ? processes : threads) : concurrency; }
};

struct CommandLine {
  ClientOptions options;
  std::optional<int> exit_code;  // set when the program should stop now: 0 after --help, 2 on bad usage
};

// Parses argv with CLI11; bad usage is reported on stderr in one line.
CommandLine parse_client_command_line(ClientKind kind, int argc, char** argv);

}  // namespace kit
