#pragma once
// --fail-if: a figure of the run, a comparison and a bound, as k6's
// thresholds: "p99 > 200ms", "errors > 1%", "rps < 100". After the run each
// prints one line, kept or crossed; one crossed makes the exit status 3.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stats.hpp"

namespace kit {

struct Threshold {
  enum class Figure { percentile, average, slowest, errors, error_percent, rate };
  std::string expression;  // as given
  Figure figure = Figure::percentile;
  double percentile = 0;  // for Figure::percentile: 50, 99.9
  bool above = true;      // crossed when the figure is above the bound ('>'), or below it ('<')
  double bound = 0;       // seconds, requests, percent, or requests a second
};

// Parses one --fail-if expression; nullopt with the reason in `problem`.
std::optional<Threshold> parse_threshold(std::string_view expression, std::string& problem);

struct ThresholdOutcome {
  std::string expression;
  std::optional<double> measured;  // none: no successful request to measure a latency on
  bool crossed = false;
};

std::vector<ThresholdOutcome> check_thresholds(const std::vector<Threshold>& thresholds, const Summary& summary);

// "threshold p99 > 200ms: kept, p99 = 12.3 ms"
std::string threshold_line(const Threshold& threshold, const ThresholdOutcome& outcome);

inline constexpr int exit_threshold_crossed = 3;

}  // namespace kit
