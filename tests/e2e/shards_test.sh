#!/usr/bin/env bash
# One run on four "machines": each generator is client_async in a network
# namespace of its own, with its own address, launched by pdsh's exec module
# as docs/distributed.md launches them over ssh, against the kit's server in
# a fifth namespace (scripts/lib/netns_lab.sh: the addresses exist only
# inside the namespaces, and only for the test). Needs root, pdsh and
# ip; exits 77 (skipped) without them.
#
#   tests/e2e/shards_test.sh BUILD_DIR
set -euo pipefail
build=$(cd "${1:?usage: shards_test.sh BUILD_DIR}" && pwd)
if [ "$(id -u)" -ne 0 ] || ! command -v pdsh >/dev/null || ! command -v ip >/dev/null; then
  echo "shards_test: skipped: needs root, pdsh and ip (./scripts/install-deps.sh shards)"
  exit 77
fi
say() { printf '==> %s\n' "$*"; }
failures=0
fail() { echo "shards_test: $*" >&2; failures=$((failures + 1)); }

source "$(dirname "$0")/../../scripts/lib/netns_lab.sh"
tag="kit$$"  # unique names, short enough for interface names
server_ns="${tag}s"
work=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
  lab_down "$tag" 4
  rm -rf "$work"
}
trap cleanup EXIT

say "four generator namespaces and the server's, on one bridge"
lab_up "$tag" 4

say "the kit's server in its namespace, 0.2 s a request"
ip netns exec "$server_ns" "$build/server" --async --host 10.201.0.1 --port 0 --delay 0.2 --quiet \
  >"$work/serving" 2>"$work/server.log" &
server_pid=$!
for _ in $(seq 100); do grep -q 'Serving on' "$work/serving" && break; sleep 0.05; done
url=$(sed -n 's|.*Serving on \(http://[^ ]*\).*|\1|p' "$work/serving")
[ -n "$url" ] || { cat "$work/server.log"; fail "the server did not start"; exit 1; }
for k in 0 1 2 3; do  # every generator reaches it before the runs
  ip netns exec "${tag}g$k" "$build/client_async" "$url" -n 1 -q 2>/dev/null || fail "g$k cannot reach $url"
done

start_in() { awk -v now="$EPOCHREALTIME" -v s="$1" 'BEGIN { printf "%.3f", now + s }'; }
# pdsh -R exec runs its command line once per host, %h the host and %n its rank (0 to 3).
generators() { pdsh -R exec -f 4 -w "${tag}g[0-3]" ip netns exec %h "$@"; }

say "-n 200 over four shards: merged, exactly 200 answers"
start=$(start_in 2)
generators "$build/client_async" "$url" -n 200 --shard %n/4 --start-at "$start" --result - -q >"$work/count.txt"
"$build/client_async" --merge - --json "$work/count.json" <"$work/count.txt" 2>"$work/count.err" ||
  fail "merging the -n run exited $?: $(cat "$work/count.err")"
grep -q '"requests":200,"ok":200,' "$work/count.json" ||
  fail "the merged -n run is not 200 of 200: $(head -c 400 "$work/count.json")"
grep -q '^merged 4 of 4 shards' "$work/count.err" || fail "no 'merged 4 of 4 shards' line: $(cat "$work/count.err")"
grep '^merged' "$work/count.err"
# The shards' first sends, all due at the start: within 20 ms of each other.
spread=$(sed -n 's/.*first sends within \([0-9.]*\) \(ms\|µs\).*/\1 \2/p' "$work/count.err")
awk -v s="$spread" 'BEGIN { split(s, p, " "); exit !(p[2] == "µs" || p[1] + 0 <= 20) }' ||
  fail "the shards' first sends lie ${spread:-?} apart, more than 20 ms"

say "--rate 800 for 3 s over four shards: the merged rate within 2% of 800/s"
start=$(start_in 2)
generators "$build/client_async" "$url?delay=0" --rate 800 -z 3s -c 40 --shard %n/4 --start-at "$start" \
  --result - >"$work/rate.txt" 2>/dev/null
"$build/client_async" --merge - --summary <"$work/rate.txt" >"$work/rate.out" 2>&1 ||
  fail "merging the --rate run exited $?: $(cat "$work/rate.out")"
achieved=$(sed -n 's/^  Requests\/sec: *\([0-9.]*\)/\1/p' "$work/rate.out")
awk -v r="${achieved:-0}" 'BEGIN { d = (r - 800) / 800; exit !(d < 0.02 && d > -0.02) }' ||
  fail "merged rate ${achieved:-?}/s, not within 2% of 800/s"
echo "merged rate: ${achieved:-?}/s"

say "a shard killed mid-run: the merge names it and exits non-zero"
start=$(start_in 2)
generators sh -c 'if [ "$1" = 2 ]; then shift; exec timeout -s KILL 1 "$@"; fi; shift; exec "$@"' sh %n \
  "$build/client_async" "$url" -z 3s -c 4 --shard %n/4 --start-at "$start" --result - >"$work/killed.txt" 2>/dev/null ||
  true
code=0
"$build/client_async" --merge - <"$work/killed.txt" >"$work/killed.out" 2>&1 || code=$?
[ "$code" -ne 0 ] || fail "merging without shard 2 exited 0"
grep -q '^shard 2/4 is missing' "$work/killed.out" || fail "shard 2 not named as missing: $(cat "$work/killed.out")"

if [ "$failures" -gt 0 ]; then
  echo "shards_test: $failures check(s) failed" >&2
  exit 1
fi
say "shards: all checks passed"
