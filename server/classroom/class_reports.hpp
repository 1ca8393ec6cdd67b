#pragma once
// The student pages' run reports (server --dashboard, /class): each run a
// page finishes is POSTed here (name, kind, n, seconds, maxInFlight),
// checked, its name made printable and short, and kept per student (their
// last runs), with a class summary for the projector: how many ran each
// kind and number of requests, and the median time of each, so that 2 one
// after another sit beside 2 all at once. Nothing else about a student is kept.
// Bounded: a report of at most 1 KiB, at most 200 students, and per address
// a token bucket, so that one laptop in a loop cannot flood the projector.
// Used from the dashboard's thread only.
#include <boost/asio/ip/address.hpp>
#include <boost/json/object.hpp>
#include <chrono>
#include <deque>
#include <map>
#include <string>
#include <string_view>

#include "rate_limit.hpp"

namespace kit {

class ClassReports {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::size_t most_report_bytes = 1024;
  static constexpr std::size_t most_students = 200;
  static constexpr std::size_t runs_kept = 5;        // a student's last runs
  static constexpr std::size_t students_shown = 60;  // the most recent, on the projector
  // Per address: a class of 40 behind one school NAT, reporting at once, still fits.
  static constexpr double reports_per_second = 2, report_burst = 60;

  struct Taken {
    int status;           // 200 kept, 400 malformed, 429 too many from this address
    std::string problem;  // for a 400 or 429, what is wrong
  };
  Taken take(std::string_view body, const boost::asio::ip::address& peer, Clock::time_point now);

  // {"students": [{"name", "runs": [{"kind", "n", "seconds", "maxInFlight"}]}] (the most recent first),
  //  "summary": [{"kind", "n", "students", "median"}] (by n, then kind), "reports", "student_count"}
  boost::json::object to_json() const;

 private:
  struct Run {
    std::string kind;
    int n = 0;
    double seconds = 0;
    int max_in_flight = 0;
  };
  struct Student {
    std::deque<Run> runs;  // newest first
    std::uint64_t last_report = 0;
  };
  bool within_rate(const boost::asio::ip::address& peer, Clock::time_point now);
  void keep(std::string name, Run run);

  std::map<std::string, Student> students_;
  std::map<boost::asio::ip::address, TokenBucket> buckets_;
  std::uint64_t reports_ = 0;
};

}  // namespace kit
