#include "fd_limit.hpp"

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <ostream>

namespace kit {

namespace {
// stdin/out/err, the event loop's own descriptors, an output file: a few more.
constexpr rlim_t spare_descriptors = 32;

// Makes the kernel's descriptor table hold `size` descriptors now. It grows
// by doubling as descriptors are opened, and once a program has several
// threads every growth waits for an RCU grace period, stalling the thread
// that opened the socket (docs/performance.md). Growing it up front, while
// there is one thread, costs nothing.
void grow_descriptor_table(rlim_t size) {
  const int highest = static_cast<int>(std::min<rlim_t>(size, INT_MAX)) - 1;
  if (highest < 3) return;
  const int probe = ::fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, highest);
  if (probe >= 0) ::close(probe);
}
}  // namespace

int make_room_for_connections(int connections) {
  const rlim_t needed = static_cast<rlim_t>(connections) + spare_descriptors;
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return connections;
  if (limit.rlim_cur < needed) {
    limit.rlim_cur =
        limit.rlim_max == RLIM_INFINITY ? needed : std::min(limit.rlim_max, std::max(needed, limit.rlim_cur));
    if (::setrlimit(RLIMIT_NOFILE, &limit) != 0) ::getrlimit(RLIMIT_NOFILE, &limit);
  }
  grow_descriptor_table(std::min(needed, limit.rlim_cur));
  if (limit.rlim_cur == RLIM_INFINITY) return connections;
  const rlim_t fit = limit.rlim_cur > spare_descriptors ? limit.rlim_cur - spare_descriptors : 0;
  return static_cast<int>(std::min<rlim_t>(fit, INT_MAX));
}

DescriptorShares share_descriptors(int fit, int server_wanted, int dashboard_wanted, int dashboard_least) {
  if (fit >= server_wanted + dashboard_wanted) return {server_wanted, dashboard_wanted};
  const int least = std::min(dashboard_least, dashboard_wanted);
  const int server = std::clamp(fit - least, 1, server_wanted);
  return {server, std::clamp(fit - server, std::min(least, 1), dashboard_wanted)};
}

std::string too_few_descriptors(int wanted, int fit) {
  const std::string needed = std::to_string(static_cast<long>(wanted) + spare_descriptors);
  return std::to_string(wanted) + " connections at once need about " + needed + " open files, but only " +
         std::to_string(fit) + " connections fit in this shell's limit: raise it with 'ulimit -n " + needed +
         "' (as root if the hard limit is lower)";
}

bool room_for_connections(const std::string& program, int connections, std::ostream& errors) {
  const int fit = make_room_for_connections(connections);
  if (fit >= connections) return true;
  errors << program << ": " << too_few_descriptors(connections, fit) << ", or use fewer\n";
  return false;
}

}  // namespace kit
