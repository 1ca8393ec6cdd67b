#!/usr/bin/env bash
# Replays the talk's demonstrations in order against our server, each with a
# heading, the command, the talk's figure and ours side by side.
#
#   ./scripts/talk.sh           1 s per request, as in the talk (about 40 s)
#   ./scripts/talk.sh --fast    0.2 s per request (the talk's figures scaled to match)
#   ./scripts/talk.sh --scale   also "why not threads?": 1,000 threads against one event loop
#
# Builds first if needed (run ./scripts/demo.sh or ./scripts/test.sh once to install).
set -euo pipefail
cd "$(dirname "$0")/.."

delay=1
scale=false
for argument in "$@"; do
  case "$argument" in
    --fast) delay=0.2 ;;
    --scale) scale=true ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "talk.sh: unknown argument '$argument' (see --help)" >&2; exit 2 ;;
  esac
done

if [ ! -x build/server ] || [ ! -x build/client_sync ] || [ ! -x build/client_async ]; then
  ./scripts/install-deps.sh
  cmake --preset default >/dev/null
fi
cmake --build --preset default --target server client_sync client_async >/dev/null

source scripts/lib/servers.sh

echo "Starting servers (a free port each, $delay s per request):"
start_server two_workers --delay "$delay" --workers 2
echo "  gunicorn -w 2  ->  server --workers 2     $two_workers"
start_server one_worker --delay "$delay" --workers 1
echo "  wsgiref        ->  server --workers 1     $one_worker"
start_server three_workers --delay "$delay" --workers 3
echo "  gunicorn -w 3  ->  server --workers 3     $three_workers"
start_server event_loop --delay "$delay" --async
echo "  (ours)         ->  server --async         $event_loop"
start_server blocking_loop --delay "$delay" --async --blocking
echo "  (ours)         ->  server --async --blocking  $blocking_loop"
start_server rate_limited --delay "$delay" --async --rate-limit 5
echo "  (ours)         ->  server --async --rate-limit 5  $rate_limited"

step=0
# demo "heading" "talk's figure in seconds, or -" command...
demo() {
  local heading=$1 talk=$2; shift 2
  step=$((step + 1))
  printf '\n%d. %s\n   $ %s\n' "$step" "$heading" "$*"
  local ours
  ours=$(seconds_of "$@" 2>/dev/null)
  if [ "$talk" = - ]; then
    printf '   talk: %-28s ours: %s s\n' "(not in the talk)" "$ours"
  else
    awk -v t="$talk" -v d="$delay" -v o="$ours" 'BEGIN {
      if (d == 1) printf "   talk: %-28s ours: %s s\n", t " s", o
      else printf "   talk: %-28s ours: %s s\n", sprintf("%s s (x%s = %.3f s)", t, d, t * d), o }'
  fi
}

# show "what to look at" command...: runs it again and prints what it draws
show() {
  local what=$1; shift
  printf '   %s\n   $ %s\n' "$what" "$*"
  "$@" 2>&1 | sed 's/^/   /'
}

demo "Four requests, one at a time (the talk ran hey -n 4 -c 1; the same with client_async -c 1)" 4.0223 \
  ./build/client_async "$two_workers" -n 4 -c 1 -q
demo "Four requests, two at a time (the talk ran hey -n 4 -c 2; the same with client_async -c 2)" 2.0088 \
  ./build/client_async "$two_workers" -n 4 -c 2 -q
demo "The synchronous client, 2 requests (python client.py, gunicorn -w 2)" 2.195 \
  ./build/client_sync "$two_workers" -q
demo "The asynchronous client, 2 requests (python async_client.py, gunicorn -w 2)" 1.366 \
  ./build/client_async "$two_workers" -q
demo "The asynchronous client against one worker (wsgiref): no gain, the server is the limit" 2.24 \
  ./build/client_async "$one_worker" -q
show "Both requests left at once; the second waited in the server's queue (Server-Timing):" \
  ./build/client_async "$one_worker" -q --timeline
demo "Threads: 3 requests on 3 threads (client_threading.py, gunicorn -w 3)" 1.199 \
  ./build/client_sync "$three_workers" --threads 3 -n 3 -q
demo "Processes: 3 requests on a pool of 3 processes (client_multiprocessing.py, gunicorn -w 3)" 1.347 \
  ./build/client_sync "$three_workers" --processes 3 -n 3 -q
demo "9 requests, at most 3 at a time (asyncio.Semaphore(3), gunicorn -w 3)" 3.375 \
  ./build/client_async "$three_workers" -n 9 -c 3 -q
demo "An event-loop server: 3 requests wait on timers together" - \
  ./build/client_async "$event_loop" -n 3 -q
demo "The classic mistake: a blocking sleep inside the event loop, 3 requests queue up" - \
  ./build/client_async "$blocking_loop" -n 3 -q
show "The loop slept with each request; the others waited, unread, in its queue:" \
  ./build/client_async "$blocking_loop" -n 3 -q --timeline
# connections "heading" command...: runs it with --summary and prints the
# connections it opened, the protocol, and the recap with the time it took.
connections() {
  local heading=$1; shift
  step=$((step + 1))
  printf '\n%d. %s\n   $ %s\n' "$step" "$heading" "$*"
  "$@" --summary 2>&1 | grep -E '^ *(Connections|Protocol):|^[0-9]+ requests, ' | sed 's/^ */   /'
}

connections "12 requests at once over HTTP/1.1: a connection each (a browser stops at 6 per server: two waves)" \
  ./build/client_async "$event_loop" -n 12 -q
connections "The same 12 over HTTP/2: streams of one connection, all at once" \
  ./build/client_async "$event_loop" -n 12 -q --http2
# outcome "heading" command...: runs it and prints the first failure line, if
# any, and the recap with the time it took.
outcome() {
  local heading=$1; shift
  step=$((step + 1))
  printf '\n%d. %s\n   $ %s\n' "$step" "$heading" "$*"
  local output
  output=$("$@" 2>&1) || true
  { grep -m1 '^request ' <<<"$output" || true; tail -n1 <<<"$output"; } | sed 's/^/   /'
  # The server's bucket holds 5 tokens and gains 5 a second: a pause fills it
  # again, so each step starts where a fresh class would.
  sleep 1.2
}

outcome "Where it gets difficult: an API that allows 5 requests a second; of 20 at once, 15 get 429" \
  ./build/client_async "$rate_limited" -n 20 -q
outcome "Ask again when Retry-After says (--retry 5): all succeed, in waves of 5 a second" \
  ./build/client_async "$rate_limited" -n 20 -q --retry 5
outcome "Or keep to the rate (--rate 5): none is refused" \
  ./build/client_async "$rate_limited" -n 20 -q --rate 5
if $scale; then
  # "Why not threads?": the same 1,000 waits on 1,000 threads, then on one
  # event loop. /usr/bin/time (Debian's time package) adds memory and CPU.
  timed=()
  [ -x /usr/bin/time ] && timed=(/usr/bin/time -f '   peak memory %M KB, system CPU %S s')
  printf '\n%d. Why not threads? 1,000 requests on 1,000 threads, then on one event loop\n' "$((step + 1))"
  echo "   \$ ./build/client_sync $event_loop --threads 1000 -n 1000 -q"
  "${timed[@]}" ./build/client_sync "$event_loop" --threads 1000 -n 1000 -q 2>&1 | sed 's/^ *\([0-9]\)/   \1/'
  echo "   \$ ./build/client_async $event_loop -n 1000 -q"
  "${timed[@]}" ./build/client_async "$event_loop" -n 1000 -q 2>&1 | sed 's/^ *\([0-9]\)/   \1/'
fi
echo
