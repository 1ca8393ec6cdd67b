#pragma once
// A tally as JSON and back, for --result files (docs/distributed.md).
#include <boost/json/object.hpp>
#include <string>

#include "stats.hpp"

namespace kit {

boost::json::object tally_json(const Tally& tally);
// Throws std::invalid_argument naming the field that is missing or wrong.
Tally tally_from_json(const boost::json::object& object);

// The digest that names a plan: the same plan, the same digest.
std::string plan_digest(const boost::json::object& plan);

}  // namespace kit
