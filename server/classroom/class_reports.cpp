#include "class_reports.hpp"

#include <boost/json/parse.hpp>
#include <algorithm>
#include <cmath>
#include <optional>
#include <vector>

#include "safe_text.hpp"

namespace kit {

namespace json = boost::json;

namespace {

constexpr std::size_t longest_name = 32;      // characters, as the page counts them
constexpr std::size_t most_addresses = 1024;  // token buckets kept

// A whole number from `low` to `high`, or nothing.
std::optional<int> whole_number(const json::value* value, int low, int high) {
  if (!value || !value->is_number()) return std::nullopt;
  boost::system::error_code error;
  const double number = value->to_number<double>(error);
  if (error || number != std::floor(number) || number < low || number > high) return std::nullopt;
  return static_cast<int>(number);
}

// At most `most` characters of UTF-8 text, cut between characters, with an
// ellipsis when cut; text that is not UTF-8 is made printable first.
std::string at_most_characters(std::string_view text, std::size_t most) {
  const std::string shown = printable(text, 4 * most);
  std::size_t characters = 0;
  for (std::size_t i = 0; i < shown.size(); ++i) {
    const bool starts_a_character = (static_cast<unsigned char>(shown[i]) & 0xC0) != 0x80;
    if (starts_a_character && ++characters > most) return shown.substr(0, i) + "\u2026";
  }
  return shown;
}

std::optional<double> median(std::vector<double> values) {
  if (values.empty()) return std::nullopt;
  std::sort(values.begin(), values.end());
  const std::size_t middle = values.size() / 2;
  return values.size() % 2 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
}

}  // namespace

ClassReports::Taken ClassReports::take(std::string_view body, const boost::asio::ip::address& peer,
                                       Clock::time_point now) {
  if (!within_rate(peer, now)) return {429, "too many reports from this address; wait a moment"};
  boost::system::error_code error;
  const json::value document = json::parse(body, error);
  const json::object* report = error ? nullptr : document.if_object();
  if (!report) return {400, "a report is a JSON object"};
  const json::value* name = report->if_contains("name");
  const json::value* kind = report->if_contains("kind");
  const json::value* seconds = report->if_contains("seconds");
  const auto n = whole_number(report->if_contains("n"), 1, 1000);
  const auto in_flight = whole_number(report->if_contains("maxInFlight"), 0, 1000);
  const bool known_kind =
      kind && kind->is_string() &&
      (kind->as_string() == "sequential" || kind->as_string() == "all" || kind->as_string() == "limited");
  boost::system::error_code not_a_number;
  const double time = seconds && seconds->is_number() ? seconds->to_number<double>(not_a_number) : -1;
  if (!name || !name->is_string() || !known_kind || !n || !in_flight || not_a_number || !(time >= 0 && time <= 3600)) {
    return {400, "expected {name, kind (sequential, all or limited), n, seconds, maxInFlight}"};
  }
  const std::string_view given(name->as_string());
  std::string shown =
      at_most_characters(given.substr(std::min(given.size(), given.find_first_not_of(' '))), longest_name);
  if (shown.empty()) return {400, "a report needs a name"};
  keep(std::move(shown), Run{std::string(kind->as_string()), *n, time, *in_flight});
  return {200, {}};
}

bool ClassReports::within_rate(const boost::asio::ip::address& peer, Clock::time_point now) {
  auto bucket = buckets_.find(peer);
  if (bucket == buckets_.end()) {
    if (buckets_.size() >= most_addresses) return false;  // a flood from many addresses: the known ones go on
    bucket = buckets_.try_emplace(peer, reports_per_second, report_burst, now).first;
  }
  return bucket->second.take(now).allowed;
}

void ClassReports::keep(std::string name, Run run) {
  ++reports_;
  auto student = students_.find(name);
  if (student == students_.end()) {
    if (students_.size() >= most_students) {  // the one heard from longest ago makes room
      students_.erase(std::min_element(students_.begin(), students_.end(), [](const auto& a, const auto& b) {
        return a.second.last_report < b.second.last_report;
      }));
    }
    student = students_.try_emplace(std::move(name)).first;
  }
  student->second.runs.push_front(std::move(run));
  if (student->second.runs.size() > runs_kept) student->second.runs.pop_back();
  student->second.last_report = reports_;
}

namespace {

int kind_order(const std::string& kind) { return kind == "sequential" ? 0 : kind == "all" ? 1 : 2; }

// Like with like: the median of each student's latest run of each kind and
// number of requests, by number of requests, then kind.
json::array summary_of(const std::map<std::pair<int, int>, std::vector<double>>& latest) {
  static const char* const kinds[] = {"sequential", "all", "limited"};
  json::array summary;
  for (const auto& [group, times] : latest) {
    summary.push_back(
        {{"kind", kinds[group.second]}, {"n", group.first}, {"students", times.size()}, {"median", *median(times)}});
  }
  return summary;
}

}  // namespace

json::object ClassReports::to_json() const {
  std::map<std::pair<int, int>, std::vector<double>> latest;  // (n, kind) -> each student's latest time
  std::vector<const std::pair<const std::string, Student>*> newest_first;
  for (const auto& entry : students_) {
    newest_first.push_back(&entry);
    std::map<std::pair<int, int>, bool> seen;
    for (const Run& run : entry.second.runs) {
      const std::pair<int, int> group{run.n, kind_order(run.kind)};
      if (!seen[group]) latest[group].push_back(run.seconds);
      seen[group] = true;
    }
  }
  std::sort(newest_first.begin(), newest_first.end(),
            [](const auto* a, const auto* b) { return a->second.last_report > b->second.last_report; });
  json::array students;
  for (const auto* entry : newest_first) {
    if (students.size() == students_shown) break;
    json::array runs;
    for (const Run& run : entry->second.runs) {
      runs.push_back({{"kind", run.kind}, {"n", run.n}, {"seconds", run.seconds}, {"maxInFlight", run.max_in_flight}});
    }
    students.push_back({{"name", entry->first}, {"runs", std::move(runs)}});
  }
  return {{"students", std::move(students)},
          {"summary", summary_of(latest)},
          {"reports", reports_},
          {"student_count", students_.size()}};
}

}  // namespace kit
