#include "report.hpp"

#include <algorithm>
#include <ostream>
#include <sstream>

#include "records_export.hpp"
#include "result_file.hpp"
#include "timeline.hpp"
#include "units.hpp"

namespace kit {

std::string failure_line(const RequestRecord& record) {
  std::string line = "request " + std::to_string(record.number) + ": " + record.error;
  if (record.attempt > 1) line += " (try " + std::to_string(record.attempt) + ", the last)";
  return line;
}

std::string recap_line(const Tally& tally, Seconds elapsed) {
  std::string line = std::to_string(tally.requests) + (tally.requests == 1 ? " request, " : " requests, ") +
                     std::to_string(tally.ok) + " ok, " + std::to_string(tally.failed) + " failed in " +
                     format_fixed(elapsed.count(), 3) + " s";
  if (tally.retries > 0) line += " (" + std::to_string(tally.retries) + (tally.retries == 1 ? " retry)" : " retries)");
  return line;
}

int exit_code_for(const Tally& tally) { return tally.failed == 0 ? 0 : 1; }

void RunResult::add(RequestRecord record, bool keep_record) {
  tally.add(record);
  if (!record.ok() && !record.retried) {
    // The failures with the lowest request numbers, whatever order they finish in.
    auto& shown = failures_shown;
    if (shown.size() < most_failure_lines || record.number < shown.back().number) {
      const auto by_number = [](const RequestRecord& a, const RequestRecord& b) { return a.number < b.number; };
      shown.insert(std::upper_bound(shown.begin(), shown.end(), record, by_number), record);
      if (shown.size() > most_failure_lines) shown.pop_back();
    }
  }
  if (keep_record) records.push_back(std::move(record));
}

namespace {

// --http2: how many requests went as streams, and what held them.
void write_protocol(std::ostream& out, const Summary& s) {
  if (!s.http2_asked && s.http2_requests == 0) return;
  out << "  Protocol:       ";
  if (s.http2_requests == 0) {
    out << "HTTP/1.1 for all " << s.requests << ": the server chose it over h2 (ALPN)\n";
  } else if (s.http2_requests < s.requests) {
    out << "HTTP/2 for " << s.http2_requests << " of " << s.requests
        << "; HTTP/1.1, which the server chose (ALPN), for the rest\n";
  } else {
    out << "HTTP/2 for all " << s.requests << '\n';
  }
  if (s.held_by_stream_limit > 0) {
    out << "  Streams:        " << s.held_by_stream_limit
        << " requests waited for the server's limit on streams per connection (--connections spreads them)\n";
  }
}

// Total, slowest, fastest, ... success rate: the figures at the top.
void write_figures(std::ostream& out, const Summary& s, bool ascii) {
  auto duration = [ascii](double seconds) { return format_duration(seconds, ascii); };
  if (s.method != "GET") out << "  Method:         " << s.method << '\n';
  out << "  Total:          " << duration(s.total_seconds) << '\n';
  if (s.average) {
    out << "  Slowest:        " << duration(*s.slowest) << '\n'
        << "  Fastest:        " << duration(*s.fastest) << '\n'
        << "  Average:        " << duration(*s.average) << '\n';
  }
  out << "  Requests/sec:   " << format_fixed(s.requests_per_second, 2) << '\n'
      << "  Total data:     " << s.total_bytes << " bytes\n"
      << "  Connections:    " << s.connections_opened << " opened\n";
  write_protocol(out, s);
  if (s.connect_average) out << "  Connect:        " << duration(*s.connect_average) << " average\n";
  if (s.handshake_average) out << "  TLS handshake:  " << duration(*s.handshake_average) << " average\n";
  if (s.server_queue_average) {
    out << "  Server queue:   " << duration(*s.server_queue_average) << " average, "
        << duration(*s.server_queue_slowest) << " slowest (Server-Timing)\n";
  }
  if (s.retries > 0) {
    out << "  Retries:        " << s.retries << " (" << s.retried_requests << " requests retried, "
        << s.failed_after_retries << " of them failed all the same)\n";
  }
  if (s.scheduled > 0) {
    out << "  Late:           " << s.late << " of " << s.scheduled << " went out more than "
        << duration(late_after.count()) << " after their due time";
    if (s.late_average) out << " (" << duration(*s.late_average) << " average, " << duration(*s.late_most) << " most)";
    out << "; latencies count from the due time\n";
  }
  out << "  Success rate:   " << format_fixed(s.success_rate(), 1) << "% (" << s.ok << " of " << s.requests << ")\n";
}

// The histogram and the percentiles of the successful requests.
void write_latencies(std::ostream& out, const Summary& s, bool ascii) {
  auto duration = [ascii](double seconds) { return format_duration(seconds, ascii); };
  if (!s.average) {
    out << "\nNo request succeeded, so there are no latency figures.\n";
    return;
  }
  out << "\nResponse time histogram (successful requests):\n";
  int most = 0;
  for (const auto& bucket : s.histogram) most = std::max(most, bucket.count);
  const std::string bar_glyph = ascii ? "#" : "\u25a0";
  for (const auto& bucket : s.histogram) {
    std::string mark = duration(bucket.upper);
    mark.insert(0, mark.size() < 10 ? 10 - mark.size() : 0, ' ');
    std::string bar;
    for (int i = 0; i < bucket.count * 40 / most; ++i) bar += bar_glyph;
    out << "  " << mark << " [" << bucket.count << "]\t|" << bar << '\n';
  }
  out << "\nLatency distribution:\n";
  for (std::size_t k = 0; k < s.percentiles.size(); ++k) {
    const auto& [p, seconds] = s.percentiles[k];
    out << "  " << format_number(p, 1) << "% in " << duration(seconds);
    // With a schedule: what a user waited (from the due time), then what the server took (from the send).
    if (k < s.service_percentiles.size()) out << " (service time " << duration(s.service_percentiles[k].second) << ")";
    out << '\n';
  }
}

// By host, status codes and errors.
void write_counts(std::ostream& out, const Summary& s, bool ascii) {
  if (!s.hosts.empty()) {
    out << "\nBy host:\n";
    std::size_t widest = 0;
    for (const auto& host : s.hosts) widest = std::max(widest, host.host.size());
    for (const auto& host : s.hosts) {
      out << "  " << host.host << std::string(widest - host.host.size() + 2, ' ') << host.requests << " requests, "
          << host.ok << " ok, " << host.failed << " failed";
      if (host.average) out << ", " << format_duration(*host.average, ascii) << " average";
      out << '\n';
    }
  }
  if (!s.status_counts.empty()) {
    out << "\nStatus code distribution:\n";
    for (const auto& [status, count] : s.status_counts) {
      out << "  [" << status << "] " << count << (count == 1 ? " response\n" : " responses\n");
    }
  }
  if (!s.error_counts.empty()) {
    out << "\nError distribution:\n";
    for (const auto& [name, count] : s.error_counts) out << "  [" << count << "] " << name << '\n';
  }
}

// Pads to `width` columns, counting UTF-8 characters, not bytes ("µs").
std::string padded(std::string text, std::size_t width) {
  const auto columns = static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
  if (columns < width) text.append(width - columns, ' ');
  return text;
}

// --stages: a row per stage, where the achieved rate falls behind the offered one.
void write_stages(std::ostream& out, const Summary& s, bool ascii) {
  if (s.stages.empty()) return;
  auto duration = [ascii](const std::optional<double>& seconds) {
    return seconds ? format_duration(*seconds, ascii) : std::string("-");
  };
  out << "\nStages (latencies from the due time; Little's law: in flight = achieved rate x average latency):\n"
      << "  " << padded("stage", 7) << padded("time", 14) << padded("rate/s", 12) << padded("offered", 10)
      << padded("achieved", 10) << padded("p50", 11) << padded("p99", 11) << padded("errors", 8)
      << padded("in flight", 11) << "rate x latency\n";
  for (std::size_t k = 0; k < s.stages.size(); ++k) {
    const StageLine& stage = s.stages[k];
    const std::string arrow = ascii ? "->" : "\u2192";
    out << "  " << padded(std::to_string(k + 1), 7)
        << padded(format_number(stage.begin.count(), 2) + "-" + format_number(stage.end.count(), 2) + " s", 14)
        << padded(format_number(stage.start_rate, 1) + arrow + format_number(stage.end_rate, 1), 12)
        << padded(format_fixed(stage.offered_rate, 1), 10) << padded(format_fixed(stage.achieved_rate, 1), 10)
        << padded(duration(stage.p50), 11) << padded(duration(stage.p99), 11) << padded(std::to_string(stage.errors), 8)
        << padded(format_fixed(stage.in_flight, 1), 11)
        << (stage.rate_x_latency ? format_fixed(*stage.rate_x_latency, 1) : "-") << '\n';
  }
}

}  // namespace

std::string summary_text(const Summary& s, const TerminalStyle& style) {
  const bool ascii = !style.utf8;
  std::ostringstream out;
  out << "\nSummary:\n";
  write_figures(out, s, ascii);
  write_latencies(out, s, ascii);
  write_stages(out, s, ascii);
  write_counts(out, s, ascii);
  return out.str();
}

namespace {

// --fail-if: a line for each threshold; true when one was crossed.
bool report_thresholds(const std::vector<Threshold>& thresholds, const std::vector<ThresholdOutcome>& outcomes,
                       std::ostream& err) {
  bool crossed = false;
  for (std::size_t k = 0; k < outcomes.size(); ++k) {
    err << threshold_line(thresholds[k], outcomes[k]) << '\n';
    crossed = crossed || outcomes[k].crossed;
  }
  return crossed;
}

}  // namespace

namespace {

// The bodies on stdout, in request order; with -i an error answer too, as curl -i shows it.
void write_bodies(const std::vector<RequestRecord>& records, const ClientOptions& options, std::ostream& out) {
  if (options.keep_bodies()) {
    for (const RequestRecord& record : records) {
      const bool answered = record.ok() || (options.include && record.status > 0);
      if (answered && !record.retried) out << record.body << '\n';
    }
  }
  out.flush();
}

}  // namespace

int report_run(RunResult run, const ClientOptions& options, std::ostream& out, std::ostream& err,
               const TerminalStyle& style) {
  const std::vector<RequestRecord>& records = run.records;
  const Seconds elapsed = run.elapsed;
  std::ostream& human = options.data_on_stdout() ? err : out;

  write_bodies(records, options, out);
  for (const RequestRecord& record : run.failures_shown) err << failure_line(record) << '\n';
  if (const auto more = run.tally.failed - static_cast<int>(run.failures_shown.size()); more > 0) {
    err << "... and " << more << " more failed requests (--summary counts them by kind)\n";
  }
  err << recap_line(run.tally, elapsed);
  if (run.cancelled > 0) err << " (" << run.cancelled << " cut off by the end of the run, not counted)";
  err << std::endl;
  if (run.unsent > 0) {
    err << run.unsent << (run.unsent == 1 ? " request" : " requests")
        << " due before the end never went out: too few lanes (-c, --threads) for --rate\n";
  }
  int exit_code = exit_code_for(run.tally);
  auto write = [&](const std::string& path, const std::string& content) {
    if (const std::string problem = write_output(path, content, out); !problem.empty()) {
      err << options.program << ": " << problem << '\n';
      exit_code = 1;
    }
  };
  if (!options.result_path.empty()) write(options.result_path, result_line(run, options, exit_code) + "\n");

  std::vector<std::string> host_of_url, urls, methods;
  for (const HttpTarget& target : options.targets) {
    host_of_url.push_back(target.host_header);
    urls.push_back(target.url);
  }
  for (const RequestShape& shape : options.shapes) methods.push_back(shape.method);
  Summary summary = summarize(std::move(run.tally), elapsed, host_of_url);
  summary.method = run_method(methods);
  summary.http2_asked = options.http2;
  if (options.summary) human << summary_text(summary, style);
  if (options.timeline) human << timeline_text(records, elapsed, style);
  human.flush();

  if (!options.svg_path.empty()) {
    write(options.svg_path,
          timeline_svg(records, elapsed, options.command, {methods, summary.stages, std::move(summary.load_slices)}));
  }
  RunInfo info{options.program, options.command, urls, methods};
  info.thresholds = check_thresholds(options.thresholds, summary);
  if (report_thresholds(options.thresholds, info.thresholds, err)) exit_code = exit_threshold_crossed;
  if (!options.json_path.empty()) write(options.json_path, records_json(info, records, summary));
  if (!options.csv_path.empty()) write(options.csv_path, records_csv(info, records, summary));
  return exit_code;
}

}  // namespace kit
