# Sourced by scripts/bench.sh: section 12, one run past one process. The
# generators are client_async shards, each in a network namespace of its own
# (scripts/lib/netns_lab.sh), launched by pdsh's exec module and merged, as
# docs/distributed.md runs them on many machines. Needs root, pdsh and ip;
# the rows say so when they are left out. Uses bench.sh's row, verdict and $work.

source scripts/lib/netns_lab.sh

# nginx in the lab's server namespace: two workers, the kernel spreading the
# connections between them (reuseport), each allowed the descriptors of one.
start_lab_nginx() {
  mkdir -p "$work/lab_nginx"
  cat >"$work/lab_nginx/nginx.conf" <<CONF
worker_processes 2;
daemon off;
pid $work/lab_nginx/nginx.pid;
error_log $work/lab_nginx/error.log;
load_module /usr/lib/nginx/modules/ngx_http_echo_module.so;
worker_rlimit_nofile $hard;
events { worker_connections $((hard - 100)); }
http {
  access_log off;
  client_body_temp_path $work/lab_nginx/body;
  server {
    listen 10.201.0.1:8080 reuseport backlog=65535;  # a namespace of its own: every port is free
    location /sleep { echo_sleep 1; echo -n "This is a slow web api"; }
  }
}
CONF
  ip netns exec "${lab}s" nginx -c "$work/lab_nginx/nginx.conf" 2>>"$work/lab_nginx/error.log" &
  kit_server_pids+=("$!")
  for _ in $(seq 50); do
    ip netns exec "${lab}g0" bash -c 'exec 3<>/dev/tcp/10.201.0.1/8080' 2>/dev/null && return 0
    sleep 0.1
  done
  echo "bench.sh: nginx did not start in the lab namespace" >&2
  exit 1
}

# shards NAME COUNT ARGS...: COUNT client_async shards of ARGS on the lab's
# generators, started together; their results merged with --summary into
# $work/NAME.out, each shard's peak memory (KB) in $work/NAME.peaks.
shards() {
  local name=$1 count=$2 start; shift 2
  start=$(awk -v now="$EPOCHREALTIME" 'BEGIN { printf "%.3f", now + 3 }')
  timeout 120 pdsh -R exec -f "$count" -w "${lab}g[0-$((count - 1))]" ip netns exec %h \
    /usr/bin/time -f 'peak_kb %M' "$PWD/build/client_async" "$@" --shard "%n/$count" --start-at "$start" \
    --result - -q >"$work/$name.results" 2>"$work/$name.err" || true
  sed -n 's/.*peak_kb \([0-9]*\).*/\1/p' "$work/$name.err" >"$work/$name.peaks"
  ./build/client_async --merge - --summary <"$work/$name.results" >"$work/$name.out" 2>&1 || true
}
summed_peak_mb() { awk '{ s += $1 } END { printf "%.0f", s / 1024 }' "$work/$1.peaks"; }
merged_line() { sed -n 's/^\([0-9]* requests, [0-9]* ok, [0-9]* failed\) in \([0-9.]*\) s.*/\1|\2/p' "$work/$1.out"; }
# "p50 1.2 ms (service time 0.9 ms)": a percentile line of --summary, both views.
percentile_of() { sed -n "s/^  $2% in \(.*\)/p$2 \1/p" "$work/$1.out"; }

shard_rows() {
  if [ "$(id -u)" -ne 0 ] || ! command -v pdsh >/dev/null || ! command -v ip >/dev/null; then
    say "12. left out: the shards' rows need root, pdsh and ip"
    row "past one process: shards in network namespaces" "client_async --shard" "left out: needs root, pdsh" \
      "" "" ""
    return
  fi
  lab="kb$$"
  lab_up "$lab" 4
  trap 'kit_stop_servers; lab_down "$lab" 4' EXIT
  local per=$((most < 15000 ? most : 15000))
  say "12. past one process: 2 shards of $per at once against nginx (2 workers, 1 s), each in a namespace of its own"
  start_lab_nginx
  # From the fourth generator: its ports left in TIME_WAIT would slow a shard down.
  measure lab_hey ip netns exec "${lab}g3" hey -n "$many" -c "$many" "http://10.201.0.1:8080/sleep"
  row "$many at once, 1 s nginx, from a namespace" "hey -n $many -c $many" "$(time_rss lab_hey)" \
    "$(hey_ok lab_hey) x 200" "" ""
  shards lab_many 2 "http://10.201.0.1:8080/sleep" -n $((2 * per)) --timeout 30
  IFS='|' read -r answers merged_s < <(merged_line lab_many)
  row "$((2 * per)) at once, 1 s nginx: past one process's descriptors" \
    "2 x client_async --shard, pdsh, --merge" "$merged_s s merged, $(summed_peak_mb lab_many) MB summed" \
    "${answers:-no merged result}" "every request ok" "$(verdict "${answers%% *}" ">=" $((2 * per)))"

  say "12b. 4 shards at --rate 2000 each against server --async --delay 0, merged"
  ip netns exec "${lab}s" ./build/server --async --delay 0 --host 10.201.0.1 --port 8081 --quiet \
    >"$work/lab_server.out" 2>&1 &
  kit_server_pids+=("$!")
  sleep 0.5
  local run_s=${short_run:-5}
  shards lab_rate 4 "http://10.201.0.1:8081/" --rate 8000 -z "${run_s}s" -c 200
  local achieved off
  achieved=$(sed -n 's/^  Requests\/sec: *\([0-9.]*\)/\1/p' "$work/lab_rate.out")
  off=$(awk -v r="${achieved:-0}" 'BEGIN { d = (r - 8000) / 80; printf "%.2f", d < 0 ? -d : d }')
  row "8000 a second asked over 4 shards, ${run_s} s" "4 x client_async --rate (2000 each), --merge" \
    "${achieved:-?} req/s merged; $(percentile_of lab_rate 50); $(percentile_of lab_rate 99)" \
    "$(merged_line lab_rate | cut -d'|' -f1)" "within 2% of 8000/s: ${off}% off" "$(verdict "$off" "<=" 2)"
}
