# Shared by the demo scripts: start build/server on a free port, read its URL,
# and stop every server started when the script exits. Source it; needs bash.

kit_workdir=$(mktemp -d)
kit_server_pids=()

kit_stop_servers() {
  local pid
  for pid in "${kit_server_pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  done
  rm -rf "$kit_workdir"
}
trap kit_stop_servers EXIT

# start_server VAR [server flags...]: starts a quiet server on a free port and
# stores its URL (http://127.0.0.1:PORT/) in VAR.
start_server() {
  local var=$1; shift
  local out="$kit_workdir/serving.${#kit_server_pids[@]}"
  ./build/server --port 0 --quiet "$@" >"$out" 2>"$out.log" &
  local pid=$!
  kit_server_pids+=("$pid")
  local _
  for _ in $(seq 100); do
    grep -q '^Serving on' "$out" && break
    if ! kill -0 "$pid" 2>/dev/null; then
      cat "$out.log" >&2
      echo "the server did not start" >&2
      exit 1
    fi
    sleep 0.1
  done
  local served_url
  served_url=$(sed -n 's/^Serving on \(http:[^ ]*\) .*/\1\//p' "$out")
  [ -n "$served_url" ] || { echo "the server did not say where it listens" >&2; exit 1; }
  printf -v "$var" '%s' "$served_url"
}

# dashboard_url VAR: the "Dashboard on http://HOST:PORT/" of the server
# started last (with --dashboard), into VAR.
dashboard_url() {
  local out="$kit_workdir/serving.$((${#kit_server_pids[@]} - 1))" url="" _
  for _ in $(seq 50); do
    url=$(sed -n 's/^Dashboard on \(http:[^ ]*\)$/\1/p' "$out")
    [ -n "$url" ] && break
    sleep 0.1
  done
  [ -n "$url" ] || { echo "the server did not say where its dashboard is" >&2; exit 1; }
  printf -v "$1" '%s' "$url"
}

# seconds_of COMMAND...: runs it and prints its wall time in seconds ("2.004").
# The command's own output goes to stderr so the caller can capture the time.
# Timed with bash's own clock, as `time` does: no extra process in the measurement.
seconds_of() {
  local start end
  start=$EPOCHREALTIME
  "$@" >&2 || echo "(exit status $?)" >&2
  end=$EPOCHREALTIME
  awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f", e - s }'
}
