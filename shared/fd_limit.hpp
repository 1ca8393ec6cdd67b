#pragma once
// Every open connection is a file descriptor, and the soft limit (often 1024)
// is hit long before memory is. Raise it to what a run needs before it starts.
#include <iosfwd>
#include <string>

namespace kit {

// Raises RLIMIT_NOFILE's soft limit, up to the hard limit, so that
// `connections` sockets fit next to the few other files a program keeps open,
// and grows the descriptor table to match. Call it before starting threads.
// Returns how many connections fit now (at least `connections` on success).
int make_room_for_connections(int connections);

// A server and its dashboard share the descriptors that fit. When too few
// do, the dashboard (the helper) gives way first, down to `dashboard_least`;
// only then does the server (the lesson) get fewer, never under 1.
struct DescriptorShares {
  int server = 0;
  int dashboard = 0;
};
DescriptorShares share_descriptors(int fit, int server_wanted, int dashboard_wanted, int dashboard_least);

// One sentence for when they do not: how many descriptors are needed and how to get them.
std::string too_few_descriptors(int wanted, int fit);

// Both clients, before they start: makes room for `connections`, or says
// on `errors` why it cannot ("program: ... or use fewer") and returns false.
bool room_for_connections(const std::string& program, int connections, std::ostream& errors);

}  // namespace kit
