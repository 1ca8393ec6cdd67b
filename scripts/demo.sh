#!/usr/bin/env bash
# The talk's demonstration in one command: installs what is missing, builds,
# starts the slow server on a free port, times client_sync and client_async
# against it, prints both times and their ratio, draws both timelines
# (build/sync.svg, build/async.svg), shows the async client against a
# one-worker server, where the server's queue appears, and stops the servers.
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
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "demo.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

say() { printf '\n==> %s\n' "$*"; }

say "checking build packages"
./scripts/install-deps.sh

say "building server, client_sync, client_async and their man pages"
cmake --preset default >/dev/null
cmake --build --preset default --target server client_sync client_async man_pages

source scripts/lib/servers.sh

say "starting the slow server: $delay s per request, 8 workers, a free port"
start_server url --delay "$delay"
echo "listening at $url"

say "client_sync: $requests requests, one after another"
echo "\$ ./build/client_sync $url -n $requests --timeline"
sync_seconds=$(seconds_of ./build/client_sync "$url" -n "$requests" --timeline --svg build/sync.svg)

say "client_async: $requests requests at once"
echo "\$ ./build/client_async $url -n $requests --timeline"
async_seconds=$(seconds_of ./build/client_async "$url" -n "$requests" --timeline --svg build/async.svg)

say "client_async against a one-worker server (like wsgiref): the requests queue there"
start_server one_worker --delay "$delay" --workers 1
echo "\$ ./build/client_async $one_worker -n $requests --timeline"
./build/client_async "$one_worker" -n "$requests" --timeline --svg build/one_worker.svg

say "result"
echo "timelines: build/sync.svg, build/async.svg and build/one_worker.svg (open them in a browser)"
awk -v s="$sync_seconds" -v a="$async_seconds" \
  'BEGIN { printf "sync %.2f s  async %.2f s  async is %.1fx faster\n", s, a, s / a }'
