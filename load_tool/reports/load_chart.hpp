#pragma once
// --svg with --stages: latency against offered load. As the rate ramps up,
// latency stays flat until the server saturates, then climbs: the knee.
// Beside it, Little's law for each stage: requests measured in flight next
// to achieved rate x average latency.
#include <string>
#include <vector>

#include "latencies.hpp"
#include "record.hpp"
#include "stage_tally.hpp"

namespace kit {

struct SvgPart {
  std::string elements;  // SVG elements, to go inside a document
  double height = 0;     // how far down they reach from their top
};

// The chart drawn from `top`, `left` and `width` wide; nothing without stages.
// `load_slices` are the tally's (add_to_load_slices()).
SvgPart load_chart_svg(const std::vector<Latencies>& load_slices, const std::vector<StageLine>& stages, double left,
                       double top, double width);

}  // namespace kit
