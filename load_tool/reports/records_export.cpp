#include "records_export.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <boost/json/value_from.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <ostream>

#include "units.hpp"

namespace kit {

namespace {

// As ALPN and the browsers' Resource Timing name them.
const char* protocol_name(const RequestRecord& r) { return r.http2 ? "h2" : "http/1.1"; }

boost::json::value optional_number(const std::optional<double>& value) {
  return value ? boost::json::value(*value) : boost::json::value(nullptr);
}

boost::json::value optional_number(const std::optional<Seconds>& value) {
  return value ? boost::json::value(value->count()) : boost::json::value(nullptr);
}

// --stages: a row per stage, as --summary prints them.
boost::json::array stages_json(const Summary& s) {
  boost::json::array stages;
  for (const StageLine& stage : s.stages) {
    stages.push_back({{"begin", stage.begin.count()},
                      {"end", stage.end.count()},
                      {"start_rate", stage.start_rate},
                      {"end_rate", stage.end_rate},
                      {"offered_rate", stage.offered_rate},
                      {"achieved_rate", stage.achieved_rate},
                      {"requests", stage.requests},
                      {"errors", stage.errors},
                      {"p50", optional_number(stage.p50)},
                      {"p99", optional_number(stage.p99)},
                      {"average", optional_number(stage.average)},
                      {"in_flight", stage.in_flight},
                      {"rate_x_latency", optional_number(stage.rate_x_latency)}});
  }
  return stages;
}

boost::json::object summary_json(const Summary& s) {
  boost::json::object percentiles;
  for (const auto& [p, seconds] : s.percentiles) percentiles["p" + format_number(p, 1)] = seconds;
  boost::json::object service_percentiles;
  for (const auto& [p, seconds] : s.service_percentiles) service_percentiles["p" + format_number(p, 1)] = seconds;
  boost::json::array histogram;
  for (const auto& bucket : s.histogram) histogram.push_back({{"upper", bucket.upper}, {"count", bucket.count}});
  boost::json::object statuses;
  for (const auto& [status, count] : s.status_counts) statuses[std::to_string(status)] = count;
  boost::json::object errors;
  for (const auto& [name, count] : s.error_counts) errors[name] = count;
  boost::json::array hosts;
  for (const auto& h : s.hosts) {
    hosts.push_back({{"host", h.host},
                     {"requests", h.requests},
                     {"ok", h.ok},
                     {"failed", h.failed},
                     {"average", optional_number(h.average)}});
  }
  return {{"requests", s.requests},
          {"ok", s.ok},
          {"failed", s.failed},
          {"success_rate", s.success_rate()},
          {"total_seconds", s.total_seconds},
          {"requests_per_second", s.requests_per_second},
          {"total_bytes", s.total_bytes},
          {"connections_opened", s.connections_opened},
          {"http2_requests", s.http2_requests},
          {"held_by_stream_limit", s.held_by_stream_limit},
          {"connect_average", optional_number(s.connect_average)},
          {"handshake_average", optional_number(s.handshake_average)},
          {"server_queue_average", optional_number(s.server_queue_average)},
          {"server_queue_slowest", optional_number(s.server_queue_slowest)},
          {"fastest", optional_number(s.fastest)},
          {"slowest", optional_number(s.slowest)},
          {"average", optional_number(s.average)},
          {"percentiles", std::move(percentiles)},
          {"service_average", optional_number(s.service_average)},
          {"service_percentiles", std::move(service_percentiles)},
          {"histogram", std::move(histogram)},
          {"retries", s.retries},
          {"retried_requests", s.retried_requests},
          {"failed_after_retries", s.failed_after_retries},
          {"scheduled", s.scheduled},
          {"late", s.late},
          {"late_average", optional_number(s.late_average)},
          {"late_most", optional_number(s.late_most)},
          {"hosts", std::move(hosts)},
          {"stages", stages_json(s)},
          {"status_counts", std::move(statuses)},
          {"error_counts", std::move(errors)}};
}

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

std::string seconds_text(double seconds) { return format_fixed(seconds, 6); }

std::string method_of(const RunInfo& run, const RequestRecord& r) {
  return static_cast<std::size_t>(r.url) < run.methods.size() ? run.methods[static_cast<std::size_t>(r.url)] : "GET";
}

std::string url_of(const RunInfo& run, const RequestRecord& r) {
  return static_cast<std::size_t>(r.url) < run.urls.size() ? run.urls[static_cast<std::size_t>(r.url)] : "";
}

}  // namespace

std::string run_method(const std::vector<std::string>& methods) {
  if (methods.empty()) return "GET";
  for (const std::string& method : methods) {
    if (method != methods.front()) return "mixed";
  }
  return methods.front();
}

std::string records_json(const RunInfo& run, const std::vector<RequestRecord>& records, const Summary& summary) {
  boost::json::array requests;
  for (const RequestRecord& r : records) {
    requests.push_back({{"number", r.number},
                        {"lane", r.lane},
                        {"method", method_of(run, r)},
                        {"url", url_of(run, r)},
                        {"attempt", r.attempt},
                        {"retried", r.retried},
                        {"due", optional_number(r.due)},
                        {"start", r.start.count()},
                        {"end", r.end.count()},
                        {"duration", r.duration().count()},
                        {"service_time", r.service_time().count()},
                        {"status", r.status},
                        {"bytes", r.bytes},
                        {"new_connection", r.new_connection},
                        {"connection", r.connection},
                        {"protocol", protocol_name(r)},
                        {"connect", r.connect.count()},
                        {"handshake", r.handshake.count()},
                        {"server_queue", optional_number(r.server_queue)},
                        {"server_app", optional_number(r.server_app)},
                        {"ok", r.ok()},
                        {"failure", r.ok() ? boost::json::value(nullptr) : boost::json::value(failure_name(r.failure))},
                        {"error", r.ok() ? boost::json::value(nullptr) : boost::json::value(r.error)}});
  }
  boost::json::array thresholds;
  for (const ThresholdOutcome& outcome : run.thresholds) {
    thresholds.push_back({{"expression", outcome.expression},
                          {"kept", !outcome.crossed},
                          {"measured", optional_number(outcome.measured)}});
  }
  const boost::json::object document{{"program", run.program},
                                     {"command", run.command},
                                     {"method", run_method(run.methods)},
                                     {"url", run.urls.empty() ? "" : run.urls.front()},
                                     {"urls", boost::json::value_from(run.urls)},
                                     {"summary", summary_json(summary)},
                                     {"thresholds", std::move(thresholds)},
                                     {"requests", std::move(requests)}};
  return boost::json::serialize(document) + "\n";
}

std::string records_csv(const RunInfo& run, const std::vector<RequestRecord>& records, const Summary& summary) {
  // Columns added later go at the end, so that scripts that count columns keep working.
  std::string csv =
      "number,lane,start,end,duration,status,bytes,new_connection,connect,handshake,server_queue,server_app,"
      "ok,failure,error,url,due,attempt,retried,method,service_time,protocol,connection\n";
  for (const RequestRecord& r : records) {
    csv += std::to_string(r.number) + "," + std::to_string(r.lane) + "," + seconds_text(r.start.count()) + "," +
           seconds_text(r.end.count()) + "," + seconds_text(r.duration().count()) + "," + std::to_string(r.status) +
           "," + std::to_string(r.bytes) + "," + (r.new_connection ? "true" : "false") + "," +
           seconds_text(r.connect.count()) + "," + seconds_text(r.handshake.count()) + "," +
           (r.server_queue ? seconds_text(r.server_queue->count()) : "") + "," +
           (r.server_app ? seconds_text(r.server_app->count()) : "") + "," + (r.ok() ? "true" : "false") + "," +
           (r.ok() ? "" : std::string(failure_name(r.failure))) + "," + csv_field(r.error) + "," +
           csv_field(url_of(run, r)) + "," + (r.due ? seconds_text(r.due->count()) : "") + "," +
           std::to_string(r.attempt) + "," + (r.retried ? "true" : "false") + "," + method_of(run, r) + "," +
           seconds_text(r.service_time().count()) + "," + protocol_name(r) + "," + std::to_string(r.connection) + "\n";
  }
  auto line = [&](const std::string& name, const std::string& value) { csv += "# " + name + "," + value + "\n"; };
  line("requests", std::to_string(summary.requests));
  line("ok", std::to_string(summary.ok));
  line("failed", std::to_string(summary.failed));
  line("total_seconds", seconds_text(summary.total_seconds));
  line("requests_per_second", format_fixed(summary.requests_per_second, 3));
  line("total_bytes", std::to_string(summary.total_bytes));
  line("connections_opened", std::to_string(summary.connections_opened));
  if (summary.http2_requests > 0) line("http2_requests", std::to_string(summary.http2_requests));
  if (summary.retries > 0) line("retries", std::to_string(summary.retries));
  if (summary.scheduled > 0) line("late", std::to_string(summary.late));
  if (summary.server_queue_average) {
    line("server_queue_average", seconds_text(*summary.server_queue_average));
    line("server_queue_slowest", seconds_text(*summary.server_queue_slowest));
  }
  if (summary.average) {
    line("fastest", seconds_text(*summary.fastest));
    line("slowest", seconds_text(*summary.slowest));
    line("average", seconds_text(*summary.average));
    for (const auto& [p, seconds] : summary.percentiles) line("p" + format_number(p, 1), seconds_text(seconds));
  }
  return csv;
}

namespace {

// The mode a new file gets: what the umask leaves of 0666. Reports are
// written at the end of a run, on one thread, so reading the umask is safe.
mode_t new_file_mode() {
  const mode_t mask = ::umask(0);
  ::umask(mask);
  return 0666 & ~mask;
}

}  // namespace

std::string write_output(const std::string& path, const std::string& content, std::ostream& standard_output) {
  if (path == "-") {
    standard_output << content << std::flush;
    return "";
  }
  // Written beside the target under a name no one can guess, created
  // exclusively (so nothing planted there is followed), flushed to the disk,
  // then renamed over it: a reader finds the old file or the whole new one.
  std::string temporary = path + ".XXXXXX";
  const int fd = ::mkstemp(temporary.data());
  if (fd < 0) return "cannot write '" + path + "': " + std::strerror(errno);
  struct stat existing {};
  const mode_t mode = ::stat(path.c_str(), &existing) == 0 ? existing.st_mode & 07777 : new_file_mode();
  bool ok = ::fchmod(fd, mode) == 0;
  for (std::size_t written = 0; ok && written < content.size();) {
    const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    ok = n > 0 || (n < 0 && errno == EINTR);
    if (n > 0) written += static_cast<std::size_t>(n);
  }
  ok = ok && ::fsync(fd) == 0;
  const int saved_errno = errno;
  ok = ::close(fd) == 0 && ok;
  if (ok && std::rename(temporary.c_str(), path.c_str()) == 0) return "";
  const std::string reason = std::strerror(ok ? errno : saved_errno);
  std::remove(temporary.c_str());
  return "cannot write '" + path + "': " + reason;
}

std::string check_writable(const std::string& path) {
  if (path == "-") return "";
  if (path.empty()) return "needs a file name";
  namespace fs = std::filesystem;
  std::error_code error;
  if (fs::is_directory(path, error)) return "cannot write '" + path + "': it is a directory";
  const fs::path folder = fs::path(path).has_parent_path() ? fs::path(path).parent_path() : fs::path(".");
  if (!fs::is_directory(folder, error)) {
    return "cannot write '" + path + "': no folder '" + folder.string() + "'";
  }
  if (::access(folder.c_str(), W_OK) != 0) {
    return "cannot write '" + path + "': " + std::strerror(errno);
  }
  return "";
}

}  // namespace kit
