#!/usr/bin/env bash
# The talk's demonstration in one command: installs what is missing, builds,
# starts the slow server on a free port, times client_sync and client_async
# against it, prints both times and their ratio, and stops the server.
#
#   ./scripts/demo.sh                    2 requests, 1 s each
#   ./scripts/demo.sh -n 4 --delay 0.5   4 requests, 0.5 s each
set -euo pipefail
cd "$(dirname "$0")/.."

requests=2
delay=1
while [ $# -gt 0 ]; do
  case "$1" in
    -n|--requests) requests=${2:?"$1 needs a number"}; shift 2 ;;
    --delay) delay=${2:?"--delay needs seconds"}; shift 2 ;;
    -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "demo.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

say() { printf '\n==> %s\n' "$*"; }

say "checking build packages"
./scripts/install-deps.sh

say "building server, client_sync and client_async"
cmake --preset default >/dev/null
cmake --build --preset default --target server client_sync client_async

workdir=$(mktemp -d)
server_pid=
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" && wait "$server_pid" || true
  fi
  rm -rf "$workdir"
}
trap cleanup EXIT

say "starting the slow server: $delay s per request, 8 workers, a free port"
./build/server --port 0 --delay "$delay" --quiet >"$workdir/serving" 2>"$workdir/server.log" &
server_pid=$!
for _ in $(seq 100); do
  grep -q '^Serving on' "$workdir/serving" && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$workdir/server.log" >&2; exit 1; }
  sleep 0.1
done
cat "$workdir/serving"
url=$(sed -n 's/^Serving on \(http:[^ ]*\) .*/\1/p' "$workdir/serving")/
[ "$url" != / ] || { echo "demo.sh: the server did not start" >&2; exit 1; }

# Wall time of a whole client process, like `time`, in seconds.
time_client() {
  local start end
  start=$(date +%s.%N)
  "$@" || echo "(the client exited with status $?)"
  end=$(date +%s.%N)
  echo "$start $end" | awk '{ printf "%.2f", $2 - $1 }' >"$workdir/seconds"
}

say "client_sync: $requests requests, one after another"
echo "\$ ./build/client_sync $url -n $requests"
time_client ./build/client_sync "$url" -n "$requests"
sync_seconds=$(cat "$workdir/seconds")

say "client_async: $requests requests at once"
echo "\$ ./build/client_async $url -n $requests"
time_client ./build/client_async "$url" -n "$requests"
async_seconds=$(cat "$workdir/seconds")

say "result"
awk -v s="$sync_seconds" -v a="$async_seconds" \
  'BEGIN { printf "sync %.2f s  async %.2f s  async is %.1fx faster\n", s, a, s / a }'
