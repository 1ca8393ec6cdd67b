#include "shard.hpp"

#include <charconv>
#include <chrono>
#include <cmath>
#include <ctime>
#include <stdexcept>
#include <string>

#include "platform.hpp"
#include "units.hpp"

namespace kit {

namespace {

std::optional<long long> whole_number(std::string_view text) {
  long long value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<double> decimal(std::string_view text) {
  double value = 0;
  const auto [end, error] = platform::parse_floating(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

// "+01:00", "-05:30" or "Z", as seconds to take away to reach UTC.
std::optional<long> zone_offset(std::string_view zone) {
  if (zone == "Z" || zone == "z") return 0;
  if (zone.size() != 6 || (zone[0] != '+' && zone[0] != '-') || zone[3] != ':') return std::nullopt;
  const auto hours = whole_number(zone.substr(1, 2)), minutes = whole_number(zone.substr(4, 2));
  if (!hours || !minutes || *hours > 23 || *minutes > 59) return std::nullopt;
  return (zone[0] == '-' ? -1 : 1) * (*hours * 3600 + *minutes * 60);
}

// RFC 3339's date-time, as Unix seconds; nullopt when it is not one.
std::optional<double> rfc3339_seconds(const std::string& text) {
  std::tm fields{};
  const char* rest = strptime(text.c_str(), "%Y-%m-%dT%H:%M:%S", &fields);
  if (rest == nullptr) rest = strptime(text.c_str(), "%Y-%m-%dt%H:%M:%S", &fields);
  if (rest == nullptr) return std::nullopt;
  std::string_view tail(rest);
  double fraction = 0;
  if (!tail.empty() && tail.front() == '.') {
    const std::size_t digits = tail.find_first_not_of("0123456789", 1);
    if (digits == 1 || digits == std::string_view::npos) return std::nullopt;
    fraction = *decimal("0" + std::string(tail.substr(0, digits)));
    tail.remove_prefix(digits);
  }
  const auto offset = zone_offset(tail);
  if (!offset) return std::nullopt;
  return static_cast<double>(timegm(&fields) - *offset) + fraction;
}

}  // namespace

Shard parse_shard(std::string_view text) {
  const std::size_t slash = text.find('/');
  const auto index = whole_number(text.substr(0, slash));
  const auto count = slash == std::string_view::npos ? std::nullopt : whole_number(text.substr(slash + 1));
  if (!index || !count) throw std::invalid_argument("expected K/N, like 0/4 (shard K of N, K from 0)");
  if (*count < 1 || *count > 10000) throw std::invalid_argument("N is a number of shards from 1 to 10000");
  if (*index < 0 || *index >= *count) {
    throw std::invalid_argument("K counts from 0 to N - 1: shard " + std::to_string(*count - 1) + " is the last of " +
                                std::to_string(*count));
  }
  return Shard{static_cast<int>(*index), static_cast<int>(*count)};
}

long share_of_requests(long total, Shard shard) {
  return total > shard.index ? (total - shard.index + shard.count - 1) / shard.count : 0;
}

int share_of_concurrency(int concurrency, Shard shard) {
  return concurrency / shard.count + (shard.index < concurrency % shard.count ? 1 : 0);
}

std::vector<Stage> share_of_stages(const std::vector<Stage>& stages, Shard shard) {
  std::vector<Stage> shares = stages;
  for (Stage& stage : shares) stage.rate /= shard.count;
  return shares;
}

double parse_start_at(std::string_view text, double now) {
  const auto seconds = decimal(text) ? decimal(text) : rfc3339_seconds(std::string(text));
  if (!seconds) {
    throw std::invalid_argument("expected Unix seconds (1765152000.5) or an RFC 3339 time (2026-12-07T22:00:00Z)");
  }
  if (*seconds <= now) throw std::invalid_argument("that is " + format_number(now - *seconds, 3) + " s ago");
  if (*seconds > now + 86400) throw std::invalid_argument("that is more than a day away");
  return *seconds;
}

}  // namespace kit
