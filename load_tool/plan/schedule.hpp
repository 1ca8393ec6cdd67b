#pragma once
// When each request of an open-loop run is due. At a constant --rate R,
// request k is due at k/R. With --stages the rate moves linearly from stage
// to stage, as k6's ramping arrival rate does, and request k is due when
// the integral of the rate reaches k.
#include <optional>
#include <string_view>
#include <vector>

#include "record.hpp"

namespace kit {

struct Stage {
  Seconds length{};
  double rate = 0;  // requests a second reached at the stage's end
};

// "1s:20,30s:120" as --stages takes it; throws std::invalid_argument saying what is wrong.
std::vector<Stage> parse_stages(std::string_view text);

class Schedule {
 public:
  // A constant rate, for ever.
  explicit Schedule(double rate) : start_rate_(rate) {}
  // From `start_rate`, through each stage in turn; nothing is due after the last.
  Schedule(double start_rate, std::vector<Stage> stages);

  // When request k (from 0) is due; nullopt when the stages end before it.
  std::optional<Seconds> due(long k) const;
  // How many requests are due before `time`.
  long due_before(Seconds time) const;

 private:
  double start_rate_;
  std::vector<Stage> stages_;
};

}  // namespace kit
