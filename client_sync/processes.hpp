#pragma once
// client_sync --processes N: the talk's last variant, Python's
// multiprocessing.Pool(N). N worker processes, forked before any request is
// sent, each with clients and a watchdog of its own, take every Nth request
// (as a Pool splits a map); each sends every finished try through a pipe to
// this process, which counts and reports them as if its own lanes had run
// them. Bodies still print in request order.
#include <ostream>

#include "sync_run.hpp"

namespace kit::sync {

// False, with one line on `errors`, when the system refused a process (then
// none runs). A worker that ends early is one line; its requests it did not
// report count as failed.
bool run_processes(Run& run, ProgressLine& progress, std::ostream& errors);

}  // namespace kit::sync
