# Sourced by tests/e2e/shards_test.sh and scripts/bench.sh: a lab of network
# namespaces on this machine, one "machine" each: a server namespace with a
# bridge at 10.201.0.1/24, and generator namespaces 0 to N-1 at 10.201.0.1K,
# each on its own veth pair into the bridge. The addresses exist only inside
# the namespaces. Needs root and ip (iproute2).
#
#   lab_up TAG N     makes TAGs (the server's) and TAGg0 ... TAGg(N-1)
#   lab_down TAG N   removes them (and whatever runs in them loses its network)
# TAG keeps interface names within 15 characters: "kit$$" is short enough.

lab_up() {
  local tag=$1 count=$2 k
  ip netns add "${tag}s"
  ip -n "${tag}s" link set lo up
  ip -n "${tag}s" link add br0 type bridge
  ip -n "${tag}s" addr add 10.201.0.1/24 dev br0
  ip -n "${tag}s" link set br0 up
  # A new namespace starts with the kernel's default backlogs (4096): a
  # burst of 15,000 connections would wait for SYN retransmits.
  ip netns exec "${tag}s" sysctl -q -w net.core.somaxconn=65535 net.ipv4.tcp_max_syn_backlog=65535
  for ((k = 0; k < count; k++)); do
    ip netns add "${tag}g$k"
    ip link add "${tag}v$k" netns "${tag}g$k" type veth peer name "${tag}b$k" netns "${tag}s"
    ip -n "${tag}g$k" link set lo up
    ip -n "${tag}g$k" addr add "10.201.0.$((10 + k))/24" dev "${tag}v$k"
    ip -n "${tag}g$k" link set "${tag}v$k" up
    ip -n "${tag}s" link set "${tag}b$k" master br0 up
  done
}

lab_down() {
  local tag=$1 count=$2 k
  for ((k = 0; k < count; k++)); do ip netns del "${tag}g$k" 2>/dev/null || true; done
  ip netns del "${tag}s" 2>/dev/null || true
}
