#pragma once
// --shard K/N and --start-at: one run's plan split over N processes (on as
// many machines) that never talk to each other. Shard K takes the requests
// whose number, counted from 0, is K mod N: with --rate and --stages every
// Nth due time of the whole schedule, so that N shards send the rate asked.
// docs/distributed.md shows a whole run.
#include <optional>
#include <string_view>
#include <vector>

#include "schedule.hpp"

namespace kit {

struct Shard {
  int index = 0;  // K, from 0
  int count = 1;  // N
  bool split() const { return count > 1; }
};

// "2/4"; throws std::invalid_argument saying what is wrong.
Shard parse_shard(std::string_view text);

// Of the requests numbered 0 to total - 1, how many are this shard's.
long share_of_requests(long total, Shard shard);

// -c C split: C / N each, the first C mod N shards one more.
int share_of_concurrency(int concurrency, Shard shard);

// The shard's part of the rates: each 1/N of the whole.
std::vector<Stage> share_of_stages(const std::vector<Stage>& stages, Shard shard);

// --start-at: Unix seconds ("1765152000.5") or RFC 3339
// ("2026-12-07T22:00:00.5Z", "...+01:00"), as Unix seconds. Throws
// std::invalid_argument for anything else, a start already past or more
// than a day after `now`.
double parse_start_at(std::string_view text, double now);

}  // namespace kit
