#pragma once
// Records drawn on a time axis: one row per lane (a thread or a concurrent
// slot), one bar per request. This is where the waiting becomes visible:
// the sync client's bars line up one after another, the async client's stack.
#include <string>
#include <vector>

#include "record.hpp"
#include "terminal.hpp"

namespace kit {

// A Gantt chart for the terminal, at most `max_lanes` rows, fitted to style.columns.
std::string timeline_text(const std::vector<RequestRecord>& records, Seconds total,
                          const TerminalStyle& style, int max_lanes = 40);

// The same chart as a standalone SVG document; `title` names the run.
std::string timeline_svg(const std::vector<RequestRecord>& records, Seconds total,
                         const std::string& title);

}  // namespace kit
