#include "schedule.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

namespace kit {

namespace {

// Requests due within the first `t` seconds of a stage whose rate moves from r0 to r1.
double due_within(double r0, double r1, double length, double t) { return r0 * t + (r1 - r0) * t * t / (2 * length); }

// When, within such a stage, `n` requests have come due; nullopt past its end.
std::optional<double> time_for(double r0, double r1, double length, double n) {
  if (n <= 0) return 0.0;
  const double a = (r1 - r0) / (2 * length);
  const double discriminant = r0 * r0 + 4 * a * n;
  if (discriminant < 0) return std::nullopt;  // a ramp down that never gets there
  const double denominator = r0 + std::sqrt(discriminant);
  if (denominator <= 0) return std::nullopt;
  const double t = 2 * n / denominator;  // the root of a t^2 + r0 t = n, stable as a goes to 0
  if (t > length * (1 + 1e-12)) return std::nullopt;
  return t;
}

Seconds parse_length(std::string_view text) {
  double value = 0;
  std::size_t used = 0;
  const std::string s(text);
  try {
    value = std::stod(s, &used);
  } catch (const std::exception&) {
    throw std::invalid_argument("'" + s + "' is not a duration like 30s, 500ms or 2m");
  }
  const std::string unit = s.substr(used);
  const double scale = unit == "s" ? 1 : unit == "ms" ? 0.001 : unit == "m" ? 60 : 0;
  if (scale == 0 || !(value > 0) || !std::isfinite(value)) {
    throw std::invalid_argument("'" + s + "' is not a duration like 30s, 500ms or 2m");
  }
  return Seconds(value * scale);
}

}  // namespace

std::vector<Stage> parse_stages(std::string_view text) {
  std::vector<Stage> stages;
  while (!text.empty()) {
    const std::size_t comma = text.find(',');
    const std::string_view part = text.substr(0, comma);
    const std::size_t colon = part.find(':');
    if (colon == std::string_view::npos)
      throw std::invalid_argument("expected DURATION:RATE, got '" + std::string(part) + "'");
    Stage stage{parse_length(part.substr(0, colon))};
    const std::string rate(part.substr(colon + 1));
    std::size_t used = 0;
    try {
      stage.rate = std::stod(rate, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != rate.size() || !(stage.rate >= 0) || stage.rate > 1e6) {
      throw std::invalid_argument("'" + rate + "' is not a rate from 0 to 1000000 requests a second");
    }
    stages.push_back(stage);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
    if (text.empty()) throw std::invalid_argument("a stage after the last comma is missing");
  }
  if (stages.empty()) throw std::invalid_argument("expected DURATION:RATE[,DURATION:RATE...]");
  return stages;
}

Schedule::Schedule(double start_rate, std::vector<Stage> stages)
    : start_rate_(start_rate), stages_(std::move(stages)) {}

std::optional<Seconds> Schedule::due(long k) const {
  if (stages_.empty()) return Seconds(static_cast<double>(k) / start_rate_);
  double rate = start_rate_, begun = 0, before = 0;  // the stage's start: its rate, time and requests due
  for (const Stage& stage : stages_) {
    const double length = stage.length.count();
    if (const auto t = time_for(rate, stage.rate, length, static_cast<double>(k) - before)) return Seconds(begun + *t);
    before += due_within(rate, stage.rate, length, length);
    begun += length;
    rate = stage.rate;
  }
  return std::nullopt;
}

long Schedule::due_before(Seconds time) const {
  if (stages_.empty()) return static_cast<long>(std::ceil(time.count() * start_rate_ - 1e-9));
  double rate = start_rate_, begun = 0, before = 0;
  for (const Stage& stage : stages_) {
    const double length = stage.length.count();
    if (time.count() <= begun + length) {
      return static_cast<long>(std::ceil(before + due_within(rate, stage.rate, length, time.count() - begun) - 1e-9));
    }
    before += due_within(rate, stage.rate, length, length);
    begun += length;
    rate = stage.rate;
  }
  return static_cast<long>(std::ceil(before - 1e-9));
}

}  // namespace kit
