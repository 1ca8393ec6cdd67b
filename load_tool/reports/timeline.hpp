#pragma once
// Records drawn on a time axis: one row per lane (a thread or a concurrent
// slot), one bar per request. This is where the waiting becomes visible:
// the sync client's bars line up one after another, the async client's stack.
#include <string>
#include <vector>

#include "record.hpp"
#include "stage_tally.hpp"
#include "terminal.hpp"

namespace kit {

// A Gantt chart for the terminal, at most `max_lanes` rows, fitted to style.columns.
std::string timeline_text(const std::vector<RequestRecord>& records, Seconds total, const TerminalStyle& style,
                          int max_lanes = 40);

// What the SVG shows beside the bars.
struct SvgContext {
  std::vector<std::string> methods;    // each URL's method, for the tooltips; none leaves them out
  std::vector<StageLine> stages;       // --stages: adds latency against offered load below the bars
  std::vector<Latencies> load_slices;  // --stages: the summary's, for that chart
};

// The same chart as a standalone SVG document; `title` names the run.
std::string timeline_svg(const std::vector<RequestRecord>& records, Seconds total, const std::string& title,
                         const SvgContext& context = {});

}  // namespace kit
