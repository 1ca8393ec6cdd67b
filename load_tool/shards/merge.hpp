#pragma once
// --merge: the shards' --result lines added up and reported as one run of
// the whole plan would be: the recap, --summary, --json, --svg and
// --fail-if, judged on the sum.
#include <iosfwd>

#include "options.hpp"
#include "terminal.hpp"

namespace kit {

// Returns the exit code: 2 when an input cannot be merged (nothing is), at
// least 1 when a shard is missing or its own run failed.
int merge_results(const ClientOptions& options, std::ostream& out, std::ostream& err, const TerminalStyle& style);

}  // namespace kit
