#include "thresholds.hpp"

#include <algorithm>
#include <iterator>
#include <cctype>

#include "units.hpp"

namespace kit {

namespace {

// How many seconds a unit stands for; a latency needs one.
std::optional<double> seconds_per(const std::string& unit) {
  if (unit == "s") return 1.0;
  if (unit == "ms") return 0.001;
  if (unit == "us") return 0.000001;
  return std::nullopt;
}

bool is_latency(Threshold::Figure figure) {
  return figure == Threshold::Figure::percentile || figure == Threshold::Figure::average ||
         figure == Threshold::Figure::slowest;
}

// The figure's name as the line says it.
std::string figure_name(const Threshold& threshold) {
  switch (threshold.figure) {
    case Threshold::Figure::percentile: return "p" + format_number(threshold.percentile, 1);
    case Threshold::Figure::average: return "avg";
    case Threshold::Figure::slowest: return "max";
    case Threshold::Figure::errors: return "failed requests";
    case Threshold::Figure::error_percent: return "failed";
    case Threshold::Figure::rate: return "rps";
  }
  return "";
}

std::optional<double> measure(const Threshold& threshold, const Summary& s) {
  switch (threshold.figure) {
    case Threshold::Figure::percentile:
      for (const auto& [p, seconds] : s.percentiles) {
        if (p == threshold.percentile) return seconds;
      }
      return std::nullopt;
    case Threshold::Figure::average: return s.average;
    case Threshold::Figure::slowest: return s.slowest;
    case Threshold::Figure::errors: return s.failed;
    case Threshold::Figure::error_percent: return s.requests ? 100.0 * s.failed / s.requests : 0.0;
    case Threshold::Figure::rate: return s.requests_per_second;
  }
  return std::nullopt;
}

std::string measured_text(const Threshold& threshold, double value) {
  if (is_latency(threshold.figure)) return format_duration(value, true);
  if (threshold.figure == Threshold::Figure::error_percent) return format_number(value, 2) + "%";
  return format_number(value, threshold.figure == Threshold::Figure::rate ? 1 : 0);
}

// "p99 > 200ms" in its parts: a name, '<' or '>', a number and its unit.
// No std::regex: client_sync's copy of its templates would also serve
// cpp-httplib's own regexes, whose locking ThreadSanitizer cannot see.
struct Parts {
  std::string name, op, number, unit;
};

std::optional<Parts> split_expression(const std::string& text) {
  std::size_t at = 0;
  const auto skip_spaces = [&] {
    while (at < text.size() && text[at] == ' ') ++at;
  };
  const auto take = [&](auto accepts) {
    const std::size_t from = at;
    while (at < text.size() && accepts(static_cast<unsigned char>(text[at]))) ++at;
    return text.substr(from, at - from);
  };
  Parts parts;
  skip_spaces();
  parts.name = take([](unsigned char c) { return std::isalnum(c) || c == '.'; });
  skip_spaces();
  parts.op = take([](unsigned char c) { return c == '<' || c == '>'; });
  skip_spaces();
  parts.number = take([](unsigned char c) { return std::isdigit(c) || c == '.'; });
  parts.unit = take([](unsigned char c) { return std::isalpha(c) || c == '%'; });
  skip_spaces();
  if (at != text.size() || parts.name.empty() || (parts.op != "<" && parts.op != ">") || parts.number.empty() ||
      parts.number.front() == '.' || parts.number.back() == '.' ||
      std::count(parts.number.begin(), parts.number.end(), '.') > 1) {
    return std::nullopt;
  }
  return parts;
}

}  // namespace

std::optional<Threshold> parse_threshold(std::string_view expression, std::string& problem) {
  const std::string text(expression);
  problem =
      "expected FIGURE > VALUE or FIGURE < VALUE, with FIGURE one of p50, p90, p95, p99, p99.9, avg, max, "
      "errors, rps (for example 'p99 > 200ms', 'errors > 1%', 'rps < 100')";
  const std::optional<Parts> parts = split_expression(text);
  if (!parts) return std::nullopt;
  const std::string& name = parts->name;
  const std::string& unit = parts->unit;
  const bool percentile = name.size() > 1 && name[0] == 'p' && std::isdigit(static_cast<unsigned char>(name[1]));
  if (!percentile && name != "avg" && name != "max" && name != "errors" && name != "rps") return std::nullopt;
  Threshold threshold;
  threshold.expression = text;
  threshold.above = parts->op == ">";
  threshold.bound = std::stod(parts->number);
  if (percentile) {
    threshold.figure = Threshold::Figure::percentile;
    threshold.percentile = std::stod(name.substr(1));
    if (std::find(std::begin(reported_percentiles), std::end(reported_percentiles), threshold.percentile) ==
        std::end(reported_percentiles)) {
      problem = "'" + name + "' is not a percentile the summary gives (p10, p25, p50, p75, p90, p95, p99, p99.9)";
      return std::nullopt;
    }
  } else if (name == "avg" || name == "max") {
    threshold.figure = name == "avg" ? Threshold::Figure::average : Threshold::Figure::slowest;
  } else if (name == "errors") {
    threshold.figure = unit == "%" ? Threshold::Figure::error_percent : Threshold::Figure::errors;
  } else {
    threshold.figure = Threshold::Figure::rate;
  }
  if (is_latency(threshold.figure)) {
    const auto scale = seconds_per(unit);
    if (!scale) {
      problem = "a latency needs a unit: " + name + " " + parts->op + " " + parts->number + "ms";
      return std::nullopt;
    }
    threshold.bound *= *scale;
  } else if (!unit.empty() && !(unit == "%" && name == "errors")) {
    problem = "'" + unit + "' does not go with " + name;
    return std::nullopt;
  }
  problem.clear();
  return threshold;
}

std::vector<ThresholdOutcome> check_thresholds(const std::vector<Threshold>& thresholds, const Summary& summary) {
  std::vector<ThresholdOutcome> outcomes;
  for (const Threshold& threshold : thresholds) {
    ThresholdOutcome outcome{threshold.expression, measure(threshold, summary)};
    // A latency with nothing to measure it on cannot be shown kept.
    outcome.crossed = !outcome.measured ||
                      (threshold.above ? *outcome.measured > threshold.bound : *outcome.measured < threshold.bound);
    outcomes.push_back(outcome);
  }
  return outcomes;
}

std::string threshold_line(const Threshold& threshold, const ThresholdOutcome& outcome) {
  std::string line = "threshold " + threshold.expression + ": " + (outcome.crossed ? "crossed" : "kept");
  if (!outcome.measured) return line + ", no successful request to measure it on";
  return line + ", " + figure_name(threshold) + " = " + measured_text(threshold, *outcome.measured);
}

}  // namespace kit
